import { and, asc, eq, gt, isNull, sql, type SQL } from "drizzle-orm";
import { salesCompanies, salesLeads } from "../../../schema/sales";
import { salesIcp, type IcpDefinition, type TraitWeights } from "../../../schema/sales-scoring";
import { getDb, tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { notFound } from "../../platform/errors";
import { iso } from "../../platform/request";
import { DEFAULT_DEFINITION, DEFAULT_WEIGHTS, fullWeights, scoreLead, type ScorableCompany, type ScorableLead } from "./scoring";

/**
 * The ICP and rescoring. A lead is *stale* when it was never scored, scored before the ICP's
 * `scores_valid_from` (moved by every ICP/weights change and "rescore all"), or changed since
 * (`updated_at` > `scored_at`). Stale leads are re-scored in keyset passes by id: POST rescore does
 * a first slice in the request, the cron continues while `rescore_requested_at` is set.
 */

export type IcpRow = typeof salesIcp.$inferSelect;
export interface Icp {
  definition: IcpDefinition;
  weights: TraitWeights;
  version: number;
  scoresValidFrom: number;
  updatedBy: string | null;
  updatedAt: number | null;
  isDefault: boolean;
  rescoreRequestedAt: number | null;
  rescoreCursor: string | null;
}

export const SITE_VISITS_SOURCE =
  "Page views of the identified person with the lead's email (analytics tracker: identify's user id or its email trait; bots not counted), added by the scoring cron at most hourly per workspace, plus visits recorded through recordEngagement('site_visit').";

export async function loadIcp(db: Db, tenantId: string): Promise<Icp> {
  const row = await db.select().from(salesIcp).where(eq(salesIcp.tenantId, tenantId)).get();
  if (!row)
    return {
      definition: DEFAULT_DEFINITION,
      weights: { ...DEFAULT_WEIGHTS },
      version: 0,
      scoresValidFrom: 0,
      updatedBy: null,
      updatedAt: null,
      isDefault: true,
      rescoreRequestedAt: null,
      rescoreCursor: null,
    };
  return {
    definition: { ...DEFAULT_DEFINITION, ...row.definition },
    weights: fullWeights(row.weights),
    version: row.version,
    scoresValidFrom: row.scoresValidFrom,
    updatedBy: row.updatedBy,
    updatedAt: row.updatedAt,
    isDefault: row.version === 0, // rows made by markLeadsForRescore / the cron before anyone saved an ICP
    rescoreRequestedAt: row.rescoreRequestedAt,
    rescoreCursor: row.rescoreCursor,
  };
}

// ── staleness ──

const staleCond = (validFrom: number): SQL =>
  sql`(${salesLeads.scoredAt} is null or ${salesLeads.scoredAt} < ${validFrom} or ${salesLeads.scoredAt} < ${salesLeads.updatedAt})`;

export async function staleCounts(db: Db, tenantId: string, validFrom: number): Promise<{ stale: number; total: number }> {
  const r = await db
    .select({ total: sql<number>`count(*)`, stale: sql<number>`coalesce(sum(case when ${staleCond(validFrom)} then 1 else 0 end), 0)` })
    .from(salesLeads)
    .where(tenantScope(db, tenantId).where(salesLeads, isNull(salesLeads.mergedInto)))
    .get();
  return { stale: Number(r?.stale ?? 0), total: Number(r?.total ?? 0) };
}

// ── rescoring ──

const scorableCols = {
  id: salesLeads.id,
  email: salesLeads.email,
  title: salesLeads.title,
  phone: salesLeads.phone,
  domain: salesLeads.domain,
  industry: salesLeads.industry,
  employees: salesLeads.employees,
  country: salesLeads.country,
  region: salesLeads.region,
  linkedinUrl: salesLeads.linkedinUrl,
  tags: salesLeads.tags,
  opens: salesLeads.opens,
  replies: salesLeads.replies,
  siteVisits: salesLeads.siteVisits,
  unsubscribedAt: salesLeads.unsubscribedAt,
  bouncedAt: salesLeads.bouncedAt,
  coDomain: salesCompanies.domain,
  coIndustry: salesCompanies.industry,
  coEmployees: salesCompanies.employees,
  coCountry: salesCompanies.country,
  coRegion: salesCompanies.region,
};
export type ScorableRow = ScorableLead & {
  id: string;
  coDomain: string | null;
  coIndustry: string | null;
  coEmployees: number | null;
  coCountry: string | null;
  coRegion: string | null;
};
export const companyOf = (r: ScorableRow): ScorableCompany | null =>
  r.coDomain === null && r.coIndustry === null && r.coEmployees === null && r.coCountry === null && r.coRegion === null
    ? null
    : { domain: r.coDomain, industry: r.coIndustry, employees: r.coEmployees, country: r.coCountry, region: r.coRegion };

/** Leads with their company's fields, for scoring (`where` adds to the tenant's condition). */
export function selectScorable(db: Db, tenantId: string, ...where: (SQL | undefined)[]) {
  return db
    .select(scorableCols)
    .from(salesLeads)
    .leftJoin(salesCompanies, and(eq(salesCompanies.tenantId, salesLeads.tenantId), eq(salesCompanies.id, salesLeads.companyId)))
    .where(tenantScope(db, tenantId).where(salesLeads, isNull(salesLeads.mergedInto), ...where));
}

const rawD1 = (db: Db): D1Database => (db as Db & { $client: D1Database }).$client;
// One bound JSON array per statement (D1 allows 100 bound parameters; this uses 3): ~500 leads ≈ 250 KB of JSON.
const UPDATE_SLICE = 500;
const UPDATE_SQL = `UPDATE sales_leads SET score = u.s, score_lines = u.l, scored_at = ?1
  FROM (SELECT value ->> '$.i' AS i, value ->> '$.s' AS s, json(value -> '$.l') AS l FROM json_each(?2)) AS u
  WHERE +sales_leads.tenant_id = ?3 AND sales_leads.id = u.i`;
// The unary + keeps SQLite from driving the join by the tenant index (a scan of json_each per lead of the
// workspace: 10,000 leads took 626 s); the plan is: scan the JSON, look each lead up by its primary key.

/** Scores the rows and writes them in batched UPDATEs; `readAt` (when the rows were read) becomes scored_at. */
export async function scoreAndWrite(db: Db, tenantId: string, icp: Icp, rows: ScorableRow[], readAt: number): Promise<void> {
  if (!rows.length) return;
  const d1 = rawD1(db);
  const stmts: D1PreparedStatement[] = [];
  for (let i = 0; i < rows.length; i += UPDATE_SLICE) {
    const payload = rows.slice(i, i + UPDATE_SLICE).map((r) => {
      const s = scoreLead(r, companyOf(r), icp.definition, icp.weights);
      return { i: r.id, s: s.score, l: s.lines };
    });
    stmts.push(d1.prepare(UPDATE_SQL).bind(readAt, JSON.stringify(payload), tenantId));
  }
  await d1.batch(stmts);
}

/**
 * One slice of the running pass: up to `max` stale leads after the cursor, in chunks of `chunk`.
 * Returns how many were scored and whether the pass reached the end (then the cursor resets and,
 * if nothing is stale any more, the workspace leaves the cron's list).
 */
export async function rescoreSlice(db: Db, tenantId: string, max: number, chunk = 2_000): Promise<{ rescored: number; remaining: number }> {
  const icp = await loadIcp(db, tenantId);
  let cursor = icp.rescoreCursor;
  let rescored = 0;
  let reachedEnd = false;
  while (rescored < max) {
    const readAt = Date.now();
    const limit = Math.min(chunk, max - rescored);
    const rows = (await selectScorable(db, tenantId, staleCond(icp.scoresValidFrom), cursor ? gt(salesLeads.id, cursor) : undefined)
      .orderBy(asc(salesLeads.id))
      .limit(limit)) as ScorableRow[];
    await scoreAndWrite(db, tenantId, icp, rows, readAt);
    rescored += rows.length;
    cursor = rows[rows.length - 1]?.id ?? cursor;
    if (rows.length < limit) {
      reachedEnd = true;
      break;
    }
  }
  const { stale } = await staleCounts(db, tenantId, icp.scoresValidFrom);
  if (icp.rescoreRequestedAt !== null || icp.rescoreCursor !== null || stale > 0) {
    const done = reachedEnd && stale === 0;
    await db
      .insert(salesIcp)
      .values({
        tenantId,
        definition: icp.definition,
        weights: icp.weights,
        version: 0,
        updatedAt: Date.now(),
        rescoreRequestedAt: done ? null : Date.now(),
        rescoreCursor: reachedEnd ? null : cursor,
      })
      .onConflictDoUpdate({
        target: salesIcp.tenantId,
        // Only if nothing changed the ICP meanwhile (a newer change reset the pass itself).
        set: {
          rescoreRequestedAt: done ? null : sql`coalesce(${salesIcp.rescoreRequestedAt}, ${Date.now()})`,
          rescoreCursor: reachedEnd ? null : cursor,
        },
        setWhere: eq(salesIcp.scoresValidFrom, icp.scoresValidFrom),
      });
  }
  return { rescored, remaining: stale };
}

/** POST /sales/scoring/rescore: optionally invalidate every score, then score up to `max` now (the cron continues). */
export async function startRescore(db: Db, tenantId: string, opts: { all: boolean; max: number }) {
  if (opts.all) {
    const icp = await loadIcp(db, tenantId);
    const now = Date.now();
    await db
      .insert(salesIcp)
      .values({
        tenantId,
        definition: icp.definition,
        weights: icp.weights,
        version: 0,
        updatedAt: now,
        scoresValidFrom: now,
        rescoreRequestedAt: now,
      })
      .onConflictDoUpdate({ target: salesIcp.tenantId, set: { scoresValidFrom: now, rescoreRequestedAt: now, rescoreCursor: null } });
  }
  const t0 = Date.now();
  const { rescored, remaining } = await rescoreSlice(db, tenantId, opts.max);
  const elapsed = Date.now() - t0;
  return { rescored, remaining, elapsed_ms: elapsed, leads_per_s: rescored && elapsed ? Math.round((rescored / elapsed) * 1000) : null };
}

/** The workspace's ICP row with the defaults, unless it has one (the crons list workspaces by it). */
export async function ensureIcpRow(db: Db, tenantId: string): Promise<void> {
  await db
    .insert(salesIcp)
    .values({
      tenantId,
      definition: DEFAULT_DEFINITION,
      weights: { ...DEFAULT_WEIGHTS },
      version: 0,
      updatedAt: Date.now(),
      scoresValidFrom: 0,
    })
    .onConflictDoNothing();
}

/** For other parts (import): there are stale leads; the cron picks the workspace up. Scores themselves are not touched. */
export async function markLeadsForRescore(db: Db, tenantId: string): Promise<void> {
  const now = Date.now();
  await db
    .insert(salesIcp)
    .values({
      tenantId,
      definition: DEFAULT_DEFINITION,
      weights: { ...DEFAULT_WEIGHTS },
      version: 0,
      updatedAt: now,
      scoresValidFrom: 0,
      rescoreRequestedAt: now,
    })
    .onConflictDoUpdate({ target: salesIcp.tenantId, set: { rescoreRequestedAt: sql`coalesce(${salesIcp.rescoreRequestedAt}, ${now})` } });
}

/** Score one lead now (after its engagement or fields changed). A missing or merged lead is ignored. */
export async function scoreLeadNow(env: Env, tenantId: string, leadId: string): Promise<void> {
  const db = getDb(env.DB);
  const readAt = Date.now();
  const [icp, rows] = await Promise.all([loadIcp(db, tenantId), selectScorable(db, tenantId, eq(salesLeads.id, leadId)).limit(1)]);
  await scoreAndWrite(db, tenantId, icp, rows as ScorableRow[], readAt);
  // The workspace's first lead: its ICP row (the defaults) makes the cron's site-visit passes see the workspace.
  if (icp.updatedAt === null) await ensureIcpRow(db, tenantId);
}

/** GET /sales/leads/{id}/score. A stale or never-scored lead is scored first, so the answer matches the current ICP. */
export async function getLeadScore(db: Db, tenantId: string, leadId: string) {
  const icp = await loadIcp(db, tenantId);
  const lead = await db
    .select({ id: salesLeads.id, mergedInto: salesLeads.mergedInto, scoredAt: salesLeads.scoredAt, updatedAt: salesLeads.updatedAt })
    .from(salesLeads)
    .where(tenantScope(db, tenantId).where(salesLeads, eq(salesLeads.id, leadId)))
    .get();
  if (!lead) throw notFound("Lead");
  const stale = lead.scoredAt === null || lead.scoredAt < icp.scoresValidFrom || lead.scoredAt < lead.updatedAt;
  if (stale && !lead.mergedInto) {
    const readAt = Date.now();
    await scoreAndWrite(
      db,
      tenantId,
      icp,
      (await selectScorable(db, tenantId, eq(salesLeads.id, leadId)).limit(1)) as ScorableRow[],
      readAt,
    );
  }
  const row = await db
    .select({ score: salesLeads.score, lines: salesLeads.scoreLines, scoredAt: salesLeads.scoredAt })
    .from(salesLeads)
    .where(tenantScope(db, tenantId).where(salesLeads, eq(salesLeads.id, leadId)))
    .get();
  const lines = row?.lines ?? [];
  const unclamped = row?.score === null || row?.score === undefined ? null : lines.reduce((s, l) => s + l.points, 0);
  return {
    lead_id: leadId,
    score: row?.score ?? null,
    unclamped,
    clamped: unclamped !== null && unclamped !== row?.score,
    lines,
    scored_at: iso(row?.scoredAt),
    icp_version: icp.version,
  };
}

/** The cron: workspaces with pending rescoring, each given a slice, within an overall lead budget per tick. */
export async function rescorePending(env: Env, budget = 50_000, perTenant = 25_000): Promise<{ rescored: number; tenants: number }> {
  const db = getDb(env.DB);
  const pending = await db
    .select({ tenantId: salesIcp.tenantId })
    .from(salesIcp)
    .where(sql`${salesIcp.rescoreRequestedAt} is not null`)
    .orderBy(asc(salesIcp.rescoreRequestedAt))
    .limit(50);
  let rescored = 0;
  let tenants = 0;
  for (const { tenantId } of pending) {
    if (rescored >= budget) break;
    const r = await rescoreSlice(db, tenantId, Math.min(perTenant, budget - rescored));
    rescored += r.rescored;
    tenants++;
  }
  return { rescored, tenants };
}
