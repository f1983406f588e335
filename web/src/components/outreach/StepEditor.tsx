import { Button } from "../ui/Button";
import { Field, Input, Select, Textarea } from "../ui/Field";
import { CONDITION_LABEL, STEP_CONDITIONS, type Step, type StepCondition, type Variant } from "./types";

const LABELS = ["A", "B", "C", "D", "E"];
export const newVariant = (i: number): Variant => ({
  label: LABELS[i] ?? String(i + 1),
  subject: "Quick question, {{first_name}}",
  body: "Hi {{first_name}},\n\n",
  instructions: "",
  active: true,
});

/** One step of the builder: kind, delay, condition, and for an email its A/B variants (subject, body, writer instructions). */
export function StepEditor({
  step,
  index,
  count,
  disabled,
  onChange,
  onRemove,
  onMove,
}: {
  step: Step;
  index: number;
  count: number;
  disabled?: boolean;
  onChange: (s: Step) => void;
  onRemove: () => void;
  onMove: (dir: -1 | 1) => void;
}) {
  const days = Math.floor(step.delay_minutes / 1440);
  const hours = Math.floor((step.delay_minutes % 1440) / 60);
  const setVariant = (i: number, v: Partial<Variant>) =>
    onChange({ ...step, variants: step.variants.map((x, j) => (j === i ? { ...x, ...v } : x)) });
  return (
    <fieldset disabled={disabled} className="rounded-xl border border-line bg-surface p-4 shadow-sm">
      <legend className="px-1 text-sm font-semibold">
        Step {index + 1} · {step.kind === "email" ? "Email" : "Task"}
      </legend>
      <div className="grid gap-3 sm:grid-cols-4">
        <Field label="Kind">
          <Select
            value={step.kind}
            onChange={(e) => {
              const kind = e.target.value as Step["kind"];
              onChange({
                ...step,
                kind,
                variants: kind === "email" && step.variants.length === 0 ? [newVariant(0)] : step.variants,
                task_title: kind === "task" ? (step.task_title ?? "Call the lead") : step.task_title,
              });
            }}
          >
            <option value="email">Email</option>
            <option value="task">Manual task</option>
          </Select>
        </Field>
        <Field label={index === 0 ? "Wait (days) after enrolment" : "Wait (days)"}>
          <Input
            type="number"
            min={0}
            max={90}
            value={days}
            onChange={(e) => onChange({ ...step, delay_minutes: Number(e.target.value) * 1440 + hours * 60 })}
          />
        </Field>
        <Field label="+ hours">
          <Input
            type="number"
            min={0}
            max={23}
            value={hours}
            onChange={(e) => onChange({ ...step, delay_minutes: days * 1440 + Number(e.target.value) * 60 })}
          />
        </Field>
        <Field label="Condition">
          <Select value={step.condition} onChange={(e) => onChange({ ...step, condition: e.target.value as StepCondition })}>
            {STEP_CONDITIONS.map((c) => (
              <option key={c} value={c}>
                {CONDITION_LABEL[c]}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      {step.kind === "task" ? (
        <Field label="Task title" className="mt-3">
          <Input value={step.task_title ?? ""} onChange={(e) => onChange({ ...step, task_title: e.target.value })} />
        </Field>
      ) : (
        <div className="mt-4 space-y-4">
          {step.variants.map((v, i) => (
            <div key={v.id ?? `new-${i}`} className="rounded-lg border border-line p-3">
              <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
                <p className="text-sm font-medium">
                  Variant {v.label}
                  {v.sent !== undefined && (
                    <span className="ml-2 text-xs font-normal text-muted">
                      {v.sent} sent · {v.replies ?? 0} replies
                    </span>
                  )}
                </p>
                <div className="flex items-center gap-3">
                  <label className="inline-flex items-center gap-1.5 text-sm">
                    <input type="checkbox" checked={v.active} onChange={(e) => setVariant(i, { active: e.target.checked })} /> Active
                  </label>
                  {step.variants.length > 1 && (
                    <Button
                      size="sm"
                      variant="ghost"
                      onClick={() => onChange({ ...step, variants: step.variants.filter((_, j) => j !== i) })}
                    >
                      Remove
                    </Button>
                  )}
                </div>
              </div>
              <div className="space-y-2">
                <Field label="Subject">
                  <Input value={v.subject} onChange={(e) => setVariant(i, { subject: e.target.value })} />
                </Field>
                <Field label="Body" hint="A template the writer personalises: {{first_name}}, {{company}}, {{title}}">
                  <Textarea rows={5} value={v.body} onChange={(e) => setVariant(i, { body: e.target.value })} />
                </Field>
                <Field label="Instructions for the writer" hint="What to emphasise, e.g. the integration with HubSpot">
                  <Input value={v.instructions} onChange={(e) => setVariant(i, { instructions: e.target.value })} />
                </Field>
              </div>
            </div>
          ))}
          {step.variants.length < 5 && (
            <Button
              size="sm"
              variant="secondary"
              onClick={() => onChange({ ...step, variants: [...step.variants, newVariant(step.variants.length)] })}
            >
              Add variant {LABELS[step.variants.length]}
            </Button>
          )}
        </div>
      )}
      <div className="mt-3 flex justify-end gap-2 border-t border-line pt-3">
        <Button size="sm" variant="ghost" disabled={index === 0} onClick={() => onMove(-1)} aria-label={`Move step ${index + 1} up`}>
          ↑
        </Button>
        <Button
          size="sm"
          variant="ghost"
          disabled={index === count - 1}
          onClick={() => onMove(1)}
          aria-label={`Move step ${index + 1} down`}
        >
          ↓
        </Button>
        <Button size="sm" variant="ghost" className="text-danger" onClick={onRemove}>
          Remove step
        </Button>
      </div>
    </fieldset>
  );
}
