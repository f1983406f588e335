import { and, eq, inArray, isNull } from "drizzle-orm";
import { salesDeals, salesLeads } from "../../../schema/sales";
import { tenantScope, type Db } from "../../platform/db";

/** What voice-to-action (modules/voice) reads about the leads and deals a call is linked to. */

export interface DealRef {
  id: string;
  name: string;
  leadId: string | null;
}

/** A deal of this workspace (null for another workspace's id or none). */
export async function getDealRef(db: Db, tenantId: string, dealId: string): Promise<DealRef | null> {
  const row = await db
    .select({ id: salesDeals.id, name: salesDeals.name, leadId: salesDeals.leadId })
    .from(salesDeals)
    .where(tenantScope(db, tenantId).where(salesDeals, eq(salesDeals.id, dealId)))
    .get();
  return row ?? null;
}

export interface LeadLabel {
  id: string;
  name: string;
  email: string | null;
}

/** Display names of leads (for a list of calls): one query; unknown, merged or foreign ids are left out. */
export async function leadLabels(db: Db, tenantId: string, ids: string[]): Promise<Map<string, LeadLabel>> {
  const unique = [...new Set(ids)].slice(0, 100);
  const out = new Map<string, LeadLabel>();
  if (!unique.length) return out;
  const rows = await db
    .select({ id: salesLeads.id, first: salesLeads.firstName, last: salesLeads.lastName, email: salesLeads.email })
    .from(salesLeads)
    .where(and(tenantScope(db, tenantId).where(salesLeads, inArray(salesLeads.id, unique)), isNull(salesLeads.mergedInto)));
  for (const r of rows) out.set(r.id, { id: r.id, name: [r.first, r.last].filter(Boolean).join(" ") || r.email || r.id, email: r.email });
  return out;
}
