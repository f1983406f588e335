import { and, asc, desc, eq, gt, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import { type LeadStatus, salesLeads } from "../../../schema/sales";
import { releaseQuota } from "../billing";
import { auditInsert, type Actor } from "../../platform/audit";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { badRequest, conflict, notFound, validationFailed } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { iso } from "../../platform/request";
import { recordActivity } from "./activities.service";
import { companyForDomain, getCompanyRow } from "./companies.service";
import { isValidEmail, leadDomain, normalizeEmail } from "./domains";
import type { Enricher } from "./enrich";
import { validateCustomFields } from "./fields.service";
import { type LeadFilter, leadConditions } from "./leads.filters";
import { assertOwner } from "./owners";
import { type LeadRow, rawStmt, type Stmt } from "./types";

/** Leads (contacts): create/read/update/delete and the list with search, filters, sorting and keyset pages. */

export const leadName = (l: Pick<LeadRow, "firstName" | "lastName" | "email">) =>
  [l.firstName, l.lastName].filter(Boolean).join(" ") || l.email || "Unnamed lead";

export const serializeLead = (l: LeadRow) => ({
  id: l.id,
  name: leadName(l),
  email: l.email,
  first_name: l.firstName,
  last_name: l.lastName,
  title: l.title,
  phone: l.phone,
  company_id: l.companyId,
  company_name: l.companyName,
  domain: l.domain,
  industry: l.industry,
  employees: l.employees,
  country: l.country,
  region: l.region,
  city: l.city,
  timezone: l.timezone,
  linkedin_url: l.linkedinUrl,
  source: l.source,
  owner_id: l.ownerId,
  status: l.status,
  tags: l.tags,
  custom_fields: l.customFields,
  score: l.score,
  score_lines: l.scoreLines ?? null,
  scored_at: iso(l.scoredAt),
  emails_sent: l.emailsSent,
  opens: l.opens,
  replies: l.replies,
  site_visits: l.siteVisits,
  last_contacted_at: iso(l.lastContactedAt),
  last_replied_at: iso(l.lastRepliedAt),
  unsubscribed_at: iso(l.unsubscribedAt),
  bounced_at: iso(l.bouncedAt),
  merged_into: l.mergedInto,
  import_id: l.importId,
  created_at: new Date(l.createdAt).toISOString(),
  updated_at: new Date(l.updatedAt).toISOString(),
});

export interface LeadInput {
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  title?: string | null;
  phone?: string | null;
  company_id?: string | null;
  company_name?: string | null;
  domain?: string | null;
  industry?: string | null;
  employees?: number | null;
  country?: string | null;
  region?: string | null;
  city?: string | null;
  timezone?: string | null;
  linkedin_url?: string | null;
  source?: string | null;
  owner_id?: string | null;
  status?: LeadStatus;
  tags?: string[];
  custom_fields?: Record<string, unknown>;
}

export const cleanTags = (tags: string[] | undefined) =>
  [...new Set((tags ?? []).map((t) => t.trim().toLowerCase()).filter(Boolean))].slice(0, 50);

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

// ── the list ──

export type LeadSort = "created" | "-created" | "score" | "-score" | "name" | "-name";

export interface LeadListQuery extends LeadFilter {
  limit: number;
  cursor?: string;
  sort?: LeadSort;
}

const sortExpr = (sort: LeadSort): SQL =>
  sort.endsWith("score")
    ? sql`coalesce(${salesLeads.score}, -1)`
    : sort.endsWith("name")
      ? sql`lower(coalesce(${salesLeads.firstName}, '') || ' ' || coalesce(${salesLeads.lastName}, '') || coalesce(${salesLeads.email}, ''))`
      : sql`${salesLeads.createdAt}`;

export const encodeLeadCursor = (v: unknown) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(v))))
    .replace(/=+$/, "")
    .replace(/\+/g, "-")
    .replace(/\//g, "_");
function decode(cursor: string): [string | number, string] {
  try {
    const bin = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const v = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0)))) as unknown;
    if (Array.isArray(v) && v.length === 2 && (typeof v[0] === "string" || typeof v[0] === "number") && typeof v[1] === "string")
      return v as [string | number, string];
  } catch {}
  throw badRequest("The cursor is not valid; pass `next_cursor` from a previous page unchanged.");
}

/** Keyset pages over any of the sorts: the cursor carries the last row's sort value and id. "-x" = descending (default "-created"). */
export function leadOrder(sort: LeadSort, cursor?: string) {
  const e = sortExpr(sort);
  const descending = sort.startsWith("-");
  let where: SQL | undefined;
  if (cursor) {
    const [v, id] = decode(cursor);
    where = descending
      ? or(sql`${e} < ${v}`, and(sql`${e} = ${v}`, lt(salesLeads.id, id)))
      : or(sql`${e} > ${v}`, and(sql`${e} = ${v}`, gt(salesLeads.id, id)));
  }
  const orderBy = descending ? [desc(e), desc(salesLeads.id)] : [asc(e), asc(salesLeads.id)];
  return { where, orderBy, valueOf: e };
}

export async function listLeads(db: Db, tenantId: string, q: LeadListQuery) {
  const sort = q.sort ?? "-created";
  const o = leadOrder(sort, q.cursor);
  const rows = await db
    .select({ lead: salesLeads, k: sql<string | number>`${o.valueOf}` })
    .from(salesLeads)
    .where(tenantScope(db, tenantId).where(salesLeads, ...leadConditions(q), o.where))
    .orderBy(...o.orderBy)
    .limit(q.limit + 1);
  const hasMore = rows.length > q.limit;
  const page = hasMore ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  return { data: page.map((r) => serializeLead(r.lead)), next_cursor: hasMore && last ? encodeLeadCursor([last.k, last.lead.id]) : null };
}

export const liveLead = (db: Db, tenantId: string, id: string) =>
  db
    .select()
    .from(salesLeads)
    .where(tenantScope(db, tenantId).where(salesLeads, eq(salesLeads.id, id), isNull(salesLeads.mergedInto)))
    .get();
