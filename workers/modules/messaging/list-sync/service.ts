import { and, desc, eq, inArray } from "drizzle-orm";
import { listSyncConnections, listSyncContacts, listSyncRuns, type ListSyncProvider } from "../../../../schema/list-sync";
import { auditInsert, type Actor } from "../../../platform/audit";
import { encryptSecret } from "../../../platform/crypto";
import { tenantScope, type Db } from "../../../platform/db";
import type { Env } from "../../../platform/env";
import { conflict, notFound, validationFailed } from "../../../platform/errors";
import { newId } from "../../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../../platform/pagination";
import { iso } from "../../../platform/request";
import { messagingConfig } from "../config";
import { getListRow } from "../lists.service";
import { adapterFor, nextSyncAfter, type Conn, type Run } from "./engine";
import { SyncHttpError } from "./http";
import { mailchimpDataCenter } from "./mailchimp";
import { enqueueListSync } from "./messages";

export const DEFAULT_FIELD_MAP: Record<ListSyncProvider, Conn["fieldMap"]> = {
  mailchimp: { first_name: "FNAME", last_name: "LNAME" },
  sendgrid: { first_name: "first_name", last_name: "last_name" },
  kit: { first_name: "first_name", last_name: null },
};
/** A run still `queued`/`running` after this long was interrupted (a consumer died); a new one may start. */
const STALE_RUN_MS = 60 * 60_000;

const mask = (s: string) => (s.length <= 8 ? "••••" : `${s.slice(0, 4)}••••${s.slice(-4)}`);

export const serializeRun = (r: Run) => ({
  id: r.id,
  connection_id: r.connectionId,
  trigger: r.trigger,
  mode: r.mode,
  status: r.status,
  total: r.total,
  processed: r.processed,
  counts: { created: r.created, updated: r.updated, unsubscribed: r.unsubscribed, pulled: r.pulled, skipped: r.skipped, failed: r.failed },
  errors: r.errors,
  error: r.error,
  started_at: iso(r.startedAt),
  finished_at: iso(r.finishedAt),
  created_at: new Date(r.createdAt).toISOString(),
});

export const serializeConnection = (c: Conn, lastRun: Run | null) => ({
  id: c.id,
  list_id: c.listId,
  provider: c.provider,
  credentials_hint: c.credentialsHint,
  remote_list_id: c.remoteListId,
  remote_target: c.remoteTarget,
  field_map: c.fieldMap,
  direction: c.direction,
  schedule: c.schedule,
  enabled: c.enabled,
  status: c.status,
  last_error: c.lastError,
  last_sync_at: iso(c.lastSyncAt),
  next_sync_at: iso(c.nextSyncAt),
  last_run: lastRun ? serializeRun(lastRun) : null,
  created_at: new Date(c.createdAt).toISOString(),
  updated_at: new Date(c.updatedAt).toISOString(),
});

export interface ConnectionInput {
  provider: ListSyncProvider;
  api_key: string;
  remote_list_id: string;
  remote_target?: "list" | "form" | "tag";
  field_map?: { first_name: string | null; last_name: string | null };
  direction?: "push" | "two_way";
  schedule?: "off" | "hourly" | "daily";
  enabled?: boolean;
}

/** Provider-specific checks a person can act on (the API key's shape, the remote id, Kit's form/tag). */
function checkInput(provider: ListSyncProvider, i: Partial<ConnectionInput>) {
  const errors: { path: string; message: string }[] = [];
  if (i.api_key !== undefined) {
    if (provider === "mailchimp" && !mailchimpDataCenter(i.api_key))
      errors.push({ path: "api_key", message: "A Mailchimp API key ends with its data centre, like …-us21" });
    if (provider === "sendgrid" && !i.api_key.startsWith("SG."))
      errors.push({ path: "api_key", message: "A SendGrid API key starts with “SG.”" });
  }
  if (i.remote_list_id !== undefined && provider === "kit" && !/^\d+$/.test(i.remote_list_id))
    errors.push({ path: "remote_list_id", message: "A Kit form or tag id is a number (see its URL in Kit)" });
  if (i.remote_target !== undefined) {
    if (provider === "kit" && i.remote_target === "list")
      errors.push({ path: "remote_target", message: "Kit connections add subscribers to a form or a tag: choose one" });
    if (provider !== "kit" && i.remote_target !== "list")
      errors.push({ path: "remote_target", message: "Only Kit connections use a form or a tag" });
  }
  if (errors.length) throw validationFailed(errors);
}

async function connRow(db: Db, tenantId: string, listId: string, id: string): Promise<Conn> {
  const row = await db
    .select()
    .from(listSyncConnections)
    .where(tenantScope(db, tenantId).where(listSyncConnections, eq(listSyncConnections.listId, listId), eq(listSyncConnections.id, id)))
    .get();
  if (!row) throw notFound("Sync connection");
  return row;
}

async function lastRunOf(db: Db, tenantId: string, connectionId: string): Promise<Run | null> {
  return (
    (await db
      .select()
      .from(listSyncRuns)
      .where(and(eq(listSyncRuns.tenantId, tenantId), eq(listSyncRuns.connectionId, connectionId)))
      .orderBy(desc(listSyncRuns.createdAt), desc(listSyncRuns.id))
      .limit(1)
      .get()) ?? null
  );
}

export async function listConnections(db: Db, tenantId: string, listId: string) {
  await getListRow(db, tenantId, listId);
  const rows = await db
    .select()
    .from(listSyncConnections)
    .where(tenantScope(db, tenantId).where(listSyncConnections, eq(listSyncConnections.listId, listId)))
    .orderBy(listSyncConnections.createdAt);
  return { data: await Promise.all(rows.map(async (r) => serializeConnection(r, await lastRunOf(db, tenantId, r.id)))) };
}

export async function getConnection(db: Db, tenantId: string, listId: string, id: string) {
  const row = await connRow(db, tenantId, listId, id);
  return serializeConnection(row, await lastRunOf(db, tenantId, id));
}

export async function createConnection(db: Db, env: Env, tenantId: string, listId: string, input: ConnectionInput, actor: Actor) {
  await getListRow(db, tenantId, listId);
  const target = input.remote_target ?? (input.provider === "kit" ? "form" : "list");
  checkInput(input.provider, { ...input, remote_target: target });
  const now = Date.now();
  const schedule = input.schedule ?? "daily";
  const row: Conn = {
    tenantId,
    id: newId("lsc"),
    listId,
    provider: input.provider,
    credentials: await encryptSecret(input.api_key.trim(), messagingConfig(env).encryptionKey),
    credentialsHint: mask(input.api_key.trim()),
    remoteListId: input.remote_list_id.trim(),
    remoteTarget: target,
    fieldMap: input.field_map ?? DEFAULT_FIELD_MAP[input.provider],
    direction: input.direction ?? "push",
    schedule,
    enabled: input.enabled ?? true,
    status: "new",
    lastError: null,
    lastSyncAt: null,
    nextSyncAt: nextSyncAfter(schedule, now),
    pulledThrough: null,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(listSyncConnections).values(row),
    auditInsert(db, actor, {
      tenantId,
      action: "email_list.sync_connected",
      target: { type: "list_sync_connection", id: row.id },
      metadata: { list_id: listId, provider: row.provider, remote_list_id: row.remoteListId, direction: row.direction },
    }),
  ]);
  return serializeConnection(row, null);
}

export async function updateConnection(
  db: Db,
  env: Env,
  tenantId: string,
  listId: string,
  id: string,
  patch: Partial<Omit<ConnectionInput, "provider">>,
  actor: Actor,
) {
  const row = await connRow(db, tenantId, listId, id);
  checkInput(row.provider, patch);
  const now = Date.now();
  const next: Partial<Conn> = { updatedAt: now };
  if (patch.api_key !== undefined) {
    next.credentials = await encryptSecret(patch.api_key.trim(), messagingConfig(env).encryptionKey);
    next.credentialsHint = mask(patch.api_key.trim());
    next.status = "new";
    next.lastError = null;
  }
  if (patch.remote_list_id !== undefined) next.remoteListId = patch.remote_list_id.trim();
  if (patch.remote_target !== undefined) next.remoteTarget = patch.remote_target;
  if (patch.field_map !== undefined) next.fieldMap = patch.field_map;
  if (patch.direction !== undefined) next.direction = patch.direction;
  if (patch.enabled !== undefined) next.enabled = patch.enabled;
  if (patch.schedule !== undefined) {
    next.schedule = patch.schedule;
    next.nextSyncAt = nextSyncAfter(patch.schedule, now);
  }
  // Another remote list or mapping: what was pushed before says nothing about it, so the next run sends everyone.
  const resetState =
    (patch.remote_list_id !== undefined && next.remoteListId !== row.remoteListId) ||
    (patch.remote_target !== undefined && patch.remote_target !== row.remoteTarget) ||
    (patch.field_map !== undefined && JSON.stringify(patch.field_map) !== JSON.stringify(row.fieldMap));
  if (resetState) next.pulledThrough = null;
  const stmts = [
    db
      .update(listSyncConnections)
      .set(next)
      .where(and(eq(listSyncConnections.tenantId, tenantId), eq(listSyncConnections.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "email_list.sync_updated",
      target: { type: "list_sync_connection", id },
      metadata: {
        list_id: listId,
        fields: Object.keys(patch).filter((k) => k !== "api_key"),
        credentials_changed: patch.api_key !== undefined,
      },
    }),
    ...(resetState
      ? [db.delete(listSyncContacts).where(and(eq(listSyncContacts.tenantId, tenantId), eq(listSyncContacts.connectionId, id)))]
      : []),
  ];
  await db.batch(stmts as [(typeof stmts)[number], ...(typeof stmts)[number][]]);
  return getConnection(db, tenantId, listId, id);
}

export async function deleteConnection(db: Db, tenantId: string, listId: string, id: string, actor: Actor) {
  const row = await connRow(db, tenantId, listId, id);
  await db.batch([
    db.delete(listSyncContacts).where(and(eq(listSyncContacts.tenantId, tenantId), eq(listSyncContacts.connectionId, id))),
    db.delete(listSyncRuns).where(and(eq(listSyncRuns.tenantId, tenantId), eq(listSyncRuns.connectionId, id))),
    db.delete(listSyncConnections).where(and(eq(listSyncConnections.tenantId, tenantId), eq(listSyncConnections.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "email_list.sync_disconnected",
      target: { type: "list_sync_connection", id },
      metadata: { list_id: listId, provider: row.provider, remote_list_id: row.remoteListId },
    }),
  ]);
}

/** Calls the provider with the stored key (Mailchimp /ping + the audience, SendGrid /v3/scopes + the list, Kit /v4/account). */
export async function testConnection(db: Db, env: Env, tenantId: string, listId: string, id: string) {
  const row = await connRow(db, tenantId, listId, id);
  let result: { ok: boolean; detail: string; status: number | null };
  try {
    result = { ok: true, detail: await (await adapterFor(env, row)).test(), status: null };
  } catch (e) {
    if (!(e instanceof SyncHttpError)) throw e;
    result = { ok: false, detail: e.message, status: e.status };
  }
  await db
    .update(listSyncConnections)
    .set({ status: result.ok ? "ok" : "error", lastError: result.ok ? null : result.detail })
    .where(and(eq(listSyncConnections.tenantId, tenantId), eq(listSyncConnections.id, id)));
  return result;
}

/**
 * Queues a full sync of a connection. One run at a time per connection: a queued or running one
 * answers 409 (or, for the cron, is left alone), unless it is stale (its consumer died).
 */
export async function startRun(db: Db, env: Env, conn: Conn, trigger: Run["trigger"], opts: { skipIfActive?: boolean } = {}) {
  const now = Date.now();
  const active = await db
    .select()
    .from(listSyncRuns)
    .where(
      and(
        eq(listSyncRuns.tenantId, conn.tenantId),
        eq(listSyncRuns.connectionId, conn.id),
        inArray(listSyncRuns.status, ["queued", "running"]),
        eq(listSyncRuns.mode, "full"),
      ),
    )
    .limit(1)
    .get();
  if (active) {
    if (active.createdAt > now - STALE_RUN_MS) {
      if (opts.skipIfActive) return null;
      throw conflict("A sync of this connection is already in progress; wait for it to finish.", "sync-in-progress");
    }
    await db
      .update(listSyncRuns)
      .set({ status: "failed", error: "Interrupted (no progress for an hour)", finishedAt: now })
      .where(and(eq(listSyncRuns.tenantId, conn.tenantId), eq(listSyncRuns.id, active.id)));
  }
  const run: Run = {
    tenantId: conn.tenantId,
    id: newId("lsr"),
    connectionId: conn.id,
    listId: conn.listId,
    trigger,
    mode: "full",
    status: "queued",
    total: 0,
    processed: 0,
    created: 0,
    updated: 0,
    unsubscribed: 0,
    pulled: 0,
    skipped: 0,
    failed: 0,
    errors: [],
    error: null,
    startedAt: null,
    finishedAt: null,
    createdAt: now,
  };
  await db.insert(listSyncRuns).values(run);
  await enqueueListSync(env.OUTBOX, { v: 1, kind: "list_sync.run", tenantId: conn.tenantId, runId: run.id });
  return run;
}

export async function syncNow(db: Db, env: Env, tenantId: string, listId: string, id: string, actor: Actor) {
  const row = await connRow(db, tenantId, listId, id);
  if (!row.enabled) throw conflict("This connection is paused; enable it to sync.", "sync-disabled");
  const run = await startRun(db, env, row, "manual");
  if (!run) throw conflict("A sync of this connection is already in progress; wait for it to finish.", "sync-in-progress");
  await auditInsert(db, actor, {
    tenantId,
    action: "email_list.sync_started",
    target: { type: "list_sync_connection", id },
    metadata: { list_id: listId, run_id: run.id },
  });
  return serializeRun(run);
}

export async function listRuns(db: Db, tenantId: string, listId: string, q: PageQuery & { connection_id?: string }) {
  await getListRow(db, tenantId, listId);
  const page = keyset(listSyncRuns.createdAt, listSyncRuns.id, q.cursor);
  const rows = await db
    .select()
    .from(listSyncRuns)
    .where(
      tenantScope(db, tenantId).where(
        listSyncRuns,
        eq(listSyncRuns.listId, listId),
        q.connection_id ? eq(listSyncRuns.connectionId, q.connection_id) : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeRun);
}

export async function getRun(db: Db, tenantId: string, listId: string, runId: string) {
  const row = await db
    .select()
    .from(listSyncRuns)
    .where(tenantScope(db, tenantId).where(listSyncRuns, eq(listSyncRuns.listId, listId), eq(listSyncRuns.id, runId)))
    .get();
  if (!row) throw notFound("Sync run");
  return serializeRun(row);
}
