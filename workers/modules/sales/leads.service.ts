import { and, eq, isNull, sql } from "drizzle-orm";
import { salesLeads } from "../../../schema/sales";
import { releaseQuota } from "../billing";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { conflict, notFound, validationFailed } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { recordActivity } from "./activities.service";
import { companyForDomain, getCompanyRow } from "./companies.service";
import { isValidEmail, leadDomain, normalizeEmail } from "./domains";
import type { Enricher } from "./enrich";
import { validateCustomFields } from "./fields.service";
import { cleanTags, type LeadInput } from "./leads.shapes";
import { assertOwner } from "./owners";
import { type LeadRow, rawStmt, type Stmt } from "./types";

/**
 * Leads (contacts): create, read, update, delete. The API shapes are in leads.shapes.ts, the list
 * in leads.list.ts (re-exported here for the callers that import them from this file).
 */

export { cleanTags, leadName, serializeLead, type LeadInput } from "./leads.shapes";
export { encodeLeadCursor, leadOrder, listLeads, type LeadListQuery, type LeadSort } from "./leads.list";

export async function getLeadRow(db: Db, tenantId: string, id: string): Promise<LeadRow> {
  const row = await db
    .select()
    .from(salesLeads)
    .where(tenantScope(db, tenantId).where(salesLeads, eq(salesLeads.id, id)))
    .get();
  if (!row) throw notFound("Lead");
  return row;
}

export const findLeadByEmail = (db: Db, tenantId: string, email: string) =>
  db
    .select()
    .from(salesLeads)
    .where(tenantScope(db, tenantId).where(salesLeads, eq(salesLeads.email, email)))
    .get();

const duplicateEmail = (email: string, id: string) =>
  conflict(`A lead with the email ${email} already exists in this workspace (${id}).`, "lead-exists");
const isEmailRace = (e: unknown) =>
  /UNIQUE constraint failed: sales_leads\.tenant_id, sales_leads\.email/.test(String((e as Error)?.cause ?? e));

/** Resolves email/domain/company for a create or an edit: the company given, else the one of the business domain (created on the fly). */
async function resolveCompany(db: Db, tenantId: string, email: string | null, input: LeadInput, cur: LeadRow | null, enricher: Enricher) {
  const domain = input.domain !== undefined || input.email !== undefined ? leadDomain(email, input.domain ?? null) : (cur?.domain ?? null);
  if (input.company_id) {
    const co = await getCompanyRow(db, tenantId, input.company_id).catch(() => {
      throw validationFailed([{ path: "company_id", message: "is not a company of this workspace" }]);
    });
    return { domain: domain ?? co.domain, companyId: co.id, companyName: input.company_name ?? co.name };
  }
  if (input.company_id === null) return { domain, companyId: null, companyName: input.company_name ?? cur?.companyName ?? null };
  if (cur && domain === cur.domain && cur.companyId)
    return { domain, companyId: cur.companyId, companyName: input.company_name ?? cur.companyName };
  const co = await companyForDomain(db, tenantId, domain, enricher, input.company_name);
  return { domain, companyId: co?.id ?? null, companyName: input.company_name ?? co?.name ?? cur?.companyName ?? null };
}

function checkEmail(email: string | null) {
  if (email && !isValidEmail(email)) throw validationFailed([{ path: "email", message: "is not a valid email address" }]);
}

/**
 * Creates a lead. The caller has consumed one unit of the `leads` meter (routes: `consumeQuota`)
 * and releases it if this throws.
 */
export async function createLead(db: Db, tenantId: string, input: LeadInput, actor: Actor, enricher: Enricher): Promise<LeadRow> {
  const email = normalizeEmail(input.email);
  checkEmail(email);
  if (!email && !input.first_name && !input.last_name)
    throw validationFailed([{ path: "email", message: "a lead needs an email or a name" }]);
  if (email) {
    const dup = await findLeadByEmail(db, tenantId, email);
    if (dup) throw duplicateEmail(email, dup.id);
  }
  if (input.owner_id) await assertOwner(db, tenantId, input.owner_id);
  const customFields = await validateCustomFields(db, tenantId, "lead", input.custom_fields);
  const co = await resolveCompany(db, tenantId, email, input, null, enricher);
  const now = Date.now();
  const row: LeadRow = {
    tenantId,
    id: newId("lead"),
    email,
    firstName: input.first_name?.trim() || null,
    lastName: input.last_name?.trim() || null,
    title: input.title?.trim() || null,
    phone: input.phone?.trim() || null,
    companyId: co.companyId,
    companyName: co.companyName,
    domain: co.domain,
    industry: input.industry ?? null,
    employees: input.employees ?? null,
    country: input.country?.toUpperCase() ?? null,
    region: input.region ?? null,
    city: input.city ?? null,
    timezone: input.timezone ?? null,
    linkedinUrl: input.linkedin_url ?? null,
    source: input.source ?? "manual",
    ownerId: input.owner_id ?? null,
    status: input.status ?? "new",
    tags: cleanTags(input.tags),
    customFields,
    score: null,
    scoreLines: null,
    scoredAt: null,
    emailsSent: 0,
    opens: 0,
    replies: 0,
    siteVisits: 0,
    trackedVisits: 0,
    lastContactedAt: null,
    lastRepliedAt: null,
    unsubscribedAt: null,
    bouncedAt: null,
    mergedInto: null,
    importId: null,
    createdAt: now,
    updatedAt: now,
  };
  try {
    await db.batch([
      db.insert(salesLeads).values(row),
      auditInsert(db, actor, { tenantId, action: "sales.lead.created", target: { type: "sales_lead", id: row.id } }),
    ]);
  } catch (e) {
    if (email && isEmailRace(e)) throw duplicateEmail(email, "");
    throw e;
  }
  return row;
}

export async function updateLead(
  db: Db,
  tenantId: string,
  id: string,
  input: LeadInput,
  actor: Actor,
  enricher: Enricher,
): Promise<LeadRow> {
  const cur = await getLeadRow(db, tenantId, id);
  if (cur.mergedInto) throw conflict(`This lead was merged into ${cur.mergedInto}; edit that lead instead.`, "lead-merged");
  const email = input.email !== undefined ? normalizeEmail(input.email) : cur.email;
  checkEmail(email);
  if (email && email !== cur.email) {
    const dup = await findLeadByEmail(db, tenantId, email);
    if (dup && dup.id !== id) throw duplicateEmail(email, dup.id);
  }
  if (input.owner_id) await assertOwner(db, tenantId, input.owner_id);
  const customFields =
    input.custom_fields !== undefined
      ? { ...cur.customFields, ...(await validateCustomFields(db, tenantId, "lead", input.custom_fields)) }
      : cur.customFields;
  const co = await resolveCompany(db, tenantId, email, input, cur, enricher);
  const pick = <K extends keyof LeadInput, V>(k: K, curV: V, map: (v: LeadInput[K]) => V = (v) => v as V): V =>
    input[k] !== undefined ? map(input[k]) : curV;
  const next: LeadRow = {
    ...cur,
    email,
    firstName: pick("first_name", cur.firstName, (v) => v?.trim() || null),
    lastName: pick("last_name", cur.lastName, (v) => v?.trim() || null),
    title: pick("title", cur.title, (v) => v?.trim() || null),
    phone: pick("phone", cur.phone, (v) => v?.trim() || null),
    companyId: co.companyId,
    companyName: co.companyName,
    domain: co.domain,
    industry: pick("industry", cur.industry),
    employees: pick("employees", cur.employees),
    country: pick("country", cur.country, (v) => v?.toUpperCase() ?? null),
    region: pick("region", cur.region),
    city: pick("city", cur.city),
    timezone: pick("timezone", cur.timezone),
    linkedinUrl: pick("linkedin_url", cur.linkedinUrl),
    source: pick("source", cur.source),
    ownerId: pick("owner_id", cur.ownerId),
    status: input.status ?? cur.status,
    tags: input.tags !== undefined ? cleanTags(input.tags) : cur.tags,
    customFields,
    updatedAt: Date.now(),
  };
  const { tenantId: _t, id: _i, createdAt: _c, ...set } = next;
  const stmts: Stmt[] = [
    db
      .update(salesLeads)
      .set(set)
      .where(and(eq(salesLeads.tenantId, tenantId), eq(salesLeads.id, id))),
    auditInsert(db, actor, { tenantId, action: "sales.lead.updated", target: { type: "sales_lead", id } }),
  ];
  if (next.status !== cur.status)
    stmts.push(
      recordActivity(db, tenantId, {
        leadId: id,
        kind: "status_changed",
        actorId: actor.id,
        summary: `Status: ${cur.status} → ${next.status}`,
        data: { from: cur.status, to: next.status },
      }),
    );
  try {
    await db.batch(stmts as [Stmt, ...Stmt[]]);
  } catch (e) {
    if (email && isEmailRace(e)) throw duplicateEmail(email, "");
    throw e;
  }
  return next;
}

/** Deletes a lead and its timeline and tasks (deals keep their rows, unlinked); releases one unit of the `leads` meter. */
export async function deleteLead(env: Env, db: Db, tenantId: string, id: string, actor: Actor) {
  const cur = await getLeadRow(db, tenantId, id);
  await db.batch([
    rawStmt(db, sql`delete from sales_activities where tenant_id = ${tenantId} and lead_id = ${id}`),
    rawStmt(db, sql`delete from sales_tasks where tenant_id = ${tenantId} and lead_id = ${id}`),
    rawStmt(db, sql`update sales_deals set lead_id = null where tenant_id = ${tenantId} and lead_id = ${id}`),
    db.delete(salesLeads).where(and(eq(salesLeads.tenantId, tenantId), eq(salesLeads.id, id))),
    auditInsert(db, actor, { tenantId, action: "sales.lead.deleted", target: { type: "sales_lead", id }, metadata: { email: cur.email } }),
  ]);
  // A merged-away lead already gave its unit back when it was merged.
  if (!cur.mergedInto) await releaseQuota(env, tenantId, "leads", 1, `lead-deleted:${id}`);
}

export const liveLead = (db: Db, tenantId: string, id: string) =>
  db
    .select()
    .from(salesLeads)
    .where(tenantScope(db, tenantId).where(salesLeads, eq(salesLeads.id, id), isNull(salesLeads.mergedInto)))
    .get();
