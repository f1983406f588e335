import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../../../lib/api";
import { Badge } from "../../../ui/Badge";
import { Button } from "../../../ui/Button";
import { Field, Input, Textarea } from "../../../ui/Field";
import { Skeleton } from "../../../ui/Skeleton";
import type { StepComponent, StepProps } from "..";
import { useAnswers, useStepStatus } from "../useStepStatus";

const lines = (s: string) =>
  s
    .split(/[\n,]/)
    .map((x) => x.trim())
    .filter(Boolean);

function KnowledgeStep({ kind, stepId, value, onChange, errors, state }: StepProps) {
  const status = useStepStatus(kind, stepId);
  const collections = (status.data?.detail.collections ?? []) as { name: string; sources: number; chunks: number }[];
  const v = useAnswers<{ collections: string[]; urls: string[]; collection: string; document?: { title: string; text: string } }>(
    value,
    { collections: [], urls: [], collection: "default" },
    onChange,
  );
  const [urlText, setUrlText] = useState(((v.urls ?? []) as string[]).join("\n"));
  const doc = v.document;
  const created = Object.values((state.created_sources ?? {}) as Record<string, { id: string; title: string }>);
  const picked = (v.collections ?? []) as string[];
  return (
    <div className="grid gap-5">
      <fieldset>
        <legend className="mb-2 text-sm font-medium">Answer from these collections</legend>
        {status.isPending ? (
          <Skeleton className="h-16" />
        ) : collections.length === 0 ? (
          <p className="rounded-lg border border-dashed border-line p-3 text-sm text-muted">
            No knowledge yet — add a page or a document below.
          </p>
        ) : (
          <ul className="flex flex-wrap gap-2">
            {collections.map((c) => (
              <li key={c.name}>
                <label className="flex items-center gap-2 rounded-lg border border-line px-3 py-2 text-sm">
                  <input
                    type="checkbox"
                    checked={picked.includes(c.name)}
                    onChange={(e) =>
                      onChange({ ...v, collections: e.target.checked ? [...picked, c.name] : picked.filter((x) => x !== c.name) })
                    }
                  />
                  {c.name} <span className="text-muted">({c.sources} sources)</span>
                </label>
              </li>
            ))}
          </ul>
        )}
        <p className="mt-1 text-xs text-muted">None picked: the AI answers from every collection.</p>
      </fieldset>
      <Field label="Add web pages" hint="One address per line (up to 5); fetched and indexed now" error={errors.urls ?? errors["urls.0"]}>
        <Textarea
          rows={3}
          value={urlText}
          placeholder="https://example.com/help/shipping"
          onChange={(e) => {
            setUrlText(e.target.value);
            onChange({ ...v, urls: lines(e.target.value) });
          }}
        />
      </Field>
      <fieldset className="grid gap-3 rounded-lg border border-line p-3">
        <legend className="px-1 text-sm font-medium">Or write a document</legend>
        <Field label="Title" error={errors["document.title"]}>
          <Input
            value={doc?.title ?? ""}
            onChange={(e) => onChange({ ...v, document: { title: e.target.value, text: doc?.text ?? "" } })}
          />
        </Field>
        <Field label="Text" error={errors["document.text"]} hint="Markdown is fine">
          <Textarea
            rows={4}
            value={doc?.text ?? ""}
            onChange={(e) => onChange({ ...v, document: { title: doc?.title ?? "", text: e.target.value } })}
          />
        </Field>
        {doc && !doc.title && !doc.text && (
          <Button type="button" variant="ghost" size="sm" onClick={() => onChange({ ...v, document: undefined })}>
            Don't add a document
          </Button>
        )}
      </fieldset>
      <Field label="New sources go to the collection" error={errors.collection}>
        <Input value={String(v.collection ?? "default")} onChange={(e) => onChange({ ...v, collection: e.target.value })} />
      </Field>
      {created.length > 0 && (
        <p className="text-sm text-muted">Added so far: {created.map((c) => c.title).join(", ")} (indexing runs in the background).</p>
      )}
    </div>
  );
}

function ToneStep({ kind, stepId, value, onChange, errors }: StepProps) {
  const status = useStepStatus(kind, stepId);
  const d = status.data?.detail as { persona?: string; greeting?: string; ai_enabled?: boolean; providers?: string[] } | undefined;
  const v = useAnswers(
    value,
    d ? { persona: d.persona ?? "", greeting: d.greeting ?? "Hi! How can we help?", ai_enabled: d.ai_enabled ?? true } : null,
    onChange,
  );
  if (!d) return <Skeleton className="h-48" />;
  const local = (d.providers ?? []).every((p) => p === "local");
  return (
    <div className="grid gap-5 lg:grid-cols-[1fr_18rem]">
      <div className="grid gap-4">
        <Field
          label="Persona and tone"
          hint="How the AI introduces itself and writes, e.g. “You are Ada from Acme: friendly, brief, no jargon.”"
          error={errors.persona}
        >
          <Textarea
            rows={4}
            maxLength={2000}
            value={String(v.persona ?? "")}
            onChange={(e) => onChange({ ...v, persona: e.target.value })}
          />
        </Field>
        <Field label="Widget greeting" error={errors.greeting}>
          <Input maxLength={200} value={String(v.greeting ?? "")} onChange={(e) => onChange({ ...v, greeting: e.target.value })} />
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={v.ai_enabled !== false} onChange={(e) => onChange({ ...v, ai_enabled: e.target.checked })} />
          The AI answers visitors first (off: every conversation waits for a person)
        </label>
        {local && (
          <p className="text-xs text-muted">
            No AI provider key is configured: answers come from the local extractive answerer (quotes from your knowledge), labelled as
            such. The persona applies once a hosted model is set up in AI settings.
          </p>
        )}
      </div>
      <aside aria-label="Widget preview" className="rounded-xl border border-line bg-subtle p-3">
        <p className="mb-2 text-xs font-medium text-muted">Preview</p>
        <div className="rounded-lg bg-surface p-3 text-sm shadow-sm">{String(v.greeting || "…")}</div>
      </aside>
    </div>
  );
}

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
type Hours = { timezone: string; days: number[]; start: string; end: string };

function HandoffStep({ value, onChange, errors }: StepProps) {
  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  const v = useAnswers<{ keywords: string[]; low_confidence: boolean; min_confidence: number; outside_hours: boolean; hours?: Hours }>(
    value,
    { keywords: [], low_confidence: true, min_confidence: 0.35, outside_hours: false },
    onChange,
  );
  const [kw, setKw] = useState(((v.keywords ?? []) as string[]).join(", "));
  const hours = v.hours ?? { timezone: tz, days: [1, 2, 3, 4, 5], start: "09:00", end: "17:00" };
  const setHours = (h: Partial<Hours>) => onChange({ ...v, hours: { ...hours, ...h } });
  return (
    <div className="grid gap-5">
      <Field
        label="Offer a person when a message mentions"
        hint="Comma-separated, e.g. refund, cancel, lawyer, complaint"
        error={errors.keywords}
      >
        <Input
          value={kw}
          onChange={(e) => {
            setKw(e.target.value);
            onChange({ ...v, keywords: lines(e.target.value) });
          }}
        />
      </Field>
      <div className="grid gap-2">
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={v.low_confidence !== false}
            onChange={(e) => onChange({ ...v, low_confidence: e.target.checked })}
          />
          When the AI is not confident (nothing relevant in the knowledge, or the best match is weak)
        </label>
        {v.low_confidence !== false && (
          <Field label={`Confidence threshold: ${Math.round(Number(v.min_confidence) * 100)}%`} error={errors.min_confidence}>
            <input
              type="range"
              min={0.05}
              max={0.95}
              step={0.05}
              value={Number(v.min_confidence)}
              onChange={(e) => onChange({ ...v, min_confidence: Number(e.target.value) })}
            />
          </Field>
        )}
      </div>
      <div className="grid gap-3">
        <label className="flex items-center gap-2 text-sm">
          <input
            type="checkbox"
            checked={v.outside_hours === true}
            onChange={(e) => onChange({ ...v, outside_hours: e.target.checked, hours: e.target.checked ? hours : undefined })}
          />
          Outside opening hours (visitors get the leave-a-message form)
        </label>
        {v.outside_hours === true && (
          <div className="grid gap-3 rounded-lg border border-line p-3 sm:grid-cols-[1fr_7rem_7rem]">
            <fieldset className="sm:col-span-3">
              <legend className="mb-1 text-sm font-medium">Open on</legend>
              <div className="flex flex-wrap gap-2">
                {DAYS.map((d, i) => (
                  <label key={d} className="flex items-center gap-1 text-sm">
                    <input
                      type="checkbox"
                      checked={hours.days.includes(i)}
                      onChange={(e) => setHours({ days: e.target.checked ? [...hours.days, i].sort() : hours.days.filter((x) => x !== i) })}
                    />
                    {d}
                  </label>
                ))}
              </div>
              {errors["hours.days"] && <p className="text-sm text-danger">{errors["hours.days"]}</p>}
            </fieldset>
            <Field label="Time zone" error={errors["hours.timezone"]}>
              <Input value={hours.timezone} onChange={(e) => setHours({ timezone: e.target.value })} />
            </Field>
            <Field label="Opens" error={errors["hours.start"]}>
              <Input type="time" value={hours.start} onChange={(e) => setHours({ start: e.target.value })} />
            </Field>
            <Field label="Closes" error={errors["hours.end"]}>
              <Input type="time" value={hours.end} onChange={(e) => setHours({ end: e.target.value })} />
            </Field>
          </div>
        )}
        {errors.hours && <p className="text-sm text-danger">{errors.hours}</p>}
      </div>
    </div>
  );
}

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

function TestStep({ kind, stepId, value, onChange, errors, state }: StepProps) {
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

export const AI_AGENT_STEPS: Record<string, StepComponent> = {
  knowledge: KnowledgeStep,
  tone: ToneStep,
  handoff: HandoffStep,
  test: TestStep,
};
