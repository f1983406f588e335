import { and, asc, eq, gt, inArray, or, sql } from "drizzle-orm";
import { listSyncConnections, listSyncRuns } from "../../../../schema/list-sync";
import { listSubscribers } from "../../../../schema/messaging";
import { getDb, type Db } from "../../../platform/db";
import type { Env } from "../../../platform/env";
import { newId } from "../../../platform/ids";
import { createLogger } from "../../../platform/logger";
import { adapterFor } from "./adapters";
import { SyncHttpError } from "./http";
import { enqueueListSync } from "./messages";
import type { ContactResult, SyncContact } from "./types";

import {
  chunks,
  diff,
  IN_CHUNK,
  pullUnsubscribes,
  pushContacts,
  RUN_LIMITS,
  type Sub,
  type Tally,
  tallyOf,
  unsubscribeRemoved,
} from "./contact-steps";
export type Conn = typeof listSyncConnections.$inferSelect;
export type Run = typeof listSyncRuns.$inferSelect;
export { RUN_LIMITS } from "./contact-steps";
export { adapterFor };

const log = createLogger({ component: "list_sync" });

export const nextSyncAfter = (schedule: Conn["schedule"], from: number) =>
  schedule === "hourly" ? from + 3_600_000 : schedule === "daily" ? from + 86_400_000 : null;

async function saveRun(db: Db, run: Run, t: Tally, extra: Partial<Run> = {}) {
  await db
    .update(listSyncRuns)
    .set({ ...t, ...extra })
    .where(and(eq(listSyncRuns.tenantId, run.tenantId), eq(listSyncRuns.id, run.id)));
}

async function finish(db: Db, conn: Conn, run: Run, t: Tally, error: string | null, connectionBroken = false) {
  const now = Date.now();
  const status: Run["status"] = error ? "failed" : t.failed ? (t.created + t.updated + t.unsubscribed ? "partial" : "failed") : "succeeded";
  await db.batch([
    db
      .update(listSyncRuns)
      .set({ ...t, status, error, finishedAt: now })
      .where(and(eq(listSyncRuns.tenantId, run.tenantId), eq(listSyncRuns.id, run.id))),
    db
      .update(listSyncConnections)
      .set({
        lastSyncAt: now,
        status: connectionBroken ? "error" : "ok",
        lastError: error ?? (t.failed ? `${t.failed} contact(s) failed in the last sync` : null),
      })
      .where(and(eq(listSyncConnections.tenantId, conn.tenantId), eq(listSyncConnections.id, conn.id))),
  ]);
  log.info("list_sync_run", { tenant_id: run.tenantId, run_id: run.id, provider: conn.provider, status, ...t, errors: t.errors.length });
}

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Runs (or continues, from `cursor`) a full sync. Idempotent per message: a run is claimed once; a continuation re-reading a page pushes nothing already in sync. */
export async function processRun(env: Env, tenantId: string, runId: string, cursor: string | null): Promise<string> {
  const db = getDb(env.DB);
  let run: Run | undefined;
  if (!cursor) {
    run = await db
      .update(listSyncRuns)
      .set({ status: "running", startedAt: Date.now() })
      .where(and(eq(listSyncRuns.tenantId, tenantId), eq(listSyncRuns.id, runId), eq(listSyncRuns.status, "queued")))
      .returning()
      .get();
  } else {
    run = await db
      .select()
      .from(listSyncRuns)
      .where(and(eq(listSyncRuns.tenantId, tenantId), eq(listSyncRuns.id, runId), eq(listSyncRuns.status, "running")))
      .get();
  }
  if (!run) return "skipped";
  const conn = await db
    .select()
    .from(listSyncConnections)
    .where(and(eq(listSyncConnections.tenantId, tenantId), eq(listSyncConnections.id, run.connectionId)))
    .get();
  const t = tallyOf(run);
  if (!conn) {
    await db
      .update(listSyncRuns)
      .set({ status: "failed", error: "The connection was deleted", finishedAt: Date.now() })
      .where(and(eq(listSyncRuns.tenantId, tenantId), eq(listSyncRuns.id, runId)));
    return "failed";
  }
  try {
    const adapter = await adapterFor(env, conn);
    if (!cursor) {
      const [{ n }] = (await db
        .select({ n: sql<number>`count(*)` })
        .from(listSubscribers)
        .where(and(eq(listSubscribers.tenantId, tenantId), eq(listSubscribers.listId, conn.listId)))) as [{ n: number }];
      await saveRun(db, run, t, { total: n });
      if (conn.direction === "two_way") await pullUnsubscribes(db, env, adapter, conn, t);
    }
    let after = cursor ? parseCursor(cursor) : null;
    const pending: SyncContact[] = [];
    for (let page = 0; page < RUN_LIMITS.pagesPerMessage; page++) {
      const rows = await db
        .select({
          email: listSubscribers.email,
          name: listSubscribers.name,
          status: listSubscribers.status,
          createdAt: listSubscribers.createdAt,
          id: listSubscribers.id,
        })
        .from(listSubscribers)
        .where(
          and(
            eq(listSubscribers.tenantId, tenantId),
            eq(listSubscribers.listId, conn.listId),
            after
              ? or(
                  gt(listSubscribers.createdAt, after.createdAt),
                  and(eq(listSubscribers.createdAt, after.createdAt), gt(listSubscribers.id, after.id)),
                )
              : undefined,
          ),
        )
        .orderBy(asc(listSubscribers.createdAt), asc(listSubscribers.id))
        .limit(RUN_LIMITS.pageSize);
      if (rows.length) pending.push(...(await diff(db, conn, rows, t)));
      const done = rows.length < RUN_LIMITS.pageSize;
      // Push in the provider's full batches; the rest waits for the next page (or the end).
      const ready = done ? pending.length : Math.floor(pending.length / adapter.batchSize) * adapter.batchSize;
      await pushContacts(db, adapter, conn, pending.splice(0, ready), t);
      await saveRun(db, run, t);
      if (done) {
        await unsubscribeRemoved(db, adapter, conn, t);
        await saveRun(db, run, t);
        await finish(db, conn, run, t, null);
        return "done";
      }
      const last = rows[rows.length - 1];
      if (last) after = { createdAt: last.createdAt, id: last.id };
    }
    await pushContacts(db, adapter, conn, pending, t);
    await saveRun(db, run, t);
    await enqueueListSync(env.OUTBOX, {
      v: 1,
      kind: "list_sync.run",
      tenantId,
      runId,
      cursor: after ? `${after.createdAt}:${after.id}` : null,
    });
    return "continued";
  } catch (e) {
    if (e instanceof SyncHttpError) {
      await finish(db, conn, run, t, e.message, true);
      return "failed";
    }
    await finish(db, conn, run, t, `Internal error: ${describe(e)}`);
    throw e;
  }
}

function parseCursor(c: string): { createdAt: number; id: string } {
  const i = c.indexOf(":");
  return { createdAt: Number(c.slice(0, i)), id: c.slice(i + 1) };
}

/**
 * Incremental sync of addresses that changed on a list, for each of its enabled connections. A
 * run is logged only when something was pushed or failed (a change already in sync logs nothing).
 * An address no longer on the list (removed, erased) is unsubscribed at the provider.
 */
export async function processChanges(env: Env, tenantId: string, listId: string, emails: string[]): Promise<void> {
  const db = getDb(env.DB);
  const conns = await db
    .select()
    .from(listSyncConnections)
    .where(and(eq(listSyncConnections.tenantId, tenantId), eq(listSyncConnections.listId, listId), eq(listSyncConnections.enabled, true)));
  if (!conns.length) return;
  const found = new Map<string, Sub>();
  for (const part of chunks(emails, IN_CHUNK)) {
    const rows = await db
      .select({ email: listSubscribers.email, name: listSubscribers.name, status: listSubscribers.status })
      .from(listSubscribers)
      .where(and(eq(listSubscribers.tenantId, tenantId), eq(listSubscribers.listId, listId), inArray(listSubscribers.email, part)));
    for (const r of rows) found.set(r.email, r);
  }
  const subs: Sub[] = emails.map((e) => found.get(e) ?? { email: e, name: null, status: "unsubscribed" });
  for (const conn of conns) {
    const now = Date.now();
    const run: Run = {
      tenantId,
      id: newId("lsr"),
      connectionId: conn.id,
      listId,
      trigger: "change",
      mode: "incremental",
      status: "running",
      total: subs.length,
      processed: 0,
      created: 0,
      updated: 0,
      unsubscribed: 0,
      pulled: 0,
      skipped: 0,
      failed: 0,
      errors: [],
      error: null,
      startedAt: now,
      finishedAt: null,
      createdAt: now,
    };
    const t = tallyOf(run);
    let error: string | null = null;
    try {
      await pushContacts(db, await adapterFor(env, conn), conn, await diff(db, conn, subs, t), t);
    } catch (e) {
      if (!(e instanceof SyncHttpError)) throw e;
      error = e.message;
    }
    if (!error && t.skipped === t.processed) continue;
    await db.insert(listSyncRuns).values(run);
    await finish(db, conn, run, t, error, !!error);
  }
}

export type { ContactResult };
