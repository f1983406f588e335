import { and, eq } from "drizzle-orm";
import { crmConnections, crmSyncRuns } from "../../../schema/crm-sync";
import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import { rescoreAfterSync, stagesForSync } from "../sales";
import { adapterForConnection } from "./adapters";
import { type Ctx, messageOf } from "./sync-context";
import { pull } from "./sync-pull";
import { push } from "./sync-push";
import { type CrmAdapter, CrmAuthError } from "./types";

/**
 * One sync run of a connection (docs/sales.md "CRM sync"). Per entity (leads = remote contacts,
 * then deals): pull the remote records changed since the last run, then push the local rows
 * changed since the last run. A link remembers both sides' modified times at the last sync, so:
 * a record changed on one side only is copied to the other; one whose values already agree is
 * only re-linked (no write, no ping-pong); one changed on both sides is a conflict that the
 * connection's rule decides (last modified wins / Weft wins / CRM wins) and the log records.
 */
const log = createLogger({ module: "crmsync" });

/** Runs a queued run to its end (never throws: a failure is written on the run and, for auth, on the connection). */
export async function runSync(env: Env, tenantId: string, runId: string): Promise<void> {
  const db = getDb(env.DB);
  const run = await db
    .select()
    .from(crmSyncRuns)
    .where(and(eq(crmSyncRuns.tenantId, tenantId), eq(crmSyncRuns.id, runId)))
    .get();
  const conn = run
    ? await db
        .select()
        .from(crmConnections)
        .where(and(eq(crmConnections.tenantId, tenantId), eq(crmConnections.id, run.connectionId)))
        .get()
    : undefined;
  if (!run || !conn || run.status !== "queued") return;
  const startedAt = Date.now();
  await db.update(crmSyncRuns).set({ status: "running", startedAt, phase: "starting" }).where(eq(crmSyncRuns.id, runId));
  const counts = { pulled: 0, pushed: 0, created: 0, updated: 0, unchanged: 0, conflicts: 0, errors: 0 };
  const x: Ctx = {
    env,
    db,
    conn,
    runId,
    adapter: null as unknown as CrmAdapter,
    stages: [],
    counts,
    records: [],
    noMoreLeads: false,
    wroteLeads: false,
    pulledThrough: { ...conn.pulledThrough },
    pushedThrough: { ...conn.pushedThrough },
  };
  let failure: string | null = null;
  let authFailed = false;
  try {
    x.adapter = await adapterForConnection(env, db, conn);
    x.stages = await stagesForSync(db, tenantId);
    const remoteStages = await x.adapter.stages();
    x.conn = { ...conn, remoteStages };
    for (const entity of ["lead", "deal"] as const) {
      if (conn.direction !== "push") await pull(x, entity);
      if (conn.direction !== "pull") await push(x, entity);
    }
  } catch (e) {
    authFailed = e instanceof CrmAuthError;
    failure = messageOf(e);
    log.warn("crm_sync_failed", { tenant_id: tenantId, connection_id: conn.id, run_id: runId, error: failure });
  }
  if (x.wroteLeads) await rescoreAfterSync(db, tenantId).catch(() => {});
  const now = Date.now();
  const status = failure ? "failed" : counts.errors ? "partial" : "succeeded";
  await db.batch([
    db
      .update(crmSyncRuns)
      .set({ status, phase: null, ...counts, records: x.records, error: failure, finishedAt: now })
      .where(eq(crmSyncRuns.id, runId)),
    db
      .update(crmConnections)
      .set({
        status: authFailed ? "error" : "active",
        lastError: failure,
        lastSyncAt: now,
        pulledThrough: x.pulledThrough,
        pushedThrough: x.pushedThrough,
        remoteStages: x.conn.remoteStages,
        updatedAt: now,
      })
      .where(and(eq(crmConnections.tenantId, tenantId), eq(crmConnections.id, conn.id))),
  ]);
}
