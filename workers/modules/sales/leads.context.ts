import { and, asc, eq, isNull, sql } from "drizzle-orm";
import type { SQLiteUpdateSetSource } from "drizzle-orm/sqlite-core";
import type { EnrolFilter } from "../../../schema/sales-sequences";
import { salesCompanies, salesLeads } from "../../../schema/sales";
import { tenantScope, type Db } from "../../platform/db";
import { enrolConditions } from "./leads.filters";
import type { CompanyRow, LeadRow, Stmt } from "./types";

/** What other parts (outreach's engine and writer, scoring) read and write about leads: the service contract of docs/sales.md. */

export interface LeadContext {
  lead: LeadRow;
  company: CompanyRow | null;
}

/** The lead and its company; null when the lead does not exist in this workspace or was merged into another. */
export async function getLeadContext(db: Db, tenantId: string, leadId: string): Promise<LeadContext | null> {
  const s = tenantScope(db, tenantId);
  const lead = await db
    .select()
    .from(salesLeads)
    .where(s.where(salesLeads, eq(salesLeads.id, leadId), isNull(salesLeads.mergedInto)))
    .get();
  if (!lead) return null;
  const company = lead.companyId
    ? ((await db
        .select()
        .from(salesCompanies)
        .where(s.where(salesCompanies, eq(salesCompanies.id, lead.companyId)))
        .get()) ?? null)
    : null;
  return { lead, company };
}

/**
 * Ids of the leads an enrolment filter selects (all present conditions hold; `tags`: any of them),
 * oldest first, at most `limit`. Never merged, unsubscribed, bounced or email-less leads.
 */
export async function listLeadIdsMatching(db: Db, tenantId: string, filter: EnrolFilter, limit: number): Promise<string[]> {
  const rows = await db
    .select({ id: salesLeads.id })
    .from(salesLeads)
    .where(tenantScope(db, tenantId).where(salesLeads, ...enrolConditions(filter)))
    .orderBy(asc(salesLeads.createdAt), asc(salesLeads.id))
    .limit(Math.max(0, Math.min(limit, 10_000)));
  return rows.map((r) => r.id);
}

export type EngagementKind = "sent" | "open" | "reply" | "bounce" | "unsubscribe" | "site_visit";

/**
 * Statements that count one engagement on a lead: counters, last-contact times and the status
 * (a first send moves `new` → `contacted`; a reply moves `new`/`contacted` → `engaged`; later
 * statuses set by people are kept). The activity itself is the caller's `recordActivity`.
 */
export function recordEngagement(db: Db, tenantId: string, leadId: string, kind: EngagementKind, at: number): Stmt[] {
  const where = and(eq(salesLeads.tenantId, tenantId), eq(salesLeads.id, leadId));
  const now = Date.now();
  const set: SQLiteUpdateSetSource<typeof salesLeads> = (() => {
    switch (kind) {
      case "sent":
        return {
          emailsSent: sql`${salesLeads.emailsSent} + 1`,
          lastContactedAt: sql`max(coalesce(${salesLeads.lastContactedAt}, 0), ${at})`,
          status: sql`case when ${salesLeads.status} = 'new' then 'contacted' else ${salesLeads.status} end`,
        };
      case "open":
        return { opens: sql`${salesLeads.opens} + 1` };
      case "reply":
        return {
          replies: sql`${salesLeads.replies} + 1`,
          lastRepliedAt: sql`max(coalesce(${salesLeads.lastRepliedAt}, 0), ${at})`,
          status: sql`case when ${salesLeads.status} in ('new', 'contacted') then 'engaged' else ${salesLeads.status} end`,
        };
      case "bounce":
        return { bouncedAt: sql`coalesce(${salesLeads.bouncedAt}, ${at})` };
      case "unsubscribe":
        return { unsubscribedAt: sql`coalesce(${salesLeads.unsubscribedAt}, ${at})` };
      case "site_visit":
        return { siteVisits: sql`${salesLeads.siteVisits} + 1` };
    }
  })();
  return [
    db
      .update(salesLeads)
      .set({ ...set, updatedAt: now })
      .where(where),
  ];
}
