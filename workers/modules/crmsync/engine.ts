import { and, eq } from "drizzle-orm";
import { type CrmEntity, type CrmRunRecord, crmConnections, crmSyncRuns } from "../../../schema/crm-sync";
import { getDb, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import {
  createDealFromSync,
  createLeadFromSync,
  type DealRow,
  dealsByIds,
  dealsChangedSince,
  findLeadForSync,
  LeadLimitReached,
  type LeadInput,
  type LeadRow,
  leadsByIds,
  leadsChangedSince,
  rescoreAfterSync,
  type StageRow,
  stagesForSync,
  type SyncDealInput,
  updateDealFromSync,
  updateLeadFromSync,
} from "../sales";
import { adapterForConnection, type ConnectionRow } from "./adapters";
import { linksByLocal, linksByRemote, saveLink } from "./links";
import { fromRemote, localValue, toRemote } from "./mapping";
import { providerName } from "./http";
import { type CrmAdapter, CrmAuthError, type PushItem, type RemoteRecord } from "./types";

/**
 * One sync run of a connection (docs/sales.md "CRM sync"). Per entity (leads = remote contacts,
 * then deals): pull the remote records changed since the last run, then push the local rows
 * changed since the last run. A link remembers both sides' modified times at the last sync, so:
 * a record changed on one side only is copied to the other; one whose values already agree is
 * only re-linked (no write, no ping-pong); one changed on both sides is a conflict that the
 * connection's rule decides (last modified wins / Weft wins / CRM wins) and the log records.
 */
const log = createLogger({ module: "crmsync" });
const MAX_RECORDS = 200;
const PAGE = 100;
type Scalar = string | number | boolean | null;

interface Ctx {
  env: Env;
  db: Db;
  conn: ConnectionRow;
  runId: string;
  adapter: CrmAdapter;
  stages: StageRow[];
  counts: { pulled: number; pushed: number; created: number; updated: number; unchanged: number; conflicts: number; errors: number };
  records: CrmRunRecord[];
  noMoreLeads: boolean;
  wroteLeads: boolean;
  pulledThrough: Partial<Record<CrmEntity, number>>;
  pushedThrough: Partial<Record<CrmEntity, number>>;
}

const note = (x: Ctx, r: CrmRunRecord) => {
  if (r.kind === "error") x.counts.errors++;
  if (x.records.length < MAX_RECORDS) x.records.push(r);
};
const progress = (x: Ctx, phase: string) =>
  x.db
    .update(crmSyncRuns)
    .set({ phase, ...x.counts, records: x.records })
    .where(and(eq(crmSyncRuns.tenantId, x.conn.tenantId), eq(crmSyncRuns.id, x.runId)));
const mappingOf = (x: Ctx, entity: CrmEntity) => (entity === "lead" ? x.conn.leadMapping : x.conn.dealMapping);

/** The local values a remote record maps to (stage: the mapped local stage; an unknown one → the first stage, reported). */
function valuesOf(x: Ctx, entity: CrmEntity, rec: RemoteRecord): Record<string, Scalar> {
  const out: Record<string, Scalar> = {};
  for (const { remote, local } of mappingOf(x, entity)) {
    if (!(remote in rec.props)) continue;
    let v = fromRemote(entity, local, rec.props[remote]);
    if (local === "stage") {
      const mapped = v === null ? undefined : x.conn.stageMap[String(v)];
      const known = mapped && x.stages.some((s) => s.id === mapped);
      if (!known) {
        const first = x.stages[0];
        note(x, {
          kind: "stage",
          entity,
          local_id: null,
          remote_id: rec.id,
          message: `Unknown ${providerName(x.conn.provider)} stage "${String(v)}": put in "${first?.name}" (map it on the connection page)`,
        });
        v = first?.id ?? null;
      } else v = mapped;
    }
    out[local] = v;
  }
  return out;
}

/** Local values → the service's input (lead input / deal input). */
function inputOf(entity: CrmEntity, values: Record<string, Scalar>): LeadInput & SyncDealInput {
  const input: Record<string, unknown> = {};
  const custom: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(values)) {
    if (k.startsWith("custom:")) custom[k.slice(7)] = v;
    else if (entity === "deal" && k === "amount") input.amount_minor = v ?? 0;
    else if (entity === "deal" && k === "stage") input.stage_id = v;
    else if (k === "expected_close_at") input.expected_close_at = v ? new Date(`${v}T00:00:00Z`).toISOString() : null;
    else input[k] = v;
  }
  if (Object.keys(custom).length) input.custom_fields = custom;
  return input as LeadInput & SyncDealInput;
}

async function pull(x: Ctx, entity: CrmEntity) {
  const { db, conn } = x;
  const t = conn.tenantId;
  const fields = mappingOf(x, entity).map((f) => f.remote);
  let high = conn.pulledThrough[entity] ?? 0;
  // A record that failed (a limit, a validation) is read again next run: the mark stops at it.
  let firstFailed = Number.POSITIVE_INFINITY;
  for await (const page of x.adapter.changed(entity, conn.pulledThrough[entity] ?? null, fields)) {
    const links = await linksByRemote(
      db,
      t,
      conn.id,
      entity,
      page.map((r) => r.id),
    );
    const localIds = [...links.values()].map((l) => l.localId);
    const locals: Map<string, LeadRow | DealRow> =
      entity === "lead" ? await leadsByIds(db, t, localIds) : await dealsByIds(db, t, localIds);
    for (const rec of page) {
      x.counts.pulled++;
      high = Math.max(high, rec.modifiedAt);
      try {
        await pullOne(x, entity, rec, links.get(rec.id), locals);
      } catch (e) {
        if (e instanceof CrmAuthError) throw e;
        firstFailed = Math.min(firstFailed, rec.modifiedAt);
        note(x, { kind: "error", entity, local_id: links.get(rec.id)?.localId ?? null, remote_id: rec.id, message: messageOf(e) });
      }
    }
    await progress(x, `pulling ${entity === "lead" ? "contacts" : "deals"}`);
  }
  x.pulledThrough[entity] = Math.min(high, firstFailed);
}

async function pullOne(
  x: Ctx,
  entity: CrmEntity,
  rec: RemoteRecord,
  link: { localId: string; remoteModifiedAt: number; localModifiedAt: number } | undefined,
  locals: Map<string, LeadRow | DealRow>,
) {
  const { env, db, conn } = x;
  const t = conn.tenantId;
  if (link && rec.modifiedAt <= link.remoteModifiedAt) {
    x.counts.unchanged++;
    return;
  }
  const values = valuesOf(x, entity, rec);
  let row: LeadRow | DealRow | undefined = link ? locals.get(link.localId) : undefined;
  if (!row && entity === "lead" && typeof values.email === "string") row = await findLeadForSync(db, t, values.email);
  if (row && entity === "lead" && (row as LeadRow).mergedInto) row = undefined;
  const save = (localId: string, localModifiedAt: number) =>
    saveLink(db, {
      tenantId: t,
      connectionId: conn.id,
      entity,
      localId,
      remoteId: rec.id,
      remoteModifiedAt: rec.modifiedAt,
      localModifiedAt,
    });

  if (!row) {
    if (entity === "lead") {
      if (x.noMoreLeads) throw new LeadLimitReached("Lead limit reached: the plan allows no more leads; not created.");
      try {
        const lead = await createLeadFromSync(
          env,
          db,
          t,
          { ...inputOf("lead", values), source: `crm:${conn.provider}` },
          `crm:${conn.id}:${rec.id}`,
        );
        x.wroteLeads = true;
        await save(lead.id, lead.updatedAt);
      } catch (e) {
        if (e instanceof LeadLimitReached) x.noMoreLeads = true;
        throw e;
      }
    } else {
      const input = inputOf("deal", values);
      const deal = await createDealFromSync(db, t, { ...input, name: input.name || "Untitled deal", source: `crm:${conn.provider}` });
      await save(deal.id, deal.updatedAt);
    }
    x.counts.created++;
    return;
  }
  const diff = Object.fromEntries(Object.entries(values).filter(([k, v]) => v !== localValue(entity, row, k)));
  if (!Object.keys(diff).length) {
    x.counts.unchanged++;
    await save(row.id, row.updatedAt);
    return;
  }
  const localChanged = link ? row.updatedAt > link.localModifiedAt : false;
  if (localChanged && conn.direction === "two_way") {
    x.counts.conflicts++;
    const weftWins = conn.conflictRule === "weft_wins" || (conn.conflictRule === "last_modified" && row.updatedAt > rec.modifiedAt);
    note(x, {
      kind: "conflict",
      entity,
      local_id: row.id,
      remote_id: rec.id,
      message: `Changed on both sides (${Object.keys(diff).join(", ")}): ${weftWins ? "Weft's" : `${providerName(conn.provider)}'s`} version kept (${ruleText[conn.conflictRule]})`,
    });
    if (weftWins) {
      // Seen the remote change; the push phase sends Weft's version (its local time is still newer than the link's).
      await save(row.id, link?.localModifiedAt ?? 0);
      return;
    }
  }
  const input = inputOf(entity, diff);
  const next = entity === "lead" ? await updateLeadFromSync(env, db, t, row.id, input) : await updateDealFromSync(db, t, row.id, input);
  if (entity === "lead") x.wroteLeads = true;
  await save(row.id, next.updatedAt);
  x.counts.updated++;
}
const ruleText = { last_modified: "last modified wins", weft_wins: "Weft wins", crm_wins: "CRM wins" } as const;

async function push(x: Ctx, entity: CrmEntity) {
  const { db, conn } = x;
  const t = conn.tenantId;
  const since = conn.pushedThrough[entity] ?? 0;
  const reverseStage = new Map<string, string>();
  for (const [remote, local] of Object.entries(conn.stageMap)) if (!reverseStage.has(local)) reverseStage.set(local, remote);
  let after: { at: number; id: string } | null = null;
  let firstFailed = Number.POSITIVE_INFINITY; // a row the CRM refused is offered again next run
  for (;;) {
    const rows: (LeadRow | DealRow)[] =
      entity === "lead" ? await leadsChangedSince(db, t, since, after, PAGE) : await dealsChangedSince(db, t, since, after, PAGE);
    if (!rows.length) break;
    const last = rows[rows.length - 1] as LeadRow | DealRow;
    after = { at: last.updatedAt, id: last.id };
    const links = await linksByLocal(
      db,
      t,
      conn.id,
      entity,
      rows.map((r) => r.id),
    );
    const items: PushItem[] = [];
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const row of rows) {
      const link = links.get(row.id);
      if (link && row.updatedAt <= link.localModifiedAt) continue; // pulled in this run, or pushed before
      const props: Record<string, unknown> = {};
      for (const { remote, local } of mappingOf(x, entity)) {
        let v = localValue(entity, row, local);
        if (local === "stage") {
          v = reverseStage.get(String(v)) ?? (link ? undefined : conn.remoteStages[0]?.id) ?? null;
          if (v === null) continue;
        }
        props[remote] = toRemote(entity, local, v);
      }
      items.push({ localId: row.id, remoteId: link?.remoteId ?? null, props });
    }
    if (items.length) {
      for (const r of await x.adapter.push(entity, items)) {
        const row = byId.get(r.localId) as LeadRow | DealRow;
        if (r.error || !r.remoteId) {
          note(x, { kind: "error", entity, local_id: r.localId, remote_id: null, message: r.error ?? "not written" });
          firstFailed = Math.min(firstFailed, row.updatedAt);
          continue;
        }
        x.counts.pushed++;
        await saveLink(db, {
          tenantId: t,
          connectionId: conn.id,
          entity,
          localId: r.localId,
          remoteId: r.remoteId,
          remoteModifiedAt: r.modifiedAt ?? Date.now(),
          localModifiedAt: row.updatedAt,
        });
      }
    }
    x.pushedThrough[entity] = Math.min(last.updatedAt, firstFailed - 1);
    await progress(x, `pushing ${entity === "lead" ? "contacts" : "deals"}`);
    if (rows.length < PAGE) break;
  }
}

const messageOf = (e: unknown) => {
  const err = e as { detail?: string; message?: string; errors?: { path: string; message: string }[] };
  if (err?.errors?.length) return err.errors.map((f) => `${f.path} ${f.message}`).join("; ");
  return String(err?.detail ?? err?.message ?? e).slice(0, 500);
};

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
