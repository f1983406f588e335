import type { Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { notFound, validationFailed } from "../../platform/errors";
import { parseCron } from "./cron-expression";
import type { WorkflowDefinition } from "./definition";
import { TEMPLATES } from "./templates";
import { assertValid, createWorkflow, getWorkflowRow, publishWorkflow, updateWorkflow, type WorkflowRow } from "./workflows.service";

/**
 * The workflow-creation wizard's use of workflows (modules/wizards, kind `workflow`): a template's
 * key settings — fixed recipients of its messages (an address, a member id or role:<role>; those
 * written as {{ expressions }} come from the trigger and are not settings), the approvers and
 * timeout of its approval steps, its schedule — applied to a copy of the template, saved as a
 * draft (created once, then updated), and published on request.
 */

type Role = "owner" | "admin" | "member" | "viewer";
export interface TemplateSettings {
  recipients: Record<string, string>;
  approvals: Record<string, { approver_roles: Role[]; timeout_hours: number }>;
  schedule: { cron: string; timezone: string } | null;
}

const isFixedRecipient = (to: unknown): to is string => typeof to === "string" && !to.includes("{{");

/** The settings a template exposes, with the template's own values as defaults. */
export function templateDefaults(templateId: string): { name: string; settings: TemplateSettings; labels: Record<string, string> } {
  const t = TEMPLATES.find((x) => x.id === templateId);
  if (!t) throw notFound("Template");
  const settings: TemplateSettings = { recipients: {}, approvals: {}, schedule: null };
  /** Node id → its name in the template (what the form calls each message and approval). */
  const labels: Record<string, string> = {};
  for (const n of t.definition.nodes) {
    labels[n.id] = n.name;
    if (n.type === "send_message" && isFixedRecipient(n.config.to)) settings.recipients[n.id] = n.config.to;
    if (n.type === "approval")
      settings.approvals[n.id] = {
        approver_roles: (n.config.approver_roles as Role[] | undefined) ?? [],
        timeout_hours: (n.config.timeout_hours as number | undefined) ?? 72,
      };
  }
  if (t.definition.trigger.type === "schedule")
    settings.schedule = { cron: t.definition.trigger.cron, timezone: t.definition.trigger.timezone ?? "UTC" };
  return { name: t.name, settings, labels };
}

/** The template's definition with `s` applied; 400 naming the field for a setting the template does not have or a bad cron. */
export function definitionWithSettings(templateId: string, s: TemplateSettings): WorkflowDefinition {
  const t = TEMPLATES.find((x) => x.id === templateId);
  if (!t) throw notFound("Template");
  const allowed = templateDefaults(templateId).settings;
  const def = structuredClone(t.definition);
  const errors: { path: string; message: string }[] = [];
  for (const id of Object.keys(s.recipients))
    if (!(id in allowed.recipients))
      errors.push({ path: `recipients.${id}`, message: "not a message with a fixed recipient in this template" });
  for (const id of Object.keys(s.approvals))
    if (!(id in allowed.approvals)) errors.push({ path: `approvals.${id}`, message: "not an approval step of this template" });
  if (s.schedule && !allowed.schedule) errors.push({ path: "schedule", message: "this template does not run on a schedule" });
  if (s.schedule) {
    try {
      parseCron(s.schedule.cron);
    } catch (err) {
      errors.push({ path: "schedule.cron", message: (err as Error).message || "not a five-field cron expression" });
    }
  }
  if (errors.length) throw validationFailed(errors);
  for (const n of def.nodes) {
    const to = s.recipients[n.id];
    if (to !== undefined) n.config = { ...n.config, to };
    const a = s.approvals[n.id];
    if (a) n.config = { ...n.config, approver_roles: a.approver_roles, timeout_hours: a.timeout_hours };
  }
  if (s.schedule && def.trigger.type === "schedule")
    def.trigger = { type: "schedule", cron: s.schedule.cron, timezone: s.schedule.timezone };
  assertValid(def);
  return def;
}

/** Creates the draft, or updates the one this wizard created before (`existingId`, when it still exists). */
export async function saveTemplateDraft(
  db: Db,
  env: Env,
  tenantId: string,
  input: { templateId: string; name: string; settings: TemplateSettings; existingId: string | null },
  actor: Actor,
): Promise<WorkflowRow> {
  const definition = definitionWithSettings(input.templateId, input.settings);
  const t = TEMPLATES.find((x) => x.id === input.templateId);
  const existing = input.existingId ? await getWorkflowRow(db, tenantId, input.existingId).catch(() => null) : null;
  if (existing && existing.templateId === input.templateId)
    return updateWorkflow(db, tenantId, existing.id, { name: input.name, definition });
  return createWorkflow(
    db,
    env,
    tenantId,
    { name: input.name, description: t?.description, definition, templateId: input.templateId },
    actor,
  );
}

/** Publishes the draft unless its current draft is already the published version (a retried finish publishes nothing new). */
export async function publishIfChanged(db: Db, tenantId: string, id: string, actor: Actor): Promise<WorkflowRow> {
  const row = await getWorkflowRow(db, tenantId, id);
  if (row.publishedAt !== null && row.draftUpdatedAt <= row.publishedAt) return row;
  return publishWorkflow(db, tenantId, id, actor);
}

export { getWorkflowRow };
