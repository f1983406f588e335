import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { SOURCE_STATUSES } from "../../../schema/knowledge";
import { actorOf } from "../../platform/audit";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { badRequest } from "../../platform/errors";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import { knowledgeStack } from "./config";
import {
  createFaqSource,
  createFileSource,
  createUrlSource,
  deleteSource,
  getSource,
  listSources,
  readFaq,
  reindexSource,
  serializeSource,
  updateSource,
  type SourcesCtx,
} from "./sources.service";
import { chunkSchema, collectionSchema, sourceSchema } from "./schemas";
import { currentTenantId } from "../../platform/auth";
import { knowledgeIndexRoutes } from "./index.routes";

export const knowledgeRoutes = createRouter();
const TAG = ["Knowledge"];
const createdBy = (c: Context<AppEnv>) => {
  const p = c.get("principal");
  return p.kind === "user" ? p.userId : p.keyId;
};
export function sourcesCtx(c: Context<AppEnv>): SourcesCtx {
  return { db: getDb(c.env.DB), d1: c.env.DB, files: c.env.FILES, queue: c.env.KNOWLEDGE, stack: knowledgeStack(c.env) };
}
const idParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" }, example: "src_01jd0000000000000000000000" }),
});

knowledgeRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "knowledge:read" },
    {
      method: "get",
      path: "/knowledge/sources",
      tags: TAG,
      summary: "Knowledge sources with their indexing status, newest first",
      request: { query: pageQuerySchema.extend({ collection: collectionSchema.optional(), status: z.enum(SOURCE_STATUSES).optional() }) },
      responses: { 200: jsonResponse(pageSchema(sourceSchema), "A page of sources") },
    },
  ),
  async (c) => c.json(await listSources(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

knowledgeRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "knowledge:manage" },
    {
      method: "post",
      path: "/knowledge/sources/files",
      tags: TAG,
      summary: "Upload a file (Markdown, text, HTML or PDF, up to 10 MB); indexing is queued",
      request: {
        body: {
          required: true,
          content: {
            "multipart/form-data": {
              schema: z.object({
                file: z.any().openapi({ type: "string", format: "binary" }),
                title: z.string().max(300).optional(),
                collection: collectionSchema.optional(),
              }),
            },
          },
        },
      },
      responses: { 201: jsonResponse(sourceSchema, "Stored; indexing queued"), 413: { description: "Too large" } },
    },
  ),
  async (c) => {
    const form = c.req.valid("form");
    const file = form.file as unknown;
    if (!(file instanceof File))
      throw badRequest("Attach the file as the `file` field of a multipart/form-data body.", {
        errors: [{ path: "file", message: "Required" }],
      });
    const src = await createFileSource(
      sourcesCtx(c),
      currentTenantId(c),
      file,
      { title: form.title, collection: form.collection ?? "default", createdBy: createdBy(c) },
      actorOf(c),
    );
    return c.json(src, 201);
  },
);

knowledgeRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "knowledge:manage" },
    {
      method: "post",
      path: "/knowledge/sources/faq",
      tags: TAG,
      summary: "Write an FAQ entry (question + answer); indexing is queued",
      request: jsonBody(
        z
          .object({
            question: z.string().trim().min(3, "Write the question").max(500),
            answer: z.string().trim().min(1, "Write the answer").max(20_000),
            collection: collectionSchema.optional(),
          })
          .openapi("CreateFaq"),
      ),
      responses: { 201: jsonResponse(sourceSchema, "Stored; indexing queued") },
    },
  ),
  async (c) => {
    const b = c.req.valid("json");
    return c.json(
      await createFaqSource(
        sourcesCtx(c),
        currentTenantId(c),
        { question: b.question, answer: b.answer, collection: b.collection ?? "default", createdBy: createdBy(c) },
        actorOf(c),
      ),
      201,
    );
  },
);

knowledgeRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "knowledge:manage" },
    {
      method: "post",
      path: "/knowledge/sources/url",
      tags: TAG,
      summary: "Import a web page by URL (fetched now; needs network access from the Worker)",
      request: jsonBody(
        z
          .object({
            url: z.url({ protocol: /^https?$/, error: "Enter an http(s) URL" }).max(2000),
            collection: collectionSchema.optional(),
          })
          .openapi("ImportUrl"),
      ),
      responses: {
        201: jsonResponse(sourceSchema, "Fetched and stored; indexing queued"),
        422: { description: "The page could not be fetched" },
      },
    },
  ),
  async (c) => {
    const b = c.req.valid("json");
    return c.json(
      await createUrlSource(
        sourcesCtx(c),
        currentTenantId(c),
        { url: b.url, collection: b.collection ?? "default", createdBy: createdBy(c) },
        actorOf(c),
      ),
      201,
    );
  },
);

knowledgeRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "knowledge:read" },
    {
      method: "get",
      path: "/knowledge/sources/{id}",
      tags: TAG,
      summary: "One source (FAQ entries include their question and answer)",
      request: { params: idParams },
      responses: {
        200: jsonResponse(sourceSchema.extend({ faq: z.object({ question: z.string(), answer: z.string() }).nullable() }), "The source"),
      },
    },
  ),
  async (c) => {
    const src = await getSource(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id);
    return c.json({ ...serializeSource(src), faq: await readFaq(c.env.FILES, src) }, 200);
  },
);

knowledgeRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "knowledge:read" },
    {
      method: "get",
      path: "/knowledge/sources/{id}/original",
      tags: TAG,
      summary: "Download the stored original",
      request: { params: idParams },
      responses: {
        200: {
          description: "The original bytes",
          content: { "application/octet-stream": { schema: z.any().openapi({ type: "string", format: "binary" }) } },
        },
      },
    },
  ),
  async (c) => {
    const src = await getSource(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id);
    const obj = src.r2Key ? await c.env.FILES.get(src.r2Key) : null;
    if (!obj) throw badRequest("The original of this source is no longer stored.");
    const safe = src.title.replace(/[^\w.\- ]+/g, "_").slice(0, 100) || "source";
    return new Response(obj.body, {
      headers: {
        "Content-Type": src.mimeType,
        "Content-Disposition": `attachment; filename="${safe}"`,
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": "sandbox",
      },
    }) as never;
  },
);

knowledgeRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "knowledge:read" },
    {
      method: "get",
      path: "/knowledge/sources/{id}/chunks",
      tags: TAG,
      summary: "The indexed chunks of a source, in order (for citations)",
      request: {
        params: idParams,
        query: z.object({
          limit: z.coerce.number().int().min(1).max(100).default(50),
          after: z.coerce.number().int().min(-1).default(-1).openapi({ description: "Last position seen" }),
        }),
      },
      responses: {
        200: jsonResponse(z.object({ data: z.array(chunkSchema), next_after: z.number().int().nullable() }), "Chunks by position"),
      },
    },
  ),
  async (c) => {
    const { id } = c.req.valid("param");
    const { limit, after } = c.req.valid("query");
    const db = getDb(c.env.DB);
    await getSource(db, currentTenantId(c), id);
    const rows = await c.env.DB.prepare(
      "SELECT id, position, heading, text, tokens FROM kb_chunks WHERE tenant_id = ?1 AND source_id = ?2 AND position > ?3 ORDER BY position LIMIT ?4",
    )
      .bind(currentTenantId(c), id, after, limit + 1)
      .all<{ id: string; position: number; heading: string; text: string; tokens: number }>();
    const page = rows.results.slice(0, limit);
    return c.json(
      {
        data: page.map((r) => ({
          id: r.id,
          source_id: id,
          position: r.position,
          heading_path: r.heading ? r.heading.split(" › ") : [],
          text: r.text,
          tokens: r.tokens,
        })),
        next_after: rows.results.length > limit ? page[page.length - 1]!.position : null,
      },
      200,
    );
  },
);

knowledgeRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "knowledge:manage" },
    {
      method: "patch",
      path: "/knowledge/sources/{id}",
      tags: TAG,
      summary: "Rename, move to another collection, or edit an FAQ entry (content changes re-index)",
      request: {
        params: idParams,
        ...jsonBody(
          z
            .object({
              title: z.string().trim().min(1).max(300).optional(),
              collection: collectionSchema.optional(),
              question: z.string().trim().min(3).max(500).optional(),
              answer: z.string().trim().min(1).max(20_000).optional(),
            })
            .refine((b) => Object.values(b).some((v) => v !== undefined), "Send at least one field")
            .openapi("UpdateSource"),
        ),
      },
      responses: { 200: jsonResponse(sourceSchema, "Updated") },
    },
  ),
  async (c) => c.json(await updateSource(sourcesCtx(c), currentTenantId(c), c.req.valid("param").id, c.req.valid("json"), actorOf(c)), 200),
);

knowledgeRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "knowledge:manage" },
    {
      method: "post",
      path: "/knowledge/sources/{id}/reindex",
      tags: TAG,
      summary: "Queue the source for indexing again",
      request: { params: idParams },
      responses: { 202: jsonResponse(sourceSchema, "Queued") },
    },
  ),
  async (c) => c.json(await reindexSource(sourcesCtx(c), currentTenantId(c), c.req.valid("param").id, actorOf(c)), 202),
);

knowledgeRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "knowledge:manage" },
    {
      method: "delete",
      path: "/knowledge/sources/{id}",
      tags: TAG,
      summary: "Delete a source: original, chunks, full-text and vector entries",
      request: { params: idParams },
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    await deleteSource(sourcesCtx(c), currentTenantId(c), c.req.valid("param").id, actorOf(c));
    return c.body(null, 204);
  },
);

// The index status, rebuild and search endpoints (index.routes.ts), on the same router.
knowledgeRoutes.route("/", knowledgeIndexRoutes);
