import { and, eq, inArray } from "drizzle-orm";
import { crmSyncRuns } from "../../../schema/crm-sync";
import { tenantScope, type Db } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, type PageQuery, toPage } from "../../platform/pagination";
import type { ConnectionRow } from "./adapters";
import { getConnectionRow } from "./connections.service";
import { type RunRow, serializeRun } from "./serialize";

/** A connection's run log: queueing a run, listing and reading runs. The run itself is engine.ts. */
/** Queues a run unless one is queued or running (returns that one then). */
export async function startRun(db: Db, conn: ConnectionRow, trigger: "manual" | "schedule"): Promise<{ run: RunRow; fresh: boolean }> {
  const active = await db
    .select()
    .from(crmSyncRuns)
    .where(
      and(
        eq(crmSyncRuns.tenantId, conn.tenantId),
        eq(crmSyncRuns.connectionId, conn.id),
        inArray(crmSyncRuns.status, ["queued", "running"]),
      ),
    )
    .get();
  // A run stuck for an hour (its worker died) no longer blocks new ones.
  if (active && active.createdAt > Date.now() - 3_600_000) return { run: active, fresh: false };
  const now = Date.now();
  const run: RunRow = {
    tenantId: conn.tenantId,
    id: newId("crr"),
    connectionId: conn.id,
    trigger,
    status: "queued",
    phase: "queued",
    pulled: 0,
    pushed: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    conflicts: 0,
    errors: 0,
    records: [],
    error: null,
    startedAt: null,
    finishedAt: null,
    createdAt: now,
  };
  const stmts = [db.insert(crmSyncRuns).values(run)];
  if (active)
    stmts.push(
      db
        .update(crmSyncRuns)
        .set({ status: "failed", error: "Abandoned (no progress for an hour)", finishedAt: now })
        .where(eq(crmSyncRuns.id, active.id)) as never,
    );
  await db.batch(stmts as [(typeof stmts)[number]]);
  return { run, fresh: true };
}

export async function listRuns(db: Db, tenantId: string, connectionId: string, q: PageQuery) {
  await getConnectionRow(db, tenantId, connectionId);
  const page = keyset(crmSyncRuns.createdAt, crmSyncRuns.id, q.cursor);
  const rows = await db
    .select()
    .from(crmSyncRuns)
    .where(tenantScope(db, tenantId).where(crmSyncRuns, eq(crmSyncRuns.connectionId, connectionId), page.where))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeRun);
}

export async function getRun(db: Db, tenantId: string, id: string) {
  const row = await db
    .select()
    .from(crmSyncRuns)
    .where(tenantScope(db, tenantId).where(crmSyncRuns, eq(crmSyncRuns.id, id)))
    .get();
  if (!row) throw notFound("Sync run");
  return row;
}
