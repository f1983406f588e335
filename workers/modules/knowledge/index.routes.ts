import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { createRouter, defineRoute, jsonBody, jsonResponse } from "../../platform/router";
import { knowledgeStack } from "./config";
import { getIndexRecord, matches, rebuild } from "./index.service";
import { retrieve } from "./retrieve";
import { listCollections } from "./sources.service";
import { collectionSchema, searchResultSchema, serializeRetrieved } from "./schemas";
import { currentTenantId } from "../../platform/auth";

/** The knowledge index: its status (backend, embedder, collections), a rebuild, and search. Mounted by routes.ts. */
export const knowledgeIndexRoutes = createRouter();
const TAG = ["Knowledge"];

const indexSchema = z
  .object({
    backend: z.string(),
    backend_label: z.string(),
    embedder: z.string(),
    embedder_label: z.string(),
    dimensions: z.number().int(),
    local: z.boolean().openapi({ description: "True when the local embedded defaults run (no hosted embedder / Vectorize configured)" }),
    recorded: z.object({ backend: z.string(), model: z.string(), dimensions: z.number().int(), generation: z.number().int() }).nullable(),
    rebuild_required: z.boolean(),
    rebuilding: z.boolean(),
    collections: z.array(z.object({ name: z.string(), sources: z.number().int(), chunks: z.number().int() })),
  })
  .openapi("KnowledgeIndex");

async function indexStatus(c: Context<AppEnv>) {
  const stack = knowledgeStack(c.env);
  const db = getDb(c.env.DB);
  const rec = await getIndexRecord(db, currentTenantId(c));
  return {
    backend: stack.index.backend,
    backend_label: stack.index.label,
    embedder: stack.embedder.id,
    embedder_label: stack.embedder.label,
    dimensions: stack.embedder.dimensions,
    local: stack.embedder.local || stack.index.backend === "local-d1",
    recorded: rec ? { backend: rec.backend, model: rec.model, dimensions: rec.dimensions, generation: rec.generation } : null,
    rebuild_required: !!rec && !matches(rec, stack),
    rebuilding: !!rec?.rebuildingSince,
    collections: await listCollections(db, currentTenantId(c)),
  };
}

knowledgeIndexRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "knowledge:read" },
    {
      method: "get",
      path: "/knowledge/index",
      tags: TAG,
      summary: "The workspace's index: configured embedder/backend vs. what its vectors were built with",
      responses: { 200: jsonResponse(indexSchema, "Index status") },
    },
  ),
  async (c) => c.json(await indexStatus(c), 200),
);

knowledgeIndexRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "knowledge:manage" },
    {
      method: "post",
      path: "/knowledge/index/rebuild",
      tags: TAG,
      summary: "Drop all vectors and re-index every source with the configured embedder",
      responses: { 202: jsonResponse(indexSchema, "Rebuild queued") },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    await rebuild(
      { db, d1: c.env.DB, queue: c.env.KNOWLEDGE },
      currentTenantId(c),
      knowledgeStack(c.env),
      await getIndexRecord(db, currentTenantId(c)),
    );
    return c.json(await indexStatus(c), 202);
  },
);

knowledgeIndexRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "knowledge:read" },
    {
      method: "post",
      path: "/knowledge/search",
      tags: TAG,
      summary: "Search playground: hybrid (or full-text / vector only) retrieval with per-leg scores",
      request: jsonBody(
        z
          .object({
            query: z.string().trim().min(1, "Type something to search for").max(2000),
            collection: collectionSchema.optional(),
            mode: z.enum(["hybrid", "fts", "vector"]).default("hybrid"),
            limit: z.number().int().min(1).max(50).default(10),
          })
          .openapi("KnowledgeSearch"),
      ),
      responses: { 200: jsonResponse(searchResultSchema, "Ranked chunks") },
    },
  ),
  async (c) => {
    const b = c.req.valid("json");
    const r = await retrieve({
      env: c.env,
      tenantId: currentTenantId(c),
      query: b.query,
      collection: b.collection,
      mode: b.mode,
      limit: b.limit,
    });
    return c.json(serializeRetrieved(r), 200);
  },
);
