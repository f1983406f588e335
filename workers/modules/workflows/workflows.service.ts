import { and, desc, eq, inArray, like, type SQL } from "drizzle-orm";
import { workflowRuns, workflows, workflowVersions } from "../../../schema/workflows";
import { type Actor, auditInsert } from "../../platform/audit";
import { encryptSecret, decryptSecret } from "../../platform/crypto";
import { containsPattern, type Db, tenantScope } from "../../platform/db";
import type { Env } from "../../platform/env";
import { getConfig } from "../../platform/env";
import { conflict, notFound, validationFailed } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, type PageQuery, toPage } from "../../platform/pagination";
import { generateWebhookSecret } from "../../platform/standard-webhooks";
import { parseCron, nextCronTime } from "./cron-expression";
import { emptyDefinition, type WorkflowDefinition } from "./definition";
import { validateDefinition } from "./validate";

export type WorkflowRow = typeof workflows.$inferSelect;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function serializeSummary(r: WorkflowRow) {
  const draft = r.draft as WorkflowDefinition;
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    status: r.status,
    trigger: draft.trigger,
    published_version: r.publishedVersion,
    published_at: iso(r.publishedAt),
    has_unpublished_changes: r.publishedAt === null || r.draftUpdatedAt > r.publishedAt,
    template_id: r.templateId,
    created_at: new Date(r.createdAt).toISOString(),
    updated_at: new Date(r.updatedAt).toISOString(),
  };
}
export function serializeWorkflow(r: WorkflowRow, origin: string) {
  return { ...serializeSummary(r), definition: r.draft as WorkflowDefinition, webhook_url: `${origin}/webhooks/workflows/${r.id}` };
}

export async function getWorkflowRow(db: Db, tenantId: string, id: string): Promise<WorkflowRow> {
  const row = await db
    .select()
    .from(workflows)
    .where(tenantScope(db, tenantId).where(workflows, eq(workflows.id, id)))
    .get();
  if (!row) throw notFound("Workflow");
  return row;
}

export async function listWorkflows(db: Db, tenantId: string, q: PageQuery & { q?: string; status?: WorkflowRow["status"] }) {
  const page = keyset(workflows.createdAt, workflows.id, q.cursor);
  const conds: (SQL | undefined)[] = [page.where];
  if (q.status) conds.push(eq(workflows.status, q.status));
  if (q.q) conds.push(like(workflows.name, containsPattern(q.q)));
  const rows = await db
    .select()
    .from(workflows)
    .where(tenantScope(db, tenantId).where(workflows, ...conds))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeSummary);
}

export async function createWorkflow(
  db: Db,
  env: Env,
  tenantId: string,
  input: { name: string; description?: string; definition?: WorkflowDefinition; templateId?: string },
  actor: Actor,
): Promise<WorkflowRow> {
  const now = Date.now();
  const row: WorkflowRow = {
    tenantId,
    id: newId("wf"),
    name: input.name,
    description: input.description ?? "",
    status: "draft",
    draft: input.definition ?? emptyDefinition(),
    draftUpdatedAt: now,
    publishedVersion: null,
    publishedAt: null,
    triggerType: null,
    triggerEvent: null,
    scheduleCron: null,
    scheduleTimezone: null,
    nextRunAt: null,
    webhookSecret: await encryptSecret(generateWebhookSecret(), getConfig(env).ENCRYPTION_KEY),
    templateId: input.templateId ?? null,
    createdBy: actor.type === "user" ? actor.id : null,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(workflows).values(row);
  return row;
}

export async function updateWorkflow(
  db: Db,
  tenantId: string,
  id: string,
  input: { name?: string; description?: string; definition?: WorkflowDefinition },
): Promise<WorkflowRow> {
  await getWorkflowRow(db, tenantId, id);
  const now = Date.now();
  const set: Partial<WorkflowRow> = { updatedAt: now };
  if (input.name !== undefined) set.name = input.name;
  if (input.description !== undefined) set.description = input.description;
  if (input.definition !== undefined) {
    set.draft = input.definition;
    set.draftUpdatedAt = now;
  }
  await db
    .update(workflows)
    .set(set)
    .where(tenantScope(db, tenantId).where(workflows, eq(workflows.id, id)));
  return getWorkflowRow(db, tenantId, id);
}

const ACTIVE = ["queued", "running", "waiting"] as const;

export async function deleteWorkflow(db: Db, tenantId: string, id: string, actor: Actor): Promise<void> {
  const row = await getWorkflowRow(db, tenantId, id);
  const active = await db
    .select({ id: workflowRuns.id })
    .from(workflowRuns)
    .where(tenantScope(db, tenantId).where(workflowRuns, eq(workflowRuns.workflowId, id), inArray(workflowRuns.status, [...ACTIVE])))
    .limit(1)
    .get();
  if (active) throw conflict("This workflow has runs in progress; cancel them first.", "workflow-has-active-runs");
  const scope = tenantScope(db, tenantId);
  await db.batch([
    db.delete(workflowVersions).where(scope.where(workflowVersions, eq(workflowVersions.workflowId, id))),
    db.delete(workflows).where(scope.where(workflows, eq(workflows.id, id))),
    auditInsert(db, actor, { tenantId, action: "workflow.deleted", target: { type: "workflow", id }, metadata: { name: row.name } }),
  ]);
}

/** Validates the draft; a definition with errors is a 400 naming each (path = node/field). */
export function assertValid(def: WorkflowDefinition): void {
  const errors = validateDefinition(def);
  if (errors.length)
    throw validationFailed(errors.map((e) => ({ path: e.node_id ? `nodes.${e.node_id}.${e.field}` : e.field, message: e.message })));
}

/** Trigger columns of a published definition (what the listener, cron tick and webhook read). */
export function triggerColumns(def: WorkflowDefinition, now: number) {
  const t = def.trigger;
  return {
    triggerType: t.type,
    triggerEvent: t.type === "event" ? t.event : null,
    scheduleCron: t.type === "schedule" ? t.cron : null,
    scheduleTimezone: t.type === "schedule" ? (t.timezone ?? "UTC") : null,
    nextRunAt: t.type === "schedule" ? nextCronTime(parseCron(t.cron), now, t.timezone ?? "UTC") : null,
  };
}

/** Publishes the draft as a new immutable version, with an audit row in the same batch. */
export async function publishWorkflow(db: Db, tenantId: string, id: string, actor: Actor): Promise<WorkflowRow> {
  const row = await getWorkflowRow(db, tenantId, id);
  const def = row.draft as WorkflowDefinition;
  assertValid(def);
  const version = (row.publishedVersion ?? 0) + 1;
  const now = Math.max(Date.now(), row.draftUpdatedAt);
  const scope = tenantScope(db, tenantId);
  const [inserted] = await db.batch([
    db
      .insert(workflowVersions)
      .values({ tenantId, workflowId: id, version, definition: def, publishedBy: actor.id, createdAt: now })
      .onConflictDoNothing()
      .returning({ version: workflowVersions.version }),
    db
      .update(workflows)
      .set({ status: "published", publishedVersion: version, publishedAt: now, updatedAt: now, ...triggerColumns(def, now) })
      .where(
        scope.where(
          workflows,
          eq(workflows.id, id),
          row.publishedVersion === null ? undefined : eq(workflows.publishedVersion, row.publishedVersion),
        ),
      ),
    auditInsert(db, actor, {
      tenantId,
      action: "workflow.published",
      target: { type: "workflow", id },
      metadata: { version, name: row.name },
    }),
  ]);
  if (!inserted.length) throw conflict("Someone published this workflow at the same moment; reload and try again.");
  return getWorkflowRow(db, tenantId, id);
}

export async function listVersions(db: Db, tenantId: string, id: string) {
  await getWorkflowRow(db, tenantId, id);
  const rows = await db
    .select()
    .from(workflowVersions)
    .where(tenantScope(db, tenantId).where(workflowVersions, eq(workflowVersions.workflowId, id)))
    .orderBy(desc(workflowVersions.version));
  return rows.map((v) => ({
    version: v.version,
    definition: v.definition as WorkflowDefinition,
    published_by: v.publishedBy,
    published_at: new Date(v.createdAt).toISOString(),
  }));
}

export async function getVersionDefinition(db: Db, tenantId: string, workflowId: string, version: number): Promise<WorkflowDefinition> {
  const v = await db
    .select({ definition: workflowVersions.definition })
    .from(workflowVersions)
    .where(and(eq(workflowVersions.tenantId, tenantId), eq(workflowVersions.workflowId, workflowId), eq(workflowVersions.version, version)))
    .get();
  if (!v) throw notFound("Workflow version");
  return v.definition as WorkflowDefinition;
}

export async function webhookSecretOf(env: Env, row: WorkflowRow): Promise<string> {
  return decryptSecret(row.webhookSecret, getConfig(env).ENCRYPTION_KEY);
}
