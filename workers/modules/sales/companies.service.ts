import { and, asc, desc, eq, isNull, sql } from "drizzle-orm";
import { salesCompanies, salesLeads, salesDeals } from "../../../schema/sales";
import { auditInsert, type Actor } from "../../platform/audit";
import { containsPattern, tenantScope, type Db } from "../../platform/db";
import { conflict, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, type PageQuery, toPage } from "../../platform/pagination";
import { companyNameFromDomain, isFreeMail, normalizeDomain } from "./domains";
import { type Enricher, enrichSafely } from "./enrich";
import { validateCustomFields } from "./fields.service";
import { assertOwner } from "./owners";
import { type CompanyRow, rawStmt, type Stmt } from "./types";

/** Companies (accounts): CRUD, list, and the company a lead's business domain links to (created on the fly). */

export const serializeCompany = (c: CompanyRow) => ({
  id: c.id,
  name: c.name,
  domain: c.domain,
  industry: c.industry,
  employees: c.employees,
  country: c.country,
  region: c.region,
  city: c.city,
  owner_id: c.ownerId,
  source: c.source,
  tags: c.tags,
  custom_fields: c.customFields,
  enriched_by: c.enrichedBy,
  created_at: new Date(c.createdAt).toISOString(),
  updated_at: new Date(c.updatedAt).toISOString(),
});

export interface CompanyInput {
  name?: string;
  domain?: string | null;
  industry?: string | null;
  employees?: number | null;
  country?: string | null;
  region?: string | null;
  city?: string | null;
  owner_id?: string | null;
  source?: string | null;
  tags?: string[];
  custom_fields?: Record<string, unknown>;
}

export async function getCompanyRow(db: Db, tenantId: string, id: string): Promise<CompanyRow> {
  const row = await db
    .select()
    .from(salesCompanies)
    .where(tenantScope(db, tenantId).where(salesCompanies, eq(salesCompanies.id, id)))
    .get();
  if (!row) throw notFound("Company");
  return row;
}

export const findCompanyByDomain = (db: Db, tenantId: string, domain: string) =>
  db
    .select()
    .from(salesCompanies)
    .where(tenantScope(db, tenantId).where(salesCompanies, eq(salesCompanies.domain, domain)))
    .orderBy(asc(salesCompanies.createdAt))
    .get();

const cleanTags = (tags: string[] | undefined) => [...new Set((tags ?? []).map((t) => t.trim()).filter(Boolean))];

export async function createCompany(db: Db, tenantId: string, input: CompanyInput, actor: Actor, enricher?: Enricher): Promise<CompanyRow> {
  const domain = normalizeDomain(input.domain);
  if (domain && (await findCompanyByDomain(db, tenantId, domain)))
    throw conflict(`A company with the domain ${domain} already exists in this workspace.`, "company-exists");
  if (input.owner_id) await assertOwner(db, tenantId, input.owner_id);
  const customFields = await validateCustomFields(db, tenantId, "company", input.custom_fields);
  const enriched = domain && enricher ? await enrichSafely(enricher, domain) : null;
  const now = Date.now();
  const row: CompanyRow = {
    tenantId,
    id: newId("co"),
    name: input.name?.trim() || enriched?.name || (domain ? companyNameFromDomain(domain) : "Unnamed company"),
    domain,
    industry: input.industry ?? enriched?.industry ?? null,
    employees: input.employees ?? enriched?.employees ?? null,
    country: (input.country ?? enriched?.country ?? null)?.toUpperCase() ?? null,
    region: input.region ?? null,
    city: input.city ?? null,
    ownerId: input.owner_id ?? null,
    source: input.source ?? "manual",
    tags: cleanTags(input.tags),
    customFields,
    enrichedBy: enriched?.by ?? null,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(salesCompanies).values(row),
    auditInsert(db, actor, { tenantId, action: "sales.company.created", target: { type: "sales_company", id: row.id } }),
  ]);
  return row;
}

/**
 * The company of a business domain: the existing one, else a new row named by the enricher.
 * Free-mail domains (gmail.com…) never get a company.
 */
export async function companyForDomain(db: Db, tenantId: string, domain: string | null, enricher: Enricher, companyName?: string | null) {
  if (!domain || isFreeMail(domain)) return null;
  const existing = await findCompanyByDomain(db, tenantId, domain);
  if (existing) return existing;
  const enriched = await enrichSafely(enricher, domain);
  const now = Date.now();
  const row: CompanyRow = {
    tenantId,
    id: newId("co"),
    name: companyName?.trim() || enriched.name || companyNameFromDomain(domain),
    domain,
    industry: enriched.industry ?? null,
    employees: enriched.employees ?? null,
    country: enriched.country ?? null,
    region: null,
    city: null,
    ownerId: null,
    source: "auto",
    tags: [],
    customFields: {},
    enrichedBy: enriched.by,
    createdAt: now,
    updatedAt: now,
  };
  await db.insert(salesCompanies).values(row);
  return row;
}

/**
 * Bulk form for imports: domain → company id for every business domain given, creating the
 * missing ones (named from the domain by the local enricher: no provider calls per import row).
 */
export async function companiesForDomains(db: Db, tenantId: string, wanted: Map<string, string | null>): Promise<Map<string, string>> {
  const { ids, inserts } = await companiesForDomainsDeferred(db, tenantId, wanted);
  if (inserts.length) await db.batch(inserts as [Stmt, ...Stmt[]]);
  return ids;
}

/**
 * companiesForDomains without writing: the ids (existing and new) and the inserts of the new
 * companies, for the caller to run in its own batch (the import writes them with its leads, in one
 * transaction).
 */
export async function companiesForDomainsDeferred(
  db: Db,
  tenantId: string,
  wanted: Map<string, string | null>,
): Promise<{ ids: Map<string, string>; inserts: Stmt[] }> {
  const domains = [...wanted.keys()].filter((d) => !isFreeMail(d));
  const out = new Map<string, string>();
  // One lookup for all the domains: they travel as one JSON parameter (D1 binds at most 100).
  if (domains.length) {
    const rows = await db
      .select({ id: salesCompanies.id, domain: salesCompanies.domain })
      .from(salesCompanies)
      .where(
        tenantScope(db, tenantId).where(
          salesCompanies,
          sql`${salesCompanies.domain} in (select value from json_each(${JSON.stringify(domains)}))`,
        ),
      )
      .orderBy(desc(salesCompanies.createdAt));
    for (const r of rows) if (r.domain) out.set(r.domain, r.id);
  }
  const now = Date.now();
  const missing = domains.filter((d) => !out.has(d));
  const inserts: Stmt[] = [];
  const values = missing.map((domain) => {
    const id = newId("co");
    out.set(domain, id);
    return {
      tenant_id: tenantId,
      id,
      name: wanted.get(domain)?.trim() || companyNameFromDomain(domain),
      domain,
      source: "import",
      enriched_by: "local-domain",
      created_at: now,
    };
  });
  // One statement per 500 companies: the rows travel as one JSON parameter (D1 binds at most 100).
  for (let i = 0; i < values.length; i += 500)
    inserts.push(
      rawStmt(
        db,
        sql`insert into sales_companies (tenant_id, id, name, domain, source, enriched_by, tags, custom_fields, created_at, updated_at)
        select j.value ->> 'tenant_id', j.value ->> 'id', j.value ->> 'name', j.value ->> 'domain', j.value ->> 'source', j.value ->> 'enriched_by',
          '[]', '{}', j.value ->> 'created_at', j.value ->> 'created_at'
        from json_each(${JSON.stringify(values.slice(i, i + 500))}) j`,
      ),
    );
  return { ids: out, inserts };
}

export interface CompanyListQuery extends PageQuery {
  q?: string;
  owner_id?: string;
  tag?: string;
  industry?: string;
}

export async function listCompanies(db: Db, tenantId: string, q: CompanyListQuery) {
  const page = keyset(salesCompanies.createdAt, salesCompanies.id, q.cursor);
  const term = q.q?.trim().toLowerCase();
  const rows = await db
    .select()
    .from(salesCompanies)
    .where(
      tenantScope(db, tenantId).where(
        salesCompanies,
        term
          ? sql`(lower(${salesCompanies.name}) like ${containsPattern(term)} escape '\\' or ${salesCompanies.domain} like ${containsPattern(term)} escape '\\')`
          : undefined,
        q.owner_id ? eq(salesCompanies.ownerId, q.owner_id) : undefined,
        q.industry ? eq(salesCompanies.industry, q.industry) : undefined,
        q.tag ? sql`exists (select 1 from json_each(${salesCompanies.tags}) where json_each.value = ${q.tag})` : undefined,
        page.where,
      ),
    )
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeCompany);
}

export async function updateCompany(db: Db, tenantId: string, id: string, input: CompanyInput, actor: Actor): Promise<CompanyRow> {
  const cur = await getCompanyRow(db, tenantId, id);
  const domain = input.domain !== undefined ? normalizeDomain(input.domain) : cur.domain;
  if (domain && domain !== cur.domain) {
    const other = await findCompanyByDomain(db, tenantId, domain);
    if (other && other.id !== id) throw conflict(`A company with the domain ${domain} already exists in this workspace.`, "company-exists");
  }
  if (input.owner_id) await assertOwner(db, tenantId, input.owner_id);
  const customFields =
    input.custom_fields !== undefined
      ? { ...cur.customFields, ...(await validateCustomFields(db, tenantId, "company", input.custom_fields)) }
      : cur.customFields;
  const next: CompanyRow = {
    ...cur,
    name: input.name?.trim() || cur.name,
    domain,
    industry: input.industry !== undefined ? input.industry : cur.industry,
    employees: input.employees !== undefined ? input.employees : cur.employees,
    country: input.country !== undefined ? (input.country?.toUpperCase() ?? null) : cur.country,
    region: input.region !== undefined ? input.region : cur.region,
    city: input.city !== undefined ? input.city : cur.city,
    ownerId: input.owner_id !== undefined ? input.owner_id : cur.ownerId,
    source: input.source !== undefined ? input.source : cur.source,
    tags: input.tags !== undefined ? cleanTags(input.tags) : cur.tags,
    customFields,
    updatedAt: Date.now(),
  };
  const { tenantId: _t, id: _i, createdAt: _c, ...set } = next;
  await db.batch([
    db
      .update(salesCompanies)
      .set(set)
      .where(and(eq(salesCompanies.tenantId, tenantId), eq(salesCompanies.id, id))),
    auditInsert(db, actor, { tenantId, action: "sales.company.updated", target: { type: "sales_company", id } }),
  ]);
  return next;
}

/** Deletes the company; its leads and deals keep their rows with the link cleared. */
export async function deleteCompany(db: Db, tenantId: string, id: string, actor: Actor) {
  await getCompanyRow(db, tenantId, id);
  await db.batch([
    db
      .update(salesLeads)
      .set({ companyId: null })
      .where(and(eq(salesLeads.tenantId, tenantId), eq(salesLeads.companyId, id))),
    db
      .update(salesDeals)
      .set({ companyId: null })
      .where(and(eq(salesDeals.tenantId, tenantId), eq(salesDeals.companyId, id))),
    db.delete(salesCompanies).where(and(eq(salesCompanies.tenantId, tenantId), eq(salesCompanies.id, id))),
    auditInsert(db, actor, { tenantId, action: "sales.company.deleted", target: { type: "sales_company", id } }),
  ]);
}

/** How many live leads a company has (its detail page). */
export const companyLeadCount = (db: Db, tenantId: string, id: string) =>
  db.$count(salesLeads, and(eq(salesLeads.tenantId, tenantId), eq(salesLeads.companyId, id), isNull(salesLeads.mergedInto)));
