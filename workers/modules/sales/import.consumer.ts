import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { type ImportRowError, salesImports } from "../../../schema/sales";
import { checkQuota, consumeQuotaOrThrow, quotaExceeded } from "../billing";
import { getDb, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { companiesForDomains } from "./companies.service";
import { listFieldDefs } from "./fields.service";
import { markLeadsForRescore } from "./scoring.service";
import { dedupeKey, type MappedLead, mapRow } from "./import.rows";
import { CHUNK_ROWS, existingByKeys, getImportRow, type ImportMessage, type ImportRow, keepErrors, readChunk } from "./import.service";
import { rawStmt, type Stmt } from "./types";

/**
 * CSV import, step 4 (the `weft-sales-imports` queue): writes an applied import chunk by chunk.
 * The next chunk is always `processed_rows / CHUNK_ROWS`, and each chunk's leads, counters and
 * progress commit in one D1 batch (a transaction) guarded by the progress it started from — so a
 * redelivered or duplicated message finds the chunk done and moves on; nothing is written twice.
 * One message works for up to ~20 s, then queues its continuation (a 100,000-row file is ~100
 * chunks, a few messages).
 */

const log = createLogger({ component: "sales-import" });
const messageSchema = z.object({ tenantId: z.string().min(1), importId: z.string().min(1) });
const BUDGET_MS = 20_000;
const ROWS_PER_STATEMENT = 250; // rows travel as one JSON parameter (D1 binds at most 100 values per statement)

export async function consumeSalesImports(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  for (const m of batch.messages) {
    const parsed = messageSchema.safeParse(m.body);
    if (!parsed.success) {
      log.error("bad_message", { id: m.id });
      m.ack();
      continue;
    }
    try {
      const r = await runImport(env, parsed.data, BUDGET_MS);
      if (r === "more") await env.SALES_IMPORTS?.send(parsed.data);
      m.ack();
    } catch (e) {
      log.error("chunk_failed", { import_id: parsed.data.importId, attempts: m.attempts, error: String(e) });
      if (m.attempts >= 3) {
        await failImport(getDb(env.DB), parsed.data, String(e)).catch(() => {});
        m.ack();
      } else m.retry({ delaySeconds: 2 });
    }
  }
}

async function failImport(db: Db, msg: ImportMessage, error: string) {
  await db
    .update(salesImports)
    .set({ status: "failed", finishedAt: Date.now() })
    .where(and(eq(salesImports.tenantId, msg.tenantId), eq(salesImports.id, msg.importId)));
  log.error("import_failed", { import_id: msg.importId, error });
}

/** Writes chunks until the import is done ("done") or the time budget is spent ("more"). */
export async function runImport(env: Env, msg: ImportMessage, budgetMs: number): Promise<"done" | "more" | "skipped"> {
  const db = getDb(env.DB);
  const started = Date.now();
  for (;;) {
    const imp = await getImportRow(db, msg.tenantId, msg.importId).catch(() => null);
    if (!imp) return "skipped";
    if (imp.status !== "running") return "skipped";
    if (imp.processedRows >= imp.totalRows) {
      await db
        .update(salesImports)
        .set({ status: "done", finishedAt: Date.now() })
        .where(and(eq(salesImports.tenantId, imp.tenantId), eq(salesImports.id, imp.id), eq(salesImports.status, "running")));
      // New and updated leads get scored by the scoring cron's next passes.
      if (imp.created || imp.updated) await markLeadsForRescore(db, imp.tenantId);
      return "done";
    }
    await writeChunk(env, db, imp, Math.floor(imp.processedRows / CHUNK_ROWS));
    if (Date.now() - started > budgetMs) return "more";
  }
}

/** Later values fill or replace earlier ones: "update" → the later row wins, "merge" → the earlier value stays. */
function combine(a: MappedLead, b: MappedLead, laterWins: boolean): MappedLead {
  const out: MappedLead = { ...a };
  for (const [k, v] of Object.entries(b) as [keyof MappedLead, MappedLead[keyof MappedLead]][]) {
    if (k === "tags" || k === "customFields" || v === undefined || v === null) continue;
    if (laterWins || out[k] === undefined || out[k] === null) (out as unknown as Record<string, unknown>)[k] = v;
  }
  out.tags = [...new Set([...a.tags, ...b.tags])];
  out.customFields = laterWins ? { ...a.customFields, ...b.customFields } : { ...b.customFields, ...a.customFields };
  return out;
}

const leadJson = (l: MappedLead) => ({
  email: l.email,
  first_name: l.firstName ?? null,
  last_name: l.lastName ?? null,
  title: l.title ?? null,
  phone: l.phone ?? null,
  company_name: l.companyName ?? null,
  domain: l.domain,
  industry: l.industry ?? null,
  employees: l.employees ?? null,
  country: l.country ?? null,
  region: l.region ?? null,
  city: l.city ?? null,
  timezone: l.timezone ?? null,
  linkedin_url: l.linkedinUrl ?? null,
  source: l.source ?? null,
  status: l.status ?? null,
  tags: JSON.stringify(l.tags),
  custom_fields: JSON.stringify(l.customFields),
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

export function insertLeads(db: Db, rows: Record<string, unknown>[]): Stmt {
  const cols = LEAD_COLUMNS.map((c) => sql.raw(`j.value ->> '${c}'`));
  return rawStmt(
    db,
    sql`insert into sales_leads (tenant_id, id, company_id, import_id, status, tags, custom_fields, created_at, updated_at,
      ${sql.raw(LEAD_COLUMNS.join(", "))})
    select j.value ->> 'tenant_id', j.value ->> 'id', j.value ->> 'company_id', j.value ->> 'import_id',
      coalesce(j.value ->> 'status', 'new'), j.value ->> 'tags', j.value ->> 'custom_fields', j.value ->> 'at', j.value ->> 'at',
      ${sql.join(cols, sql`, `)}
    from json_each(${JSON.stringify(rows)}) j`,
  );
}

/** Existing leads get the file's values: "update" → a value in the file replaces the lead's; "merge" → it fills only what the lead lacks. Tags are added either way. */
function updateLeads(db: Db, tenantId: string, rows: Record<string, unknown>[], laterWins: boolean, now: number): Stmt {
  // The `id in (…)` term and the unary + on tenant_id make SQLite find the rows by primary key; with a
  // plain tenant_id term it scanned every lead of the workspace per statement (EXPLAIN QUERY PLAN).
  const json = JSON.stringify(rows);
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

/** One chunk: map and validate rows, de-duplicate (file and workspace), consume the `leads` meter, write it all in one batch. */
export async function writeChunk(env: Env, db: Db, imp: ImportRow, chunk: number) {
  const { tenantId, id } = imp;
  const from = chunk * CHUNK_ROWS;
  const cells = await readChunk(env, tenantId, id, chunk);
  const defs = new Map((await listFieldDefs(db, tenantId, "lead")).map((d) => [d.key, d]));
  const columns = new Map(imp.headers.map((h, i) => [h, i]));
  const errors: ImportRowError[] = [];
  const laterWins = imp.duplicates === "update";
  const creates = new Map<string, { row: number; lead: MappedLead }>();
  const updates = new Map<string, MappedLead>(); // existing lead id → values
  let skipped = 0;
  let updated = 0;
  const mapped = cells.map((c, i) => mapRow(from + i + 1, c, columns, imp.mapping, defs, imp.tags));
  const keys = [...new Set(mapped.map((r) => (r.lead ? dedupeKey(r.lead) : null)).filter((k): k is string => !!k))];
  const existing = await existingByKeysSafe(db, tenantId, keys);
  for (const r of mapped) {
    if (!r.lead) {
      errors.push(...r.errors);
      continue;
    }
    const key = dedupeKey(r.lead) ?? `row:${r.row}`;
    const leadId = existing.get(key);
    const pending = creates.get(key);
    if (leadId || pending) {
      if (imp.duplicates === "skip") skipped++;
      else {
        updated++;
        if (leadId) updates.set(leadId, updates.has(leadId) ? combine(updates.get(leadId) as MappedLead, r.lead, laterWins) : r.lead);
        else if (pending) pending.lead = combine(pending.lead, r.lead, laterWins);
      }
    } else creates.set(key, { row: r.row, lead: r.lead });
  }

  // The `leads` meter: this chunk's new leads, as far as the plan allows; the rest fail with the limit and the upgrade link.
  let toCreate = [...creates.values()];
  if (toCreate.length) {
    const q = await checkQuota(db, env.DB, tenantId, "leads", toCreate.length);
    const room = q.overage || q.limit === null ? toCreate.length : Math.max(0, q.limit - q.used);
    let grant = Math.min(room, toCreate.length);
    if (grant > 0) {
      // Idempotent per chunk (the event id): a redelivered chunk does not count its leads twice.
      const ok = await consumeQuotaOrThrow(env, tenantId, "leads", grant, {
        eventId: `sales-import:${id}:${chunk}`,
        userId: imp.createdBy,
      }).then(
        () => true,
        () => false, // another writer took the room in between: this chunk's new rows fail below
      );
      if (!ok) grant = 0;
    }
    if (grant < toCreate.length) {
      const p = quotaExceeded(q, toCreate.length - grant, env.APP_URL);
      const url = String(p.extensions?.upgrade_url ?? "");
      for (const c of toCreate.slice(grant))
        errors.push({
          row: c.row,
          field: null,
          message: `Lead limit reached: the ${q.plan} plan allows ${q.limit} leads. Upgrade: ${url}`,
        });
      toCreate = toCreate.slice(0, grant);
    }
  }

  const domains = new Map<string, string | null>();
  for (const c of toCreate) if (c.lead.domain) domains.set(c.lead.domain, c.lead.companyName ?? null);
  for (const l of updates.values()) if (l.domain && !domains.has(l.domain)) domains.set(l.domain, l.companyName ?? null);
  const companies = await companiesForDomains(db, tenantId, domains);

  const now = Date.now();
  const created = toCreate.map((c) => ({
    ...leadJson(c.lead),
    tenant_id: tenantId,
    id: newId("lead"),
    company_id: c.lead.domain ? (companies.get(c.lead.domain) ?? null) : null,
    import_id: id,
    at: now,
  }));
  const failed = errors.filter((e, i, all) => all.findIndex((x) => x.row === e.row) === i).length;
  // Guard: only from the progress this chunk started at; otherwise abs(minimum int) raises and the whole batch rolls back.
  const stmts: Stmt[] = [
    rawStmt(
      db,
      sql`update sales_imports set
        processed_rows = case when processed_rows = ${from} then ${from + cells.length} else abs(-9223372036854775808) end,
        created = created + ${created.length}, updated = updated + ${updated}, skipped = skipped + ${skipped}, failed = failed + ${failed},
        errors = ${JSON.stringify(keepErrors(imp.errors, errors))}
      where tenant_id = ${tenantId} and id = ${id}`,
    ),
  ];
  for (let i = 0; i < created.length; i += ROWS_PER_STATEMENT) {
    const part = created.slice(i, i + ROWS_PER_STATEMENT);
    stmts.push(insertLeads(db, part));
  }
  const ups = [...updates.entries()].map(([leadId, l]) => ({
    ...leadJson(l),
    id: leadId,
    company_id: l.domain ? (companies.get(l.domain) ?? null) : null,
  }));
  for (let i = 0; i < ups.length; i += ROWS_PER_STATEMENT)
    stmts.push(updateLeads(db, tenantId, ups.slice(i, i + ROWS_PER_STATEMENT), laterWins, now));
  await db.batch(stmts as [Stmt, ...Stmt[]]);
}

/** existingByKeys, without the name lookup's domain limit (a chunk may span more than 90 domains). */
async function existingByKeysSafe(db: Db, tenantId: string, keys: string[]) {
  const emails = keys.filter((k) => k.startsWith("e:"));
  const names = keys.filter((k) => k.startsWith("n:"));
  const out = await existingByKeys(db, tenantId, emails);
  for (let i = 0; i < names.length; i += 90) for (const [k, v] of await existingByKeys(db, tenantId, names.slice(i, i + 90))) out.set(k, v);
  return out;
}
