import { sql } from "drizzle-orm";
import type { Db } from "../../platform/db";
import type { MappedLead } from "./import.rows";
import { rawStmt, type Stmt } from "./types";

/**
 * The import's write statements: new leads and updates of existing ones, each for up to a few
 * thousand rows that travel as one JSON parameter (D1 binds at most 100 values per statement).
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

/** The lead columns a file can fill, in the order they sit in a row (after LEAD_ROW_HEAD). */
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

/** What precedes the columns in a row; `at` is both created_at and updated_at. */
const LEAD_ROW_HEAD = ["tenant_id", "id", "company_id", "import_id", "status", "tags", "custom_fields", "at"] as const;
/** Every field of a row, by position. */
export const LEAD_ROW_FIELDS = [...LEAD_ROW_HEAD, ...LEAD_COLUMNS] as const;
export type LeadRowField = (typeof LEAD_ROW_FIELDS)[number];
/** `r.b ->> N`: a field of a row by its position. */
const field = (f: LeadRowField, row = "r") => `${row}.b ->> ${LEAD_ROW_FIELDS.indexOf(f)}`;

/**
 * A lead as one row of a statement's JSON parameter: a JSON array of its values in LEAD_ROW_FIELDS
 * order, an empty field null. Positions rather than keys: the rows are shorter to build, send and
 * parse, and SQLite reads a field by position instead of comparing keys.
 */
export type LeadRowValues = (string | number | null)[];

const hasKeys = (o: object) => {
  for (const _ in o) return true;
  return false;
};

export const leadRow = (
  l: MappedLead,
  id: string,
  companyId: string | null,
  created?: { tenantId: string; importId: string; at: number },
): LeadRowValues => [
  created?.tenantId ?? null,
  id,
  companyId,
  created?.importId ?? null,
  l.status ?? null,
  l.tags.length ? JSON.stringify(l.tags) : "[]",
  hasKeys(l.customFields) ? JSON.stringify(l.customFields) : "{}",
  created?.at ?? null,
  l.email ?? null,
  l.firstName ?? null,
  l.lastName ?? null,
  l.title ?? null,
  l.phone ?? null,
  l.companyName ?? null,
  l.domain ?? null,
  l.industry ?? null,
  l.employees ?? null,
  l.country ?? null,
  l.region ?? null,
  l.city ?? null,
  l.timezone ?? null,
  l.linkedinUrl ?? null,
  l.source ?? null,
];

/** A row from named fields (the bench baseline's rows; the import builds its rows with leadRow). */
export const leadRowFrom = (fields: Partial<Record<LeadRowField, string | number | null>>): LeadRowValues =>
  LEAD_ROW_FIELDS.map((f) => fields[f] ?? null);

/**
 * The rows of a statement, each rendered once: json_each's `value` is the row's JSON text, rendered
 * afresh from the whole parameter every time a statement reads it. Read straight from json_each
 * (`j.value ->> 'col'`) that was once per field, 23 times a row. A materialised CTE stores each row's
 * text once, and SQLite's per-statement JSON parse cache then serves every `->> N` on it. The
 * import's rows went from 25 to 11 µs per row in node:sqlite (`node bench/lib/sales-sql-floor.mjs
 * import-keys import`), and the local import of 100,000 rows from 4.3 to 2.9 s (`npm run bench --
 * sales`). Plain JSON text and `->>` only (no JSONB functions), as before: nothing newer than
 * SQLite 3.38 is asked of D1.
 */
const rowsOf = (json: string, name = "r") => sql`${sql.raw(name)} as materialized (select value as b from json_each(${json}))`;

/**
 * Rows per statement are bounded by size, not count: one JSON parameter of at most this many
 * characters. D1 binds a string of up to 2 MB; even at 3 UTF-8 bytes per character this stays
 * under, and a step's ~9,000 bench rows go in 3 statements. Fewer, larger statements
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

/** New leads from one JSON array of rows (leadRow's). */
export function insertLeads(db: Db, json: string): Stmt {
  const cols = LEAD_COLUMNS.map((c) => sql.raw(field(c)));
  return rawStmt(
    db,
    sql`with ${rowsOf(json)}
    insert into sales_leads (tenant_id, id, company_id, import_id, status, tags, custom_fields, created_at, updated_at,
      ${sql.raw(LEAD_COLUMNS.join(", "))})
    select ${sql.raw((["tenant_id", "id", "company_id", "import_id"] as const).map((f) => field(f)).join(", "))},
      coalesce(${sql.raw(field("status"))}, 'new'), ${sql.raw(field("tags"))}, ${sql.raw(field("custom_fields"))},
      ${sql.raw(field("at"))}, ${sql.raw(field("at"))},
      ${sql.join(cols, sql`, `)}
    from r`,
  );
}

/** The insert statements for `rows`: the import's new leads, and the bench baseline's rows (the same statements). */
export const insertLeadStatements = (db: Db, rows: readonly LeadRowValues[]): Stmt[] =>
  jsonBatches(rows).map((json) => insertLeads(db, json));

/** Existing leads get the file's values: "update" → a value in the file replaces the lead's; "merge" → it fills only what the lead lacks. Tags are added either way. */
export function updateLeads(db: Db, tenantId: string, json: string, laterWins: boolean, now: number): Stmt {
  // The `id in (…)` term and the unary + on tenant_id make SQLite find the rows by primary key; with a
  // plain tenant_id term it scanned every lead of the workspace per statement (EXPLAIN QUERY PLAN).
  const set = LEAD_COLUMNS.filter((c) => c !== "email").map((c) =>
    laterWins
      ? sql.raw(`${c} = coalesce(${field(c, "u")}, sales_leads.${c})`)
      : sql.raw(`${c} = coalesce(sales_leads.${c}, ${field(c, "u")})`),
  );
  const [status, companyId, tags, custom] = (["status", "company_id", "tags", "custom_fields"] as const).map((f) => sql.raw(field(f, "u")));
  return rawStmt(
    db,
    sql`with ${rowsOf(json, "u")}
    update sales_leads set ${sql.join(set, sql`, `)},
      status = ${laterWins ? sql`coalesce(${status}, sales_leads.status)` : sql.raw("sales_leads.status")},
      company_id = coalesce(sales_leads.company_id, ${companyId}),
      tags = (select json_group_array(value) from (select value from json_each(sales_leads.tags) union select value from json_each(${tags}))),
      custom_fields = ${laterWins ? sql`json_patch(sales_leads.custom_fields, ${custom})` : sql`json_patch(${custom}, sales_leads.custom_fields)`},
      updated_at = ${now}
    from u
    where +sales_leads.tenant_id = ${tenantId} and sales_leads.id in (select ${sql.raw(field("id", "u"))} from u)
      and sales_leads.id = ${sql.raw(field("id", "u"))}`,
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
