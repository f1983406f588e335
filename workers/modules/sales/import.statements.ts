import { sql } from "drizzle-orm";
import type { Db } from "../../platform/db";
import type { MappedLead } from "./import.rows";
import { rawStmt, type Stmt } from "./types";

/**
 * The import's write statements: new leads and updates of existing ones, each for up to a few
 * hundred rows that travel as one JSON parameter (D1 binds at most 100 values per statement).
 */

/** Later values fill or replace earlier ones: "update" → the later row wins, "merge" → the earlier value stays. */
export function combine(a: MappedLead, b: MappedLead, laterWins: boolean): MappedLead {
  const out: MappedLead = { ...a };
  for (const [k, v] of Object.entries(b) as [keyof MappedLead, MappedLead[keyof MappedLead]][]) {
    if (k === "tags" || k === "customFields" || v === undefined || v === null) continue;
    if (laterWins || out[k] === undefined || out[k] === null) (out as unknown as Record<string, unknown>)[k] = v;
  }
  out.tags = [...new Set([...a.tags, ...b.tags])];
  out.customFields = laterWins ? { ...a.customFields, ...b.customFields } : { ...b.customFields, ...a.customFields };
  return out;
}

/**
 * A lead as one row of a statement's JSON parameter (`->>` reads it). Empty fields are undefined,
 * which JSON.stringify leaves out (`->>` reads a missing key as NULL): the parameter is serialised,
 * sent to D1 and parsed by SQLite per row, and the bench's rows are ~20 % smaller without the nulls.
 * One object literal (every row the same shape) is quicker to build and serialise than keys added one by one.
 */
export const leadJson = (
  l: MappedLead,
  id: string,
  companyId: string | null,
  created?: { tenantId: string; importId: string; at: number },
) => ({
  tenant_id: created?.tenantId,
  id,
  email: l.email ?? undefined,
  first_name: l.firstName,
  last_name: l.lastName,
  title: l.title,
  phone: l.phone,
  company_id: companyId ?? undefined,
  company_name: l.companyName,
  domain: l.domain ?? undefined,
  industry: l.industry,
  employees: l.employees,
  country: l.country,
  region: l.region,
  city: l.city,
  timezone: l.timezone,
  linkedin_url: l.linkedinUrl,
  source: l.source,
  status: l.status,
  tags: JSON.stringify(l.tags),
  custom_fields: JSON.stringify(l.customFields),
  import_id: created?.importId,
  at: created?.at,
});

const LEAD_COLUMNS = [
  "email",
  "first_name",
  "last_name",
  "title",
  "phone",
  "company_name",
  "domain",
  "industry",
  "employees",
  "country",
  "region",
  "city",
  "timezone",
  "linkedin_url",
  "source",
] as const;

/**
 * Rows per statement are bounded by size, not count: one JSON parameter of at most this many
 * characters. D1 binds a string of up to 2 MB; even at 3 UTF-8 bytes per character this stays
 * under, and a step's ~4,500 bench rows go in 4 statements instead of 18. Fewer, larger statements
 * matter for the import: each statement that uses JSON functions inside a transaction keeps a
 * statement journal of every existing page it changes, and the import's domain and company index
 * entries land on pages all over those indexes — with 250-row statements the same pages were
 * journaled again by each of the step's statements (local D1: 717 → 584 MB written for 90,000 rows
 * at 1,000 rows per statement, batch CPU −13 %; the baseline's appends hardly change).
 */
export const STATEMENT_JSON_CHARS = 600_000;

/**
 * `rows` as JSON arrays of at most `maxChars` characters and `maxRows` rows each (a longer row goes
 * alone). Serialised a slice at a time (one JSON.stringify per statement is about twice as fast as
 * one per row); the slice length follows the rows' size so far, and a slice over the bound is halved.
 */
export function jsonBatches(rows: readonly object[], maxRows = Number.POSITIVE_INFINITY, maxChars = STATEMENT_JSON_CHARS): string[] {
  const out: string[] = [];
  let take = Math.min(maxRows, 500);
  for (let i = 0; i < rows.length; ) {
    const n = Math.min(take, rows.length - i);
    const json = JSON.stringify(rows.slice(i, i + n));
    if (json.length > maxChars && n > 1) {
      take = Math.ceil(n / 2);
      continue;
    }
    out.push(json);
    i += n;
    take = Math.max(1, Math.min(maxRows, Math.floor(((maxChars * 0.9) / json.length) * n)));
  }
  return out;
}

/** New leads from one JSON array of rows (leadJson's keys plus tenant_id, id, company_id, import_id, at). */
export function insertLeads(db: Db, json: string): Stmt {
  const cols = LEAD_COLUMNS.map((c) => sql.raw(`j.value ->> '${c}'`));
  return rawStmt(
    db,
    sql`insert into sales_leads (tenant_id, id, company_id, import_id, status, tags, custom_fields, created_at, updated_at,
      ${sql.raw(LEAD_COLUMNS.join(", "))})
    select j.value ->> 'tenant_id', j.value ->> 'id', j.value ->> 'company_id', j.value ->> 'import_id',
      coalesce(j.value ->> 'status', 'new'), j.value ->> 'tags', j.value ->> 'custom_fields', j.value ->> 'at', j.value ->> 'at',
      ${sql.join(cols, sql`, `)}
    from json_each(${json}) j`,
  );
}

/** The insert statements for `rows`: the import's new leads, and the bench baseline's rows (the same statements). */
export const insertLeadStatements = (db: Db, rows: readonly object[]): Stmt[] => jsonBatches(rows).map((json) => insertLeads(db, json));

/** Existing leads get the file's values: "update" → a value in the file replaces the lead's; "merge" → it fills only what the lead lacks. Tags are added either way. */
export function updateLeads(db: Db, tenantId: string, json: string, laterWins: boolean, now: number): Stmt {
  // The `id in (…)` term and the unary + on tenant_id make SQLite find the rows by primary key; with a
  // plain tenant_id term it scanned every lead of the workspace per statement (EXPLAIN QUERY PLAN).
  const set = LEAD_COLUMNS.filter((c) => c !== "email").map((c) =>
    laterWins
      ? sql.raw(`${c} = coalesce(u.value ->> '${c}', sales_leads.${c})`)
      : sql.raw(`${c} = coalesce(sales_leads.${c}, u.value ->> '${c}')`),
  );
  return rawStmt(
    db,
    sql`update sales_leads set ${sql.join(set, sql`, `)},
      status = ${laterWins ? sql.raw(`coalesce(u.value ->> 'status', sales_leads.status)`) : sql.raw("sales_leads.status")},
      company_id = coalesce(sales_leads.company_id, u.value ->> 'company_id'),
      tags = (select json_group_array(value) from (select value from json_each(sales_leads.tags) union select value from json_each(u.value ->> 'tags'))),
      custom_fields = ${laterWins ? sql.raw(`json_patch(sales_leads.custom_fields, u.value ->> 'custom_fields')`) : sql.raw(`json_patch(u.value ->> 'custom_fields', sales_leads.custom_fields)`)},
      updated_at = ${now}
    from json_each(${json}) u
    where +sales_leads.tenant_id = ${tenantId} and sales_leads.id in (select j.value ->> 'id' from json_each(${json}) j)
      and sales_leads.id = u.value ->> 'id'`,
  );
}

/**
 * Fails (abs(minimum int) raises, so the batch it is part of rolls back) unless every company in
 * `companies` (id → domain) still exists in the workspace with that domain: the import links leads
 * to companies an earlier step resolved without looking them up again.
 */
export function companiesUnchanged(db: Db, tenantId: string, companies: Record<string, string>): Stmt {
  return rawStmt(
    db,
    sql`select case when exists (
        select 1 from json_each(${JSON.stringify(companies)}) j
        where not exists (select 1 from sales_companies c where c.id = j.key and c.tenant_id = ${tenantId} and c.domain = j.value)
      ) then abs(-9223372036854775808) else 0 end as ok`,
  );
}
