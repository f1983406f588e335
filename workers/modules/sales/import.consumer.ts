import { and, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { type ImportRowError, salesImports } from "../../../schema/sales";
import { consumeQuotaOrThrow } from "../billing";
import { getDb, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { Problem } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { companiesForDomainsDeferred } from "./companies.service";
import { listFieldDefs } from "./fields.service";
import { markLeadsForRescore } from "./scoring.service";
import { dedupeKey, type MappedLead, type MappedRow, rowMapper } from "./import.rows";
import {
  CHUNK_ROWS,
  existingByKeys,
  getImportRow,
  type ImportMessage,
  type ImportRow,
  keepErrors,
  readChunk,
  STEP_CHUNKS,
} from "./import.service";
import { combine, companiesUnchanged, insertLeadStatements, jsonBatches, leadRow, updateLeads } from "./import.statements";
import { rawStmt, type Stmt } from "./types";

/**
 * CSV import, step 4 (the `weft-sales-imports` queue): writes an applied import step by step, a
 * step being up to STEP_CHUNKS stored chunks (10,000 rows). The next step always starts at chunk
 * `processed_rows / CHUNK_ROWS`, and each step's leads, companies, counters and progress commit in
 * one D1 batch (a transaction) guarded by the progress it started from — so a redelivered or
 * duplicated message finds the step done and moves on; nothing is written twice. Per step: one
 * import-row read, the chunk reads (R2, in parallel), one de-duplication query, one quota call
 * (two only when the plan's limit cuts the step), one company lookup, one batch. One message works
 * for up to ~20 s, then queues its continuation (a 100,000-row file is 10 steps, one message).
 */

const log = createLogger({ component: "sales-import" });
const messageSchema = z.object({ tenantId: z.string().min(1), importId: z.string().min(1) });
const BUDGET_MS = 20_000;
const UPDATE_ROWS_PER_STATEMENT = 250; // rows travel as one JSON parameter (D1 binds at most 100 values per statement)

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

/**
 * Writes steps until the import is done ("done") or the time budget is spent ("more"). The import
 * row is read once per message and then carried forward from what each step wrote (the step's batch
 * is guarded by the progress and status it started from, so a row changed by anyone else fails the
 * batch); after a failed step it is read again: another delivery that wrote the step, or an import
 * no longer running, moves on from the stored row, anything else is retried once, then thrown.
 */
export async function runImport(env: Env, msg: ImportMessage, budgetMs: number): Promise<"done" | "more" | "skipped"> {
  const db = getDb(env.DB);
  const started = Date.now();
  const read = () => getImportRow(db, msg.tenantId, msg.importId).catch(() => null);
  let imp = await read();
  let ctx: StepContext | null = null; // the row mapper (with the field definitions), once per message
  let failedAt = -1;
  for (;;) {
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
    if (!ctx) {
      const defs = new Map((await listFieldDefs(db, imp.tenantId, "lead")).map((d) => [d.key, d]));
      const columns = new Map(imp.headers.map((h, i) => [h, i]));
      ctx = { mapRow: rowMapper(columns, imp.mapping, defs, imp.tags), companies: new Map() };
    }
    try {
      imp = await writeStep(env, db, imp, Math.floor(imp.processedRows / CHUNK_ROWS), ctx);
    } catch (e) {
      ctx.companies.clear();
      const stored = await read();
      if (stored && (stored.processedRows !== imp.processedRows || stored.status !== "running")) {
        imp = stored;
        continue;
      }
      if (failedAt === imp.processedRows) throw e;
      failedAt = imp.processedRows;
      imp = stored;
      continue;
    }
    if (Date.now() - started > budgetMs) return "more";
  }
}

/** What every step of one message shares. */
export interface StepContext {
  mapRow: (rowNumber: number, cells: string[]) => MappedRow;
  /** domain → company id, as resolved or created by this message's committed steps. */
  companies: Map<string, string>;
}

/** The stored chunks from `first` on (up to STEP_CHUNKS, not past the file's end), read in parallel. */
async function readStep(env: Env, imp: ImportRow, first: number): Promise<string[][]> {
  const last = Math.min(first + STEP_CHUNKS, Math.ceil(imp.totalRows / CHUNK_ROWS));
  const parts = await Promise.all(Array.from({ length: last - first }, (_, i) => readChunk(env, imp.tenantId, imp.id, first + i)));
  return parts.flat();
}

/**
 * The `leads` meter for a step's `n` new leads: all of them, or as many as the plan has room for.
 * Idempotent per step (the event id): a redelivered step does not count its leads twice. Returns
 * how many may be created, and the 402 problem when fewer than `n`.
 */
async function grantLeads(env: Env, imp: ImportRow, step: string, n: number): Promise<{ grant: number; problem?: Problem }> {
  const opts = { eventId: `sales-import:${imp.id}:${step}`, userId: imp.createdBy };
  try {
    await consumeQuotaOrThrow(env, imp.tenantId, "leads", n, opts);
    return { grant: n };
  } catch (e) {
    if (!(e instanceof Problem) || e.status !== 402) throw e;
    const limit = Number(e.extensions.limit ?? 0);
    const room = Math.max(0, Math.min(n - 1, limit - Number(e.extensions.current_usage ?? limit)));
    if (room <= 0) return { grant: 0, problem: e };
    // The part that fits; another writer may have taken that room in between: then none.
    const ok = await consumeQuotaOrThrow(env, imp.tenantId, "leads", room, { ...opts, eventId: `${opts.eventId}:part` }).then(
      () => true,
      () => false,
    );
    return { grant: ok ? room : 0, problem: e };
  }
}

/**
 * One step: map and validate rows, de-duplicate (file and workspace), consume the `leads` meter,
 * write it all in one batch. Returns the import row as the step left it.
 */
export async function writeStep(env: Env, db: Db, imp: ImportRow, chunk: number, ctx: StepContext): Promise<ImportRow> {
  const { tenantId, id } = imp;
  const from = chunk * CHUNK_ROWS;
  const cells = await readStep(env, imp, chunk);
  const errors: ImportRowError[] = [];
  const laterWins = imp.duplicates === "update";
  const creates = new Map<string, { row: number; lead: MappedLead }>();
  const updates = new Map<string, MappedLead>(); // existing lead id → values
  let skipped = 0;
  let updated = 0;
  const mapped = cells.map((c, i) => ctx.mapRow(from + i + 1, c));
  const rowKeys = mapped.map((r) => (r.lead ? dedupeKey(r.lead) : null));
  const keys = new Set<string>();
  for (const k of rowKeys) if (k) keys.add(k);
  const existing = await existingByKeys(db, tenantId, [...keys]);
  for (const [i, r] of mapped.entries()) {
    if (!r.lead) {
      errors.push(...r.errors);
      continue;
    }
    const key = rowKeys[i] ?? `row:${r.row}`;
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

  // The `leads` meter: this step's new leads, as far as the plan allows; the rest fail with the limit and the upgrade link.
  let toCreate = [...creates.values()];
  if (toCreate.length) {
    const step = `${chunk}-${chunk + Math.ceil(cells.length / CHUNK_ROWS) - 1}`;
    const { grant, problem } = await grantLeads(env, imp, step, toCreate.length);
    if (problem) {
      const { plan, limit, upgrade_url: url } = problem.extensions;
      for (const c of toCreate.slice(grant))
        errors.push({ row: c.row, field: null, message: `Lead limit reached: the ${plan} plan allows ${limit} leads. Upgrade: ${url}` });
      toCreate = toCreate.slice(0, grant);
    }
  }

  // Companies: the domains an earlier step of this message resolved are known; the others are looked up (and the missing
  // ones created in this batch). The known ones are checked in the batch, so a company deleted or re-domained since
  // rolls the step back instead of leaving a dangling link (runImport then forgets what it knew and retries).
  const domains = new Map<string, string | null>();
  for (const c of toCreate) if (c.lead.domain) domains.set(c.lead.domain, c.lead.companyName ?? null);
  for (const l of updates.values()) if (l.domain && !domains.has(l.domain)) domains.set(l.domain, l.companyName ?? null);
  const reused: Record<string, string> = {}; // company id → domain
  let reusedCount = 0;
  const unknown = new Map<string, string | null>();
  for (const [domain, name] of domains) {
    const known = ctx.companies.get(domain);
    if (!known) unknown.set(domain, name);
    else {
      reused[known] = domain;
      reusedCount++;
    }
  }
  const companies = await companiesForDomainsDeferred(db, tenantId, unknown);
  const companyOf = (l: MappedLead) => (l.domain ? (ctx.companies.get(l.domain) ?? companies.ids.get(l.domain) ?? null) : null);

  const now = Date.now();
  const created = toCreate.map((c) => leadRow(c.lead, newId("lead"), companyOf(c.lead), { tenantId, importId: id, at: now }));
  const failed = new Set(errors.map((e) => e.row)).size;
  const kept = keepErrors(imp.errors, errors);
  // Guard: only from the progress this step started at, and while the import runs; otherwise abs(minimum int) raises and the whole batch rolls back.
  const stmts: Stmt[] = [
    rawStmt(
      db,
      sql`update sales_imports set
        processed_rows = case when processed_rows = ${from} and status = 'running' then ${from + cells.length} else abs(-9223372036854775808) end,
        created = created + ${created.length}, updated = updated + ${updated}, skipped = skipped + ${skipped}, failed = failed + ${failed},
        errors = ${JSON.stringify(kept)}
      where tenant_id = ${tenantId} and id = ${id}`,
    ),
    ...(reusedCount ? [companiesUnchanged(db, tenantId, reused)] : []),
    ...companies.inserts,
  ];
  stmts.push(...insertLeadStatements(db, created));
  const ups = [...updates.entries()].map(([leadId, l]) => leadRow(l, leadId, companyOf(l)));
  // Updates stay at up to 250 rows a statement: SQLite matches each updated lead to its row by scanning the statement's rows.
  for (const json of jsonBatches(ups, UPDATE_ROWS_PER_STATEMENT)) stmts.push(updateLeads(db, tenantId, json, laterWins, now));
  await db.batch(stmts as [Stmt, ...Stmt[]]);
  for (const [domain, companyId] of companies.ids) ctx.companies.set(domain, companyId);
  return {
    ...imp,
    processedRows: from + cells.length,
    created: imp.created + created.length,
    updated: imp.updated + updated,
    skipped: imp.skipped + skipped,
    failed: imp.failed + failed,
    errors: kept,
  };
}
