import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../../../lib/api";
import { Badge } from "../../../ui/Badge";
import { Button } from "../../../ui/Button";
import { Field, Input } from "../../../ui/Field";
import type { StepProps } from "..";
import { useAnswers } from "../useStepStatus";

interface TestAnswer {
  question: string;
  answer: string;
  grounded: boolean;
  local: boolean;
  engine: string | null;
  citations: { n: number; title: string; url: string | null }[];
  error: string | null;
  handoff: {
    offered: boolean;
    reasons: ({ rule: "keyword"; keyword: string } | { rule: "low_confidence"; relevance: number | null } | { rule: "outside_hours" })[];
  };
}
const reasonText = (r: TestAnswer["handoff"]["reasons"][number]) =>
  r.rule === "keyword"
    ? `the message mentions “${r.keyword}”`
    : r.rule === "outside_hours"
      ? "it is outside opening hours"
      : "the AI is not confident";

/** Asks the test question through the step itself (the answer comes back in the run state) and shows it. */
export function TestStep({ kind, stepId, value, onChange, errors, state }: StepProps) {
  const v = useAnswers(value, { question: "" }, onChange);
  const [answer, setAnswer] = useState<TestAnswer | null>((state.test_answer as TestAnswer | undefined) ?? null);
  const ask = useMutation({
    mutationFn: () => api("POST /api/v1/wizards/{kind}/steps/{stepId}", { params: { kind, stepId }, body: { question: v.question } }),
    onSuccess: (r) => setAnswer((r.run.state.test_answer as TestAnswer | undefined) ?? null),
  });
  return (
    <div className="grid gap-4">
      <div className="flex flex-wrap items-end gap-2">
        <Field label="A question your customers ask" error={errors.question} className="min-w-0 flex-1">
          <Input
            value={String(v.question)}
            maxLength={500}
            placeholder="What is your refund policy?"
            onChange={(e) => onChange({ question: e.target.value })}
          />
        </Field>
        <Button
          type="button"
          variant="secondary"
          onClick={() => ask.mutate()}
          disabled={ask.isPending || String(v.question).trim().length < 3}
        >
          {ask.isPending ? "Asking…" : "Ask"}
        </Button>
      </div>
      {ask.isError && <p className="text-sm text-danger">{errorMessage(ask.error)}</p>}
      {answer && (
        <section aria-live="polite" className="rounded-xl border border-line p-4">
          <div className="mb-2 flex flex-wrap items-center gap-2 text-xs">
            {answer.local && <Badge tone="warning">Local answerer (offline)</Badge>}
            {answer.engine && !answer.local && <Badge>{answer.engine}</Badge>}
            <Badge tone={answer.grounded ? "success" : "neutral"}>
              {answer.grounded ? "From your knowledge" : "Not found in your knowledge"}
            </Badge>
          </div>
          <p className="whitespace-pre-wrap text-sm">{answer.answer || answer.error || "(no answer)"}</p>
          {answer.citations.length > 0 && (
            <ol className="mt-2 text-xs text-muted">
              {answer.citations.map((c) => (
                <li key={c.n}>
                  [{c.n}] {c.title}
                </li>
              ))}
            </ol>
          )}
          <p className={`mt-3 text-sm ${answer.handoff.offered ? "font-medium" : "text-muted"}`}>
            {answer.handoff.offered
              ? `A person would be offered: ${answer.handoff.reasons.map(reasonText).join("; ")}.`
              : "No hand-off rule fires: the AI's answer stands (the visitor can still ask for a person)."}
          </p>
        </section>
      )}
    </div>
  );
}
