import { useQuery } from "@tanstack/react-query";
import { RadioCard } from "../../RadioCard";
import { api } from "../../../../lib/api";
import { getTenantId } from "../../../../lib/session";
import { Badge } from "../../../ui/Badge";
import { Field, Input } from "../../../ui/Field";
import { Skeleton } from "../../../ui/Skeleton";
import { answers, type SetupStepProps, useInitialAnswers, useStepStatus } from "../store/stepKit";

const ROLES = ["owner", "admin", "member", "viewer"] as const;

export function WorkflowTemplateStep({ value, onChange, errors }: SetupStepProps) {
  const templates = useQuery({
    queryKey: ["t", getTenantId(), "workflow-templates"],
    queryFn: () => api("GET /api/v1/workflows/templates"),
  });
  const v = answers(value, { template_id: "" });
  if (templates.isPending) return <Skeleton className="h-40" />;
  return (
    <div className="space-y-2">
      <div role="radiogroup" aria-label="Workflow templates" className="grid gap-3 sm:grid-cols-2">
        {(templates.data?.data ?? []).map((t) => (
          <RadioCard key={t.id} name="template" checked={v.template_id === t.id} onSelect={() => onChange({ template_id: t.id })}>
            <span className="flex items-center justify-between gap-2 font-medium">
              {t.name} <Badge>{t.category}</Badge>
            </span>
            <span className="mt-1 block text-muted">{t.description}</span>
          </RadioCard>
        ))}
      </div>
      {errors.template_id && <p className="text-sm text-danger">{errors.template_id}</p>}
    </div>
  );
}

interface Defaults {
  name: string;
  settings: {
    recipients: Record<string, string>;
    approvals: Record<string, { approver_roles: string[]; timeout_hours: number }>;
    schedule: { cron: string; timezone: string } | null;
  };
  labels?: Record<string, string>;
}

/** A form from the template's variables: fixed recipients, approvers and timeouts, the schedule. */
export function WorkflowSettingsStep({ kind, stepId, value, onChange, errors }: SetupStepProps) {
  const status = useStepStatus(kind, stepId);
  const d = status.data?.detail as Defaults | undefined;
  useInitialAnswers(value, d?.settings ? { name: d.name, ...d.settings } : null, onChange);
  if (!d?.settings) return <Skeleton className="h-40" />;
  const nodeLabel = (id: string) => d.labels?.[id] ?? id.replace(/_/g, " ");
  const v = answers(value, { name: d.name, ...d.settings });
  const recipients = { ...d.settings.recipients, ...(v.recipients as Record<string, string>) };
  const approvals = { ...d.settings.approvals, ...(v.approvals as Defaults["settings"]["approvals"]) };
  const schedule = (v.schedule as Defaults["settings"]["schedule"]) ?? d.settings.schedule;
  const set = (p: Record<string, unknown>) => onChange({ name: v.name, recipients, approvals, schedule, ...p });
  return (
    <div className="space-y-5">
      <Field label="Workflow name" error={errors.name}>
        <Input value={String(v.name)} onChange={(e) => set({ name: e.target.value })} />
      </Field>
      {Object.keys(recipients).length > 0 && (
        <fieldset className="space-y-3">
          <legend className="text-sm font-semibold">Recipients</legend>
          <p className="text-xs text-muted">An email address, a member id, or role:owner / role:admin (every member with the role).</p>
          {Object.entries(recipients).map(([id, to]) => (
            <Field key={id} label={`Message “${nodeLabel(id)}” goes to`} error={errors[`recipients.${id}`]}>
              <Input value={to} onChange={(e) => set({ recipients: { ...recipients, [id]: e.target.value } })} />
            </Field>
          ))}
        </fieldset>
      )}
      {Object.keys(approvals).length > 0 && (
        <fieldset className="space-y-3">
          <legend className="text-sm font-semibold">Approvals</legend>
          {Object.entries(approvals).map(([id, a]) => (
            <div key={id} className="grid gap-3 rounded-lg border border-line p-3 sm:grid-cols-[1fr_9rem]">
              <div>
                <span className="block text-sm font-medium">Who approves “{nodeLabel(id)}”</span>
                <div className="mt-2 flex flex-wrap gap-3">
                  {ROLES.map((r) => (
                    <label key={r} className="flex items-center gap-1.5 text-sm">
                      <input
                        type="checkbox"
                        checked={a.approver_roles.includes(r)}
                        onChange={(e) =>
                          set({
                            approvals: {
                              ...approvals,
                              [id]: {
                                ...a,
                                approver_roles: e.target.checked ? [...a.approver_roles, r] : a.approver_roles.filter((x) => x !== r),
                              },
                            },
                          })
                        }
                      />
                      {r}
                    </label>
                  ))}
                </div>
                {errors[`approvals.${id}.approver_roles`] && (
                  <p className="mt-1 text-sm text-danger">{errors[`approvals.${id}.approver_roles`]}</p>
                )}
              </div>
              <Field label="Time-out (hours)" error={errors[`approvals.${id}.timeout_hours`]}>
                <Input
                  inputMode="decimal"
                  value={a.timeout_hours}
                  onChange={(e) => set({ approvals: { ...approvals, [id]: { ...a, timeout_hours: Number(e.target.value) || 0 } } })}
                />
              </Field>
            </div>
          ))}
        </fieldset>
      )}
      {schedule && (
        <fieldset className="grid gap-3 sm:grid-cols-2">
          <legend className="mb-2 text-sm font-semibold">Schedule</legend>
          <Field label="Cron (five fields)" hint="0 9 * * 1 = Mondays at 09:00" error={errors["schedule.cron"]}>
            <Input className="font-mono" value={schedule.cron} onChange={(e) => set({ schedule: { ...schedule, cron: e.target.value } })} />
          </Field>
          <Field label="Time zone" hint="IANA name, e.g. Europe/Berlin" error={errors["schedule.timezone"]}>
            <Input value={schedule.timezone} onChange={(e) => set({ schedule: { ...schedule, timezone: e.target.value } })} />
          </Field>
        </fieldset>
      )}
      <p className="text-xs text-muted">Next saves the workflow as a draft; everything else can be changed in the builder.</p>
    </div>
  );
}

export function WorkflowPublishStep({ state, value, onChange }: SetupStepProps) {
  const v = answers(value, { publish: false });
  useInitialAnswers(value, v, onChange);
  const name = String((state.settings as { name?: string } | undefined)?.name ?? "The workflow");
  return (
    <div role="radiogroup" aria-label="Publish now?" className="grid gap-3 sm:grid-cols-2">
      {[
        { publish: true, title: "Publish now", text: `${name} starts on its trigger from now on (owners and admins).` },
        { publish: false, title: "Keep as a draft", text: "Review it in the builder and publish from there." },
      ].map((o) => (
        <RadioCard key={o.title} name="publish" checked={v.publish === o.publish} onSelect={() => onChange({ publish: o.publish })}>
          <span className="block font-medium">{o.title}</span>
          <span className="text-muted">{o.text}</span>
        </RadioCard>
      ))}
    </div>
  );
}

export const WORKFLOW_STEPS = { template: WorkflowTemplateStep, settings: WorkflowSettingsStep, publish: WorkflowPublishStep };
