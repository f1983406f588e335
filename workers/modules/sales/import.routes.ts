import { z } from "@hono/zod-openapi";
import { currentTenantId, currentUserId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { badRequest, Problem, validationFailed } from "../../platform/errors";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { createRouter, defineRoute, jsonBody, jsonResponse } from "../../platform/router";
import { runImport } from "./import.consumer";
import { applyInput, importSchema, previewQuery, previewSchema } from "./import.schemas";
import { applyImport, getImportRow, listImports, MAX_IMPORT_BYTES, previewImport, serializeImport, uploadImport } from "./import.service";

/** CSV import of leads: upload → preview → apply → progress (mounted by routes.ts at /api/v1). */
export const importRoutes = createRouter();

const tags = ["Sales"];
const WRITE = { auth: "tenant", permission: "sales:write" } as const;
const importParam = idParam("id", "imp_01jd0000000000000000000000");
const tooLarge = () => new Problem(413, "payload-too-large", "Payload too large", "A CSV import is at most 20 MB; split the file.");

importRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/sales/imports",
    tags,
    summary:
      "Upload a CSV of leads (multipart `file` or a text/csv body, ≤ 20 MB; `,` `;` or tab): answers its headers and a suggested mapping",
    request: {
      query: z.object({ file_name: z.string().max(200).optional() }),
      body: {
        required: true,
        content: {
          "multipart/form-data": { schema: z.object({ file: z.any().optional().openapi({ type: "string", format: "binary" }) }) },
          "text/csv": { schema: z.string() },
        },
      },
    },
    responses: { 201: jsonResponse(importSchema, "Stored; map the columns, preview, then apply"), 413: { description: "Over 20 MB" } },
  }),
  async (c) => {
    if (Number(c.req.header("content-length") ?? 0) > MAX_IMPORT_BYTES + 64 * 1024) throw tooLarge();
    const type = c.req.header("content-type") ?? "";
    let text: string;
    let name = c.req.valid("query").file_name ?? "leads.csv";
    if (type.startsWith("multipart/form-data")) {
      const file = (c.req.valid("form") as { file?: unknown }).file;
      if (!(file instanceof File)) throw validationFailed([{ path: "file", message: "attach the CSV as the `file` field" }]);
      if (file.size > MAX_IMPORT_BYTES) throw tooLarge();
      name = file.name || name;
      text = await file.text();
    } else {
      text = await c.req.text();
      if (new TextEncoder().encode(text).byteLength > MAX_IMPORT_BYTES) throw tooLarge();
    }
    if (!text.trim()) throw badRequest("Send the CSV as a multipart `file` or as the body (Content-Type: text/csv).");
    return c.json(await uploadImport(c.env, getDb(c.env.DB), currentTenantId(c), name, text, currentUserId(c)), 201);
  },
);
importRoutes.openapi(
  defineRoute(WRITE, {
    method: "get",
    path: "/sales/imports",
    tags,
    summary: "Imports of the workspace, newest first",
    request: { query: pageQuerySchema },
    responses: { 200: jsonResponse(pageSchema(importSchema), "A page of imports") },
  }),
  async (c) => c.json(await listImports(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);
importRoutes.openapi(
  defineRoute(WRITE, {
    method: "get",
    path: "/sales/imports/{id}",
    tags,
    summary: "An import and its progress (processed_rows of total_rows; created, updated, skipped, failed; the first 500 row errors)",
    request: { params: importParam },
    responses: { 200: jsonResponse(importSchema, "The import") },
  }),
  async (c) => c.json(serializeImport(await getImportRow(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string)), 200),
);
importRoutes.openapi(
  defineRoute(WRITE, {
    method: "get",
    path: "/sales/imports/{id}/preview",
    tags,
    summary:
      "The first 20 rows as they would be written with a mapping: values, per-row errors, and the existing lead (or earlier row) each matches",
    request: { params: importParam, query: previewQuery },
    responses: { 200: jsonResponse(previewSchema, "The preview") },
  }),
  async (c) => {
    const raw = c.req.valid("query").mapping;
    let mapping: Record<string, string> | undefined;
    if (raw) {
      const parsed = z.record(z.string(), z.string()).safeParse(
        (() => {
          try {
            return JSON.parse(raw);
          } catch {
            return null;
          }
        })(),
      );
      if (!parsed.success) throw validationFailed([{ path: "mapping", message: "must be a JSON object of column → field" }]);
      mapping = parsed.data;
    }
    return c.json(await previewImport(c.env, getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, mapping), 200);
  },
);
importRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/sales/imports/{id}/apply",
    tags,
    summary:
      "Run the import with a mapping and a duplicate rule (skip, update, merge); it runs in the background — poll GET /sales/imports/{id}",
    request: { params: importParam, ...jsonBody(applyInput) },
    responses: { 202: jsonResponse(importSchema, "Started"), 409: { description: "Already started" } },
  }),
  async (c) => {
    const env = c.env;
    const imp = await applyImport(getDb(env.DB), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("json"), async (m) => {
      if (env.SALES_IMPORTS) await env.SALES_IMPORTS.send(m);
      // No queue bound (a bare local setup): write the chunks after the response.
      else c.executionCtx.waitUntil(runImport(env, m, Number.POSITIVE_INFINITY));
    });
    return c.json(imp, 202);
  },
);
