import { useState } from "react";
import { Button } from "../../../ui/Button";
import { Field, Input, Textarea } from "../../../ui/Field";
import { Skeleton } from "../../../ui/Skeleton";
import type { StepComponent, StepProps } from "..";
import { useAnswers, useStepStatus } from "../useStepStatus";
import { HandoffStep } from "./HandoffStep";
import { lines } from "./lines";
import { TestStep } from "./TestStep";

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

export const AI_AGENT_STEPS: Record<string, StepComponent> = {
  knowledge: KnowledgeStep,
  tone: ToneStep,
  handoff: HandoffStep,
  test: TestStep,
};
