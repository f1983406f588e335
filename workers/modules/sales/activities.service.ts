import { eq, or, type SQL } from "drizzle-orm";
import { type ActivityKind, salesActivities } from "../../../schema/sales";
import { tenantScope, type Db } from "../../platform/db";
import { newId } from "../../platform/ids";
import { keyset, type PageQuery, toPage } from "../../platform/pagination";
import type { ActivityRow, Stmt } from "./types";

/**
 * The activity timeline (per lead, deal or company). Every part writes to it through
 * `recordActivity` — a statement, so the activity lands in the same `db.batch()` as the change it
 * records; a `dedupeKey` makes a redelivered event (webhook, queue message) a no-op.
 */

export interface ActivityInput {
  leadId?: string | null;
  companyId?: string | null;
  dealId?: string | null;
  kind: ActivityKind;
  actorId?: string | null;
  summary: string;
  data?: Record<string, unknown>;
  occurredAt?: number;
  dedupeKey?: string;
}

export function activityValues(tenantId: string, a: ActivityInput, now = Date.now()): typeof salesActivities.$inferInsert {
  const at = a.occurredAt ?? now;
  return {
    tenantId,
    id: newId("act"),
    leadId: a.leadId ?? null,
    companyId: a.companyId ?? null,
    dealId: a.dealId ?? null,
    kind: a.kind,
    actorId: a.actorId ?? null,
    summary: a.summary.slice(0, 500),
    data: a.data ?? {},
    dedupeKey: a.dedupeKey ?? null,
    occurredAt: at,
    createdAt: now,
  };
}

/** A statement recording one activity; with `dedupeKey` it is INSERT OR IGNORE (a second delivery changes nothing). */
export function recordActivity(db: Db, tenantId: string, a: ActivityInput): Stmt {
  const ins = db.insert(salesActivities).values(activityValues(tenantId, a));
  return a.dedupeKey ? ins.onConflictDoNothing() : ins;
}

export const serializeActivity = (a: ActivityRow) => ({
  id: a.id,
  kind: a.kind,
  summary: a.summary,
  data: a.data,
  lead_id: a.leadId,
  company_id: a.companyId,
  deal_id: a.dealId,
  actor_id: a.actorId,
  occurred_at: new Date(a.occurredAt).toISOString(),
  created_at: new Date(a.createdAt).toISOString(),
});

/** A timeline, newest first (by when it happened), keyset-paginated on (occurred_at, id). */
export async function listActivities(
  db: Db,
  tenantId: string,
  of: { leadId?: string; dealId?: string; companyId?: string },
  q: PageQuery & { kind?: ActivityKind },
) {
  const page = keyset(salesActivities.occurredAt, salesActivities.id, q.cursor);
  const subject: SQL | undefined = or(
    of.leadId ? eq(salesActivities.leadId, of.leadId) : undefined,
    of.dealId ? eq(salesActivities.dealId, of.dealId) : undefined,
    of.companyId ? eq(salesActivities.companyId, of.companyId) : undefined,
  );
  const rows = await db
    .select()
    .from(salesActivities)
    .where(tenantScope(db, tenantId).where(salesActivities, subject, q.kind ? eq(salesActivities.kind, q.kind) : undefined, page.where))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => ({ createdAt: r.occurredAt, id: r.id }), serializeActivity);
}
