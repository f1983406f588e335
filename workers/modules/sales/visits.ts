import { asc, eq, isNull, lt, or, sql } from "drizzle-orm";
import { salesLeads } from "../../../schema/sales";
import { salesIcp } from "../../../schema/sales-scoring";
import { pageViewsByPerson } from "../analytics";
import { getDb, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { loadIcp, type ScorableRow, scoreAndWrite, selectScorable } from "./scoring.service";

/**
 * Site visits from analytics in lead scores (issue 17: engagement — opens, replies, site visits —
 * adds to the score). Each cron tick walks workspaces' identified persons (analytics'
 * `pageViewsByPerson`: page views per person with an email) and matches leads by email. A lead's
 * `tracked_visits` is the analytics count already added to its `site_visits`: a pass adds only the
 * difference and sets `tracked_visits` to the count, so passes may repeat (a retried tick, the next
 * pass) without counting a view twice, and visits recorded by hand (`recordEngagement('site_visit')`)
 * stay. Leads whose count changed are re-scored in the same pass.
 *
 * Bounds: a new pass per workspace at most every PASS_EVERY_MS; per tick up to TENANTS_PER_TICK
 * workspaces and PAGES_PER_TENANT pages of PAGE persons each; an unfinished pass continues next
 * tick from `sales_icp.visits_cursor` (the last person id read).
 */

export const PASS_EVERY_MS = 60 * 60 * 1000;
const TENANTS_PER_TICK = 20;
const PAGES_PER_TENANT = 10;
const PAGE = 500;

const rawD1 = (db: Db): D1Database => (db as Db & { $client: D1Database }).$client;

// The unary + and the `email in (…)` term make SQLite find the leads through the (tenant, email) index.
const APPLY_SQL = `UPDATE sales_leads SET site_visits = max(0, site_visits + u.views - tracked_visits), tracked_visits = u.views, updated_at = ?3
  FROM (SELECT value ->> 'email' AS email, value ->> 'views' AS views FROM json_each(?2)) AS u
  WHERE +sales_leads.tenant_id = ?1 AND sales_leads.email IN (SELECT value ->> 'email' FROM json_each(?2))
    AND sales_leads.email = u.email AND sales_leads.merged_into IS NULL AND sales_leads.tracked_visits != u.views
  RETURNING sales_leads.id AS id`;

/** One workspace's share of a tick: pages of persons from its cursor; returns the leads whose visits changed. */
export async function syncVisitsOf(db: Db, tenantId: string, cursor: string | null, pages = PAGES_PER_TENANT, pageSize = PAGE) {
  const d1 = rawD1(db);
  const changed: string[] = [];
  let after = cursor;
  let done = false;
  for (let i = 0; i < pages && !done; i++) {
    const page = await pageViewsByPerson(d1, tenantId, after, pageSize);
    if (page.rows.length) {
      const { results } = await d1.prepare(APPLY_SQL).bind(tenantId, JSON.stringify(page.rows), Date.now()).all<{ id: string }>();
      changed.push(...results.map((r) => r.id));
    }
    after = page.next;
    done = page.next === null;
  }
  if (changed.length) {
    const readAt = Date.now();
    const rows = await selectScorable(db, tenantId, sql`${salesLeads.id} in (select value from json_each(${JSON.stringify(changed)}))`);
    await scoreAndWrite(db, tenantId, await loadIcp(db, tenantId), rows as ScorableRow[], readAt);
  }
  const now = Date.now();
  await db
    .update(salesIcp)
    .set(done ? { visitsCursor: null, visitsSyncedAt: now } : { visitsCursor: after })
    .where(eq(salesIcp.tenantId, tenantId));
  return { changed: changed.length, done };
}

/** The cron: workspaces with a pass running or due (never synced, or the last pass ended PASS_EVERY_MS ago). */
export async function syncSiteVisits(env: Env, now = Date.now()): Promise<{ tenants: number; changed: number }> {
  const db = getDb(env.DB);
  const due = await db
    .select({ tenantId: salesIcp.tenantId, cursor: salesIcp.visitsCursor })
    .from(salesIcp)
    .where(or(sql`${salesIcp.visitsCursor} is not null`, isNull(salesIcp.visitsSyncedAt), lt(salesIcp.visitsSyncedAt, now - PASS_EVERY_MS)))
    .orderBy(asc(sql`coalesce(${salesIcp.visitsSyncedAt}, 0)`))
    .limit(TENANTS_PER_TICK);
  let changed = 0;
  for (const t of due) changed += (await syncVisitsOf(db, t.tenantId, t.cursor)).changed;
  return { tenants: due.length, changed };
}
