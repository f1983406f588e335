import { and, desc, eq } from "drizzle-orm";
import {
  type CrmConflictRule,
  type CrmDirection,
  type CrmFieldMapping,
  type CrmProvider,
  type CrmRemoteStage,
  type CrmStageMap,
  crmConnections,
  crmLinks,
  crmSyncRuns,
} from "../../../schema/crm-sync";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { conflict, notFound, validationFailed } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { type StageRow, stagesForSync } from "../sales";
import { adapterOf, type ConnectionRow, sealCredentials } from "./adapters";
import { DEFAULT_MAPPINGS, isLocalField } from "./mapping";
import { type RunRow, serializeConnection } from "./serialize";
import type { CrmCredentials } from "./types";

/** Connections (connect, configure, disconnect). Their run log is runs.service.ts; the run itself is engine.ts. */
const hint = (token: string) => (token.length > 8 ? `…${token.slice(-4)}` : "…");

export async function getConnectionRow(db: Db, tenantId: string, id: string): Promise<ConnectionRow> {
  const row = await db
    .select()
    .from(crmConnections)
    .where(tenantScope(db, tenantId).where(crmConnections, eq(crmConnections.id, id)))
    .get();
  if (!row) throw notFound("Connection");
  return row;
}

async function lastRuns(db: Db, tenantId: string, ids: string[]) {
  const out = new Map<string, RunRow>();
  for (const id of ids) {
    const r = await db
      .select()
      .from(crmSyncRuns)
      .where(and(eq(crmSyncRuns.tenantId, tenantId), eq(crmSyncRuns.connectionId, id)))
      .orderBy(desc(crmSyncRuns.createdAt))
      .limit(1)
      .get();
    if (r) out.set(id, r);
  }
  return out;
}

export async function listConnections(db: Db, tenantId: string) {
  const rows = await db
    .select()
    .from(crmConnections)
    .where(tenantScope(db, tenantId).where(crmConnections))
    .orderBy(crmConnections.createdAt);
  const runs = await lastRuns(
    db,
    tenantId,
    rows.map((r) => r.id),
  );
  const stages = rows.length ? await stagesForSync(db, tenantId) : [];
  return rows.map((r) => serializeConnection(r, runs.get(r.id) ?? null, stages));
}

export async function connectionView(db: Db, tenantId: string, row: ConnectionRow) {
  const runs = await lastRuns(db, tenantId, [row.id]);
  return serializeConnection(row, runs.get(row.id) ?? null, await stagesForSync(db, tenantId));
}

/** Default stage map: a remote stage whose label names a local stage (case-insensitive), or won/lost by their words. */
export function defaultStageMap(remote: CrmRemoteStage[], local: StageRow[]): CrmStageMap {
  const map: CrmStageMap = {};
  for (const r of remote) {
    const label = r.label.toLowerCase();
    const hit =
      local.find((s) => s.name.toLowerCase() === label || label.endsWith(`: ${s.name.toLowerCase()}`)) ??
      (/\bwon\b/.test(label) ? local.find((s) => s.outcome === "won") : undefined) ??
      (/\blost\b/.test(label) ? local.find((s) => s.outcome === "lost") : undefined);
    if (hit) map[r.id] = hit.id;
  }
  return map;
}

export interface ConnectInput {
  provider: CrmProvider;
  auth_kind: "token" | "oauth";
  credentials: CrmCredentials;
  direction?: CrmDirection;
  conflict_rule?: CrmConflictRule;
  interval_minutes?: number | null;
}

/** Connects: checks the credentials against the CRM (its account name), reads its deal stages, stores everything sealed. */
export async function connect(env: Env, db: Db, tenantId: string, input: ConnectInput, actor: Actor): Promise<ConnectionRow> {
  const existing = await db
    .select({ id: crmConnections.id })
    .from(crmConnections)
    .where(tenantScope(db, tenantId).where(crmConnections, eq(crmConnections.provider, input.provider)))
    .get();
  if (existing)
    throw conflict(`This workspace is already connected to ${input.provider} (${existing.id}); disconnect it first.`, "crm-connected");
  const adapter = adapterOf(input.provider, input.auth_kind, input.credentials);
  const accountLabel = await adapter.account();
  const remoteStages = await adapter.stages();
  const stages = await stagesForSync(db, tenantId);
  const now = Date.now();
  const interval = input.interval_minutes === undefined ? 60 : input.interval_minutes;
  const row: ConnectionRow = {
    tenantId,
    id: newId("crm"),
    provider: input.provider,
    authKind: input.auth_kind,
    credentials: await sealCredentials(env, input.credentials),
    credentialsHint: hint(input.credentials.access_token),
    accountLabel,
    status: "active",
    lastError: null,
    direction: input.direction ?? "two_way",
    conflictRule: input.conflict_rule ?? "last_modified",
    intervalMinutes: interval,
    leadMapping: DEFAULT_MAPPINGS[input.provider].lead,
    dealMapping: DEFAULT_MAPPINGS[input.provider].deal,
    stageMap: defaultStageMap(remoteStages, stages),
    remoteStages,
    pulledThrough: {},
    pushedThrough: {},
    lastSyncAt: null,
    nextSyncAt: interval ? now + interval * 60_000 : null,
    createdBy: actor.id,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(crmConnections).values(row),
    auditInsert(db, actor, {
      tenantId,
      action: "crm.connection.created",
      target: { type: "crm_connection", id: row.id },
      metadata: { provider: row.provider, auth_kind: row.authKind, account: accountLabel },
    }),
  ]);
  return row;
}

export interface ConnectionPatch {
  direction?: CrmDirection;
  conflict_rule?: CrmConflictRule;
  interval_minutes?: number | null;
  lead_mapping?: CrmFieldMapping[];
  deal_mapping?: CrmFieldMapping[];
  stage_map?: CrmStageMap;
}

export async function updateConnection(db: Db, tenantId: string, id: string, patch: ConnectionPatch, actor: Actor) {
  const cur = await getConnectionRow(db, tenantId, id);
  const errors: { path: string; message: string }[] = [];
  for (const entity of ["lead", "deal"] as const) {
    const list = entity === "lead" ? patch.lead_mapping : patch.deal_mapping;
    list?.forEach((f, i) => {
      if (!isLocalField(entity, f.local))
        errors.push({ path: `${entity}_mapping.${i}.local`, message: `is not a ${entity} field (or custom:<key>)` });
    });
    const locals = list?.map((f) => f.local) ?? [];
    if (new Set(locals).size !== locals.length) errors.push({ path: `${entity}_mapping`, message: "maps a local field twice" });
  }
  if (patch.stage_map) {
    const stages = await stagesForSync(db, tenantId);
    for (const [remote, local] of Object.entries(patch.stage_map))
      if (!stages.some((s) => s.id === local)) errors.push({ path: `stage_map.${remote}`, message: "is not a stage of this workspace" });
  }
  if (errors.length) throw validationFailed(errors);
  const now = Date.now();
  const interval = patch.interval_minutes !== undefined ? patch.interval_minutes : cur.intervalMinutes;
  const next: ConnectionRow = {
    ...cur,
    direction: patch.direction ?? cur.direction,
    conflictRule: patch.conflict_rule ?? cur.conflictRule,
    intervalMinutes: interval,
    nextSyncAt: patch.interval_minutes !== undefined ? (interval ? now + interval * 60_000 : null) : cur.nextSyncAt,
    leadMapping: patch.lead_mapping ?? cur.leadMapping,
    dealMapping: patch.deal_mapping ?? cur.dealMapping,
    stageMap: patch.stage_map ?? cur.stageMap,
    updatedAt: now,
  };
  const { tenantId: _t, id: _i, createdAt: _c, ...set } = next;
  await db.batch([
    db
      .update(crmConnections)
      .set(set)
      .where(and(eq(crmConnections.tenantId, tenantId), eq(crmConnections.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "crm.connection.updated",
      target: { type: "crm_connection", id },
      metadata: { fields: Object.keys(patch) },
    }),
  ]);
  return next;
}

/** Disconnects: the connection, its links and its run log go; the synced leads and deals stay. */
export async function disconnect(db: Db, tenantId: string, id: string, actor: Actor) {
  const cur = await getConnectionRow(db, tenantId, id);
  await db.batch([
    db.delete(crmLinks).where(and(eq(crmLinks.tenantId, tenantId), eq(crmLinks.connectionId, id))),
    db.delete(crmSyncRuns).where(and(eq(crmSyncRuns.tenantId, tenantId), eq(crmSyncRuns.connectionId, id))),
    db.delete(crmConnections).where(and(eq(crmConnections.tenantId, tenantId), eq(crmConnections.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "crm.connection.deleted",
      target: { type: "crm_connection", id },
      metadata: { provider: cur.provider },
    }),
  ]);
}
