import { and, desc, eq, sql } from "drizzle-orm";
import { type ImportRowError, salesImports, salesLeads } from "../../../schema/sales";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { conflict, notFound, Problem, validationFailed } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, type PageQuery, toPage } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { parseCsv } from "./csv";
import { type FieldDefRow, listFieldDefs } from "./fields.service";
import { checkMapping, dedupeKey, mapRow, suggestMapping } from "./import.rows";

/**
 * CSV import, steps 1–3: upload (stored in R2, split into JSON chunks of CHUNK_ROWS rows), preview
 * with a mapping, apply (queued; `import.consumer.ts` writes the chunks one after another).
 */

export type ImportRow = typeof salesImports.$inferSelect;
export const MAX_IMPORT_BYTES = 20 * 1024 * 1024;
export const CHUNK_ROWS = 1000;
/**
 * Stored chunks the consumer writes per step (one dedupe query, one quota call, one D1 batch for 10,000 rows).
 * The batch is one transaction, and every other query on the database waits for it: 10,000 rows keep a step's
 * batch at ≈ 0.2–0.3 s locally at 100,000 leads (bench/results/sales.md), what 5,000 rows took before the rows
 * were read once each, by position. Fewer, larger steps matter for the import's domain and company index entries,
 * which land all over those indexes: each commit writes every index page it touched.
 */
export const STEP_CHUNKS = 10;
export const MAX_KEPT_ERRORS = 500;

export const importKey = (tenantId: string, id: string) => `sales-imports/${tenantId}/${id}.csv`;
export const chunkKey = (tenantId: string, id: string, chunk: number) => `sales-imports/${tenantId}/${id}/chunk-${chunk}.json`;

export const serializeImport = (r: ImportRow, suggested?: Record<string, string>) => ({
  id: r.id,
  file_name: r.fileName,
  status: r.status,
  headers: r.headers,
  mapping: r.mapping,
  ...(suggested ? { suggested_mapping: suggested } : {}),
  duplicates: r.duplicates,
  tags: r.tags,
  total_rows: r.totalRows,
  processed_rows: r.processedRows,
  created: r.created,
  updated: r.updated,
  skipped: r.skipped,
  failed: r.failed,
  errors: r.errors,
  created_by: r.createdBy,
  created_at: new Date(r.createdAt).toISOString(),
  finished_at: iso(r.finishedAt),
});

const leadDefs = async (db: Db, tenantId: string) =>
  new Map((await listFieldDefs(db, tenantId, "lead")).map((d) => [d.key, d] as [string, FieldDefRow]));

/** Step 1: reads the CSV, stores it and its chunks, and answers the headers with a suggested mapping. */
export async function uploadImport(env: Env, db: Db, tenantId: string, fileName: string, text: string, userId: string | null) {
  const rows = parseCsv(text);
  const headers = (rows[0] ?? []).map((h, i) => h.trim() || `Column ${i + 1}`);
  if (!headers.length) throw validationFailed([{ path: "file", message: "the file is empty" }]);
  if (new Set(headers).size !== headers.length) throw validationFailed([{ path: "file", message: "two columns have the same header" }]);
  const data = rows.slice(1);
  if (!data.length) throw validationFailed([{ path: "file", message: "the file has a header but no rows" }]);
  const defs = await listFieldDefs(db, tenantId, "lead");
  const suggested = suggestMapping(headers, defs);
  const id = newId("imp");
  const puts: Promise<unknown>[] = [
    env.FILES.put(importKey(tenantId, id), text, { httpMetadata: { contentType: "text/csv; charset=utf-8" } }),
  ];
  for (let c = 0; c * CHUNK_ROWS < data.length; c++)
    puts.push(env.FILES.put(chunkKey(tenantId, id, c), JSON.stringify(data.slice(c * CHUNK_ROWS, (c + 1) * CHUNK_ROWS))));
  await Promise.all(puts);
  const row: ImportRow = {
    tenantId,
    id,
    fileName: fileName.slice(0, 200) || "leads.csv",
    fileKey: importKey(tenantId, id),
    status: "uploaded",
    headers,
    mapping: suggested,
    duplicates: "update",
    tags: [],
    totalRows: data.length,
    processedRows: 0,
    created: 0,
    updated: 0,
    skipped: 0,
    failed: 0,
    errors: [],
    createdBy: userId,
    createdAt: Date.now(),
    finishedAt: null,
  };
  await db.insert(salesImports).values(row);
  return serializeImport(row, suggested);
}

export async function getImportRow(db: Db, tenantId: string, id: string): Promise<ImportRow> {
  const row = await db
    .select()
    .from(salesImports)
    .where(tenantScope(db, tenantId).where(salesImports, eq(salesImports.id, id)))
    .get();
  if (!row) throw notFound("Import");
  return row;
}

export async function listImports(db: Db, tenantId: string, q: PageQuery) {
  const page = keyset(salesImports.createdAt, salesImports.id, q.cursor);
  const rows = await db
    .select()
    .from(salesImports)
    .where(tenantScope(db, tenantId).where(salesImports, page.where))
    .orderBy(...page.orderBy, desc(salesImports.id))
    .limit(q.limit + 1);
  return toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => serializeImport(r),
  );
}

export async function readChunk(env: Env, tenantId: string, id: string, chunk: number): Promise<string[][]> {
  const obj = await env.FILES.get(chunkKey(tenantId, id, chunk));
  if (!obj) throw new Problem(410, "import-file-gone", "Gone", "The uploaded file of this import is no longer stored; upload it again.");
  return (await obj.json()) as string[][];
}

/**
 * Existing live leads matching the keys (email or name + domain): key → lead id (a merged lead
 * answers for the lead it was merged into). One statement for any number of keys: the keys travel
 * as JSON parameters (D1 binds at most 100 values), emails found through the email index, names
 * through the domain index.
 */
export async function existingByKeys(db: Db, tenantId: string, keys: string[]): Promise<Map<string, string>> {
  const emails = keys.filter((k) => k.startsWith("e:")).map((k) => k.slice(2));
  const names = keys.filter((k) => k.startsWith("n:")).map((k) => k.slice(2));
  const out = new Map<string, string>();
  if (!emails.length && !names.length) return out;
  const domains = [...new Set(names.map((n) => n.slice(n.lastIndexOf("|") + 1)))];
  const nameKey = sql`lower(trim(coalesce(${salesLeads.firstName}, '') || ' ' || coalesce(${salesLeads.lastName}, ''))) || '|' || ${salesLeads.domain}`;
  const rows = await db.all<{ id: string; k: string }>(sql`
    select coalesce(${salesLeads.mergedInto}, ${salesLeads.id}) as id, 'e:' || ${salesLeads.email} as k from ${salesLeads}
    where ${salesLeads.tenantId} = ${tenantId} and ${salesLeads.email} in (select value from json_each(${JSON.stringify(emails)}))
    union all
    select ${salesLeads.id} as id, 'n:' || ${nameKey} as k from ${salesLeads}
    where ${salesLeads.tenantId} = ${tenantId} and ${salesLeads.mergedInto} is null
      and ${salesLeads.domain} in (select value from json_each(${JSON.stringify(domains)}))
      and ${nameKey} in (select value from json_each(${JSON.stringify(names)}))`);
  for (const r of rows) if (!out.has(r.k)) out.set(r.k, r.id);
  return out;
}

/** Step 2: the first 20 rows as they would be written with `mapping` (default: the stored one), their errors and the leads they match. */
export async function previewImport(env: Env, db: Db, tenantId: string, id: string, mapping?: Record<string, string>) {
  const imp = await getImportRow(db, tenantId, id);
  const defs = await leadDefs(db, tenantId);
  const m = mapping ?? imp.mapping;
  const mappingErrors = checkMapping(m, imp.headers, defs);
  if (mappingErrors.length) throw validationFailed(mappingErrors);
  const rows = (await readChunk(env, tenantId, id, 0)).slice(0, 20);
  const columns = new Map(imp.headers.map((h, i) => [h, i]));
  const mapped = rows.map((cells, i) => mapRow(i + 1, cells, columns, m, defs, imp.tags));
  const keys = mapped.map((r) => (r.lead ? dedupeKey(r.lead) : null)).filter((k): k is string => !!k);
  const existing = await existingByKeys(db, tenantId, keys);
  const seen = new Map<string, number>();
  return {
    mapping: m,
    total_rows: imp.totalRows,
    rows: mapped.map((r) => {
      const key = r.lead ? dedupeKey(r.lead) : null;
      const earlier = key ? seen.get(key) : undefined;
      if (key && earlier === undefined) seen.set(key, r.row);
      return {
        row: r.row,
        values: r.values,
        errors: r.errors.map((e) => ({ field: e.field, message: e.message })),
        duplicate_of: key ? (existing.get(key) ?? null) : null,
        duplicate_of_row: earlier ?? null,
      };
    }),
  };
}

/** Step 3: fixes mapping, duplicate rule and tags, and queues the chunks. Applying twice is refused (409). */
export async function applyImport(
  db: Db,
  tenantId: string,
  id: string,
  input: { mapping?: Record<string, string>; duplicates: "skip" | "update" | "merge"; tags?: string[] },
  enqueue: (m: ImportMessage) => Promise<void>,
) {
  const imp = await getImportRow(db, tenantId, id);
  const defs = await leadDefs(db, tenantId);
  const mapping = input.mapping ?? imp.mapping;
  const errors = checkMapping(mapping, imp.headers, defs);
  if (errors.length) throw validationFailed(errors);
  const tags = [...new Set((input.tags ?? []).map((t) => t.trim().toLowerCase()).filter(Boolean))];
  const res = await db
    .update(salesImports)
    .set({ status: "running", mapping, duplicates: input.duplicates, tags })
    .where(and(eq(salesImports.tenantId, tenantId), eq(salesImports.id, id), eq(salesImports.status, "uploaded")));
  if (!res.meta.changes)
    throw conflict(`This import is ${imp.status === "uploaded" ? "being started" : imp.status} already.`, "import-started");
  await enqueue({ tenantId, importId: id });
  return serializeImport({ ...imp, status: "running", mapping, duplicates: input.duplicates, tags });
}

export interface ImportMessage {
  tenantId: string;
  importId: string;
}

/** Errors kept on the import: the first MAX_KEPT_ERRORS. */
export const keepErrors = (cur: ImportRowError[], more: ImportRowError[]) =>
  cur.length >= MAX_KEPT_ERRORS ? cur : [...cur, ...more].slice(0, MAX_KEPT_ERRORS);
