/**
 * Local-only helper for `npm run bench -- sales` (mounted at /dev/sales-bench; 404 unless
 * ENVIRONMENT is local): `POST /baseline` writes an uploaded import's rows as plain batched inserts
 * — the same rows (every column of the bench's file), the same insert statements
 * (insertLeadStatements: positional JSON rows, as many per statement as fit its size bound) and the
 * same steps (STEP_CHUNKS stored chunks, read in parallel, one batch) as the import, but no mapping
 * checks, de-duplication, companies, meter or activities — the floor the import is measured against.
 */
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { getConfig } from "../../platform/env";
import { badRequest, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { CHUNK_ROWS, getImportRow, readChunk, STEP_CHUNKS } from "./import.service";
import { insertLeadStatements, leadRowFrom } from "./import.statements";
import type { Stmt } from "./types";

export const salesBenchRoutes = new Hono<AppEnv>();
salesBenchRoutes.use("*", async (c, next) => {
  if (!getConfig(c.env).isLocal) throw notFound("Page");
  await next();
});

salesBenchRoutes.post("/baseline", async (c) => {
  const body = z.object({ tenant_id: z.string(), import_id: z.string() }).safeParse(await c.req.json().catch(() => null));
  if (!body.success) throw badRequest("tenant_id and import_id are required.");
  const db = getDb(c.env.DB);
  const { tenant_id: tenantId, import_id: id } = body.data;
  const imp = await getImportRow(db, tenantId, id);
  const col = (name: string) => imp.headers.indexOf(name);
  const [email, first_, last, title, company, city, industry, employees] = [
    "email",
    "first_name",
    "last_name",
    "title",
    "company",
    "city",
    "industry",
    "employees",
  ].map(col);
  const started = Date.now();
  let rows = 0;
  const chunks = Math.ceil(imp.totalRows / CHUNK_ROWS);
  for (let first = 0; first < chunks; first += STEP_CHUNKS) {
    const parts = await Promise.all(
      Array.from({ length: Math.min(STEP_CHUNKS, chunks - first) }, (_, i) => readChunk(c.env, tenantId, id, first + i)),
    );
    const now = Date.now();
    const values = parts.flatMap((cells, p) =>
      cells.map((r, i) =>
        leadRowFrom({
          tenant_id: tenantId,
          id: newId("lead"),
          // The file's repeated emails would collide on the unique email index, and the baseline keeps every row: a suffix
          // (chunk.row) makes each unique while the row keeps the email's place in that index, as the import's rows do.
          email: `${(r[email ?? -1] ?? "").toLowerCase()}#${first + p}.${i}`,
          first_name: r[first_ ?? -1] ?? null,
          last_name: r[last ?? -1] ?? null,
          title: r[title ?? -1] ?? null,
          company_name: r[company ?? -1] ?? null,
          city: r[city ?? -1] ?? null,
          industry: r[industry ?? -1] ?? null,
          employees: r[employees ?? -1] ? Number(r[employees ?? -1]) : null,
          tags: "[]",
          custom_fields: "{}",
          at: now,
        }),
      ),
    );
    await db.batch(insertLeadStatements(db, values) as [Stmt, ...Stmt[]]);
    rows += values.length;
  }
  return c.json({ rows, ms: Date.now() - started });
});
