import { Badge } from "../../../ui/Badge";
import { Button } from "../../../ui/Button";
import { Field, Input, Textarea } from "../../../ui/Field";
import { answers, type SetupStepProps, useRowKeys } from "../store/stepKit";
import { type StarterStep, STARTERS } from "./templates";

/** The campaign's emails and tasks with their delays, started from a template and edited in place. */
type Step = StarterStep;

export function CampaignSequenceStep({ value, onChange, errors }: SetupStepProps) {
  const v = answers(value, { name: "", steps: [] as Step[] });
  const steps = (v.steps ?? []) as Step[];
  const set = (p: Record<string, unknown>) => onChange({ ...v, ...p });
  const patch = (i: number, p: Partial<Step>) => set({ steps: steps.map((s, j) => (j === i ? { ...s, ...p } : s)) });
  const rows = useRowKeys(steps.length);
  return (
    <div className="space-y-4">
      <Field label="Sequence name" error={errors.name}>
        <Input value={String(v.name)} placeholder="Spring launch" onChange={(e) => set({ name: e.target.value })} />
      </Field>
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-sm text-muted">Start from:</span>
        {STARTERS.map((t) => (
          <Button
            key={t.id}
            type="button"
            size="sm"
            variant="secondary"
            title={t.description}
            onClick={() => {
              rows.reset(t.steps.length);
              set({ steps: t.steps.map((s) => ({ ...s })) });
            }}
          >
            {t.name}
          </Button>
        ))}
      </div>
      {errors.steps && <p className="text-sm text-danger">{errors.steps}</p>}
      <ol className="space-y-3">
        {steps.map((s, i) => (
          <li key={rows.keys[i]} className="space-y-3 rounded-lg border border-line p-3">
            <div className="flex flex-wrap items-end gap-3">
              <Badge>{`${i + 1}. ${s.kind === "email" ? "Email" : "Task"}`}</Badge>
              <Field label="After (days)" className="w-28" error={errors[`steps.${i}.delay_days`]}>
                <Input inputMode="numeric" value={s.delay_days} onChange={(e) => patch(i, { delay_days: Number(e.target.value) || 0 })} />
              </Field>
              <Button
                type="button"
                size="sm"
                variant="ghost"
                aria-label={`Remove step ${i + 1}`}
                onClick={() => {
                  rows.remove(i);
                  set({ steps: steps.filter((_, j) => j !== i) });
                }}
              >
                Remove
              </Button>
            </div>
            {s.kind === "email" ? (
              <>
                <Field label="Subject" error={errors[`steps.${i}.subject`]}>
                  <Input value={s.subject ?? ""} onChange={(e) => patch(i, { subject: e.target.value })} />
                </Field>
                <Field
                  label="Email"
                  hint="{{first_name}} and {{company}} are filled per lead; links get the UTM codes"
                  error={errors[`steps.${i}.body`]}
                >
                  <Textarea rows={4} value={s.body ?? ""} onChange={(e) => patch(i, { body: e.target.value })} />
                </Field>
              </>
            ) : (
              <Field label="Task" error={errors[`steps.${i}.task_title`]}>
                <Input value={s.task_title ?? ""} onChange={(e) => patch(i, { task_title: e.target.value })} />
              </Field>
            )}
          </li>
        ))}
      </ol>
      <div className="flex gap-2">
        <Button
          type="button"
          size="sm"
          variant="secondary"
          disabled={steps.length >= 10}
          onClick={() => {
            rows.add();
            set({ steps: [...steps, { kind: "email", delay_days: 2, subject: "", body: "" }] });
          }}
        >
          Add an email
        </Button>
        <Button
          type="button"
          size="sm"
          variant="secondary"
          disabled={steps.length >= 10}
          onClick={() => {
            rows.add();
            set({ steps: [...steps, { kind: "task", delay_days: 2, task_title: "" }] });
          }}
        >
          Add a task
        </Button>
      </div>
    </div>
  );
}
