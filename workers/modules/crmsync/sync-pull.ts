import type { CrmEntity } from "../../../schema/crm-sync";
import {
  createDealFromSync,
  createLeadFromSync,
  type DealRow,
  dealsByIds,
  findLeadForSync,
  LeadLimitReached,
  type LeadInput,
  type LeadRow,
  leadsByIds,
  type SyncDealInput,
  updateDealFromSync,
  updateLeadFromSync,
} from "../sales";
import { providerName } from "./http";
import { linksByRemote, saveLink } from "./links";
import { fromRemote, localValue } from "./mapping";
import { type Ctx, mappingOf, messageOf, note, progress, type Scalar } from "./sync-context";
import { CrmAuthError, type RemoteRecord } from "./types";

/**
 * The pull phase of a sync run: remote records changed since the last run are created, updated or
 * only re-linked locally; a record changed on both sides is a conflict the connection's rule decides.
 */
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

export async function pull(x: Ctx, entity: CrmEntity) {
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
