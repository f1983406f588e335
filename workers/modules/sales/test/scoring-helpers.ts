import { env } from "cloudflare:workers";
import { salesCompanies, salesDeals, salesLeads } from "../../../../schema/sales";
import { callJson, type TestUser } from "../../../../test/helpers";
import { getDb } from "../../../platform/db";
import { newId } from "../../../platform/ids";

/** Test helpers for scoring: leads, companies and closed deals written straight into D1 (the crm part owns their routes). */

export const db = () => getDb(env.DB);
export const as = (u: TestUser) => (method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: u.accessToken, tenant: u.tenantId, ip: u.ip, body });

export type LeadFields = Partial<typeof salesLeads.$inferInsert>;
export async function insertLeads(tenantId: string, leads: LeadFields[]): Promise<string[]> {
  const now = Date.now();
  const rows = leads.map((l) => ({ tenantId, id: newId("lead"), createdAt: now, updatedAt: now, ...l }));
  for (let i = 0; i < rows.length; i += 4)
    await db()
      .insert(salesLeads)
      .values(rows.slice(i, i + 4));
  return rows.map((r) => r.id);
}
export const insertLead = async (tenantId: string, l: LeadFields = {}) => (await insertLeads(tenantId, [l]))[0] as string;

export async function insertCompany(tenantId: string, c: Partial<typeof salesCompanies.$inferInsert>): Promise<string> {
  const now = Date.now();
  const id = newId("co");
  await db()
    .insert(salesCompanies)
    .values({ tenantId, id, name: "Acme", createdAt: now, updatedAt: now, ...c });
  return id;
}

export async function closeDeal(tenantId: string, leadId: string, outcome: "won" | "lost", closedAt = Date.now()) {
  await db()
    .insert(salesDeals)
    .values({
      tenantId,
      id: newId("deal"),
      name: "Deal",
      leadId,
      stageId: "stg_test",
      outcome,
      closedAt,
      stageChangedAt: closedAt,
      createdAt: closedAt,
      updatedAt: closedAt,
    });
}

/** An ICP body with every list present. */
export const icpBody = (over: Record<string, unknown> = {}) => ({
  industries: [],
  sizes: [],
  titles: [],
  regions: [],
  required: [],
  excluded: [],
  ...over,
});
