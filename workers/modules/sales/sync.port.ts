import { and, asc, eq, gt, inArray, isNull, or } from "drizzle-orm";
import { salesDeals, salesLeads } from "../../../schema/sales";
import { consumeQuotaOrThrow, releaseQuota } from "../billing";
import type { Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { Problem, validationFailed } from "../../platform/errors";
import { createDeal, type DealInput, getDealRow, updateDeal } from "./deals.service";
import { enricherFor } from "./enrich";
import { validateCustomFields } from "./fields.service";
import { createLead, findLeadByEmail, type LeadInput, updateLead } from "./leads.service";
import { markLeadsForRescore } from "./scoring.service";
import { listStages } from "./stages.service";
import type { DealRow, LeadRow } from "./types";

/**
 * What the CRM sync (modules/crmsync) needs from sales: the rows changed since a time, and writes
 * of remote records through the same services (and rules) as the API. A lead created by a sync
 * uses one unit of the `leads` meter, like one created by hand; the unit's event id is derived
 * from the remote record, so a retried run never counts the same record twice.
 */

export const SYNC_ACTOR: Actor = { type: "system", id: null, ip: null, userAgent: null };

/** Leads (not merged away) with `updated_at` after `since`, in (updated_at, id) order from the key `after`. */
export function leadsChangedSince(db: Db, tenantId: string, since: number, after: { at: number; id: string } | null, limit: number) {
  const from = after ?? { at: since, id: "" };
  return db
    .select()
    .from(salesLeads)
    .where(
      tenantScope(db, tenantId).where(
        salesLeads,
        isNull(salesLeads.mergedInto),
        or(gt(salesLeads.updatedAt, from.at), and(eq(salesLeads.updatedAt, from.at), gt(salesLeads.id, from.id))),
      ),
    )
    .orderBy(asc(salesLeads.updatedAt), asc(salesLeads.id))
    .limit(limit);
}

/** Deals with `updated_at` after `since`, in (updated_at, id) order from the key `after`. */
export function dealsChangedSince(db: Db, tenantId: string, since: number, after: { at: number; id: string } | null, limit: number) {
  const from = after ?? { at: since, id: "" };
  return db
    .select()
    .from(salesDeals)
    .where(
      tenantScope(db, tenantId).where(
        salesDeals,
        or(gt(salesDeals.updatedAt, from.at), and(eq(salesDeals.updatedAt, from.at), gt(salesDeals.id, from.id))),
      ),
    )
    .orderBy(asc(salesDeals.updatedAt), asc(salesDeals.id))
    .limit(limit);
}

export async function leadsByIds(db: Db, tenantId: string, ids: string[]): Promise<Map<string, LeadRow>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select()
    .from(salesLeads)
    .where(tenantScope(db, tenantId).where(salesLeads, inArray(salesLeads.id, ids)));
  return new Map(rows.map((r) => [r.id, r]));
}

export async function dealsByIds(db: Db, tenantId: string, ids: string[]): Promise<Map<string, DealRow>> {
  if (!ids.length) return new Map();
  const rows = await db
    .select()
    .from(salesDeals)
    .where(tenantScope(db, tenantId).where(salesDeals, inArray(salesDeals.id, ids)));
  return new Map(rows.map((r) => [r.id, r]));
}

export const findLeadForSync = (db: Db, tenantId: string, email: string) => findLeadByEmail(db, tenantId, email.trim().toLowerCase());

/** Thrown when the `leads` limit is reached: the sync stops creating leads (and says so) but goes on updating. */
export class LeadLimitReached extends Error {}

/** Creates a lead from a remote contact: one unit of `leads` (idempotent per `quotaEventId`), given back if the create fails. */
export async function createLeadFromSync(env: Env, db: Db, tenantId: string, input: LeadInput, quotaEventId: string): Promise<LeadRow> {
  const use = await consumeQuotaOrThrow(env, tenantId, "leads", 1, { eventId: quotaEventId }).catch((e: unknown) => {
    if (e instanceof Problem && e.status === 402)
      throw new LeadLimitReached(`Lead limit reached: ${e.detail} The sync creates no more leads.`);
    throw e;
  });
  try {
    return await createLead(db, tenantId, input, SYNC_ACTOR, enricherFor(env));
  } catch (e) {
    if (!use.duplicate) await releaseQuota(env, tenantId, "leads", 1);
    throw e;
  }
}

export const updateLeadFromSync = (env: Env, db: Db, tenantId: string, id: string, input: LeadInput) =>
  updateLead(db, tenantId, id, input, SYNC_ACTOR, enricherFor(env));

export interface SyncDealInput extends DealInput {
  custom_fields?: Record<string, unknown>;
}

/** Deal custom fields are not part of the deal API's input; a sync may set them (snake_case keys; values kept as scalars). */
async function withDealCustomFields(db: Db, tenantId: string, row: DealRow, values: Record<string, unknown> | undefined) {
  if (!values || !Object.keys(values).length) return row;
  const clean: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(values)) {
    if (!/^[a-z][a-z0-9_]{0,49}$/.test(k)) throw validationFailed([{ path: `custom_fields.${k}`, message: "is not a snake_case key" }]);
    clean[k] = v === null || typeof v === "number" || typeof v === "boolean" ? v : String(v).slice(0, 1000);
  }
  const customFields = { ...row.customFields, ...clean };
  await db
    .update(salesDeals)
    .set({ customFields })
    .where(and(eq(salesDeals.tenantId, tenantId), eq(salesDeals.id, row.id)));
  return { ...row, customFields };
}

export async function createDealFromSync(db: Db, tenantId: string, input: SyncDealInput & { name: string }): Promise<DealRow> {
  const { custom_fields, ...rest } = input;
  const row = await createDeal(db, tenantId, rest, SYNC_ACTOR);
  return withDealCustomFields(db, tenantId, row, custom_fields);
}

export async function updateDealFromSync(db: Db, tenantId: string, id: string, input: SyncDealInput): Promise<DealRow> {
  const { custom_fields, stage_id, ...rest } = input;
  // updateDeal applies only the move when the stage changes, so the fields go first, then the move.
  if (Object.keys(rest).length) await updateDeal(db, tenantId, id, rest, SYNC_ACTOR);
  if (stage_id) await updateDeal(db, tenantId, id, { stage_id }, SYNC_ACTOR);
  return withDealCustomFields(db, tenantId, await getDealRow(db, tenantId, id), custom_fields);
}

/** The workspace's stages (the default set on first use), for the stage mapping. */
export const stagesForSync = listStages;

/** Checks lead custom field values the way the API does (unknown keys and wrong types are refused). */
export const checkLeadCustomFields = (db: Db, tenantId: string, values: Record<string, unknown>) =>
  validateCustomFields(db, tenantId, "lead", values);

/** After a run wrote leads: the scoring cron re-scores the workspace's leads. */
export const rescoreAfterSync = markLeadsForRescore;
