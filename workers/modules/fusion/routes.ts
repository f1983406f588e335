import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { requireFeature } from "../billing";
import {
  editDocument,
  getDocument,
  listDocuments,
  publishDocument,
  recordView,
  reviewDocument,
  unpublishDocument,
} from "./documents.service";
import { executeRun, getRun, listRuns, startRun } from "./runs.service";
import {
  documentListQuery,
  documentPatch,
  fusionDocumentSchema,
  fusionRunSchema,
  runInput,
  serializeDocument,
  serializeRun,
} from "./schemas";

/** Knowledge fusion (docs/sales.md): documents from calls and email threads, runs that write them. Plan feature `knowledge_fusion`. */
export const fusionRoutes = createRouter();

const tags = ["Sales knowledge"];
const READ = { auth: "tenant", permission: "sales:read" } as const;
const WRITE = { auth: "tenant", permission: "sales:write" } as const;
const MANAGE = { auth: "tenant", permission: "sales:manage" } as const;
const docParam = idParam("id", "kdoc_01jd0000000000000000000000");
const runParam = idParam("id", "frun_01jd0000000000000000000000");
const gated = { 402: problemDoc("The plan does not include knowledge fusion"), 404: problemDoc("Not found") };

async function ctx(c: Context<AppEnv>) {
  await requireFeature(c, "knowledge_fusion");
  return { db: getDb(c.env.DB), tenantId: currentTenantId(c) };
}
const who = (c: Context<AppEnv>) => {
  const p = c.get("principal");
  return p.kind === "user" ? p.userId : p.keyId;
};

fusionRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/fusion/documents",
    tags,
    summary: "Sales knowledge documents (battle cards, playbooks, objection handlers, FAQs), newest first; filters kind, status, q",
    request: { query: documentListQuery },
    responses: { 200: jsonResponse(pageSchema(fusionDocumentSchema), "A page of documents"), ...gated },
  }),
  async (c) => {
    const { db, tenantId } = await ctx(c);
    const page = await listDocuments(db, tenantId, c.req.valid("query"));
    return c.json({ data: page.data.map(serializeDocument), next_cursor: page.next_cursor }, 200);
  },
);
fusionRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/fusion/documents/{id}",
    tags,
    summary: "A document with its sources (quoted passages), confidence and basis",
    request: { params: docParam },
    responses: { 200: jsonResponse(fusionDocumentSchema, "The document"), ...gated },
  }),
  async (c) => {
    const { db, tenantId } = await ctx(c);
    return c.json(serializeDocument(await getDocument(db, tenantId, c.req.valid("param").id as string)), 200);
  },
);
fusionRoutes.openapi(
  defineRoute(READ, {
    method: "post",
    path: "/sales/fusion/documents/{id}/view",
    tags,
    summary: "Count one opening of the document in the dashboard",
    request: { params: docParam },
    responses: { 200: jsonResponse(z.object({ view_count: z.number().int() }), "The new count"), ...gated },
  }),
  async (c) => {
    const { db, tenantId } = await ctx(c);
    return c.json({ view_count: await recordView(db, tenantId, c.req.valid("param").id as string) }, 200);
  },
);
fusionRoutes.openapi(
  defineRoute(WRITE, {
    method: "patch",
    path: "/sales/fusion/documents/{id}",
    tags,
    summary: "Edit the title or Markdown body: the document is no longer marked AI-generated; the safety rules check it again",
    request: { params: docParam, ...jsonBody(documentPatch) },
    responses: { 200: jsonResponse(fusionDocumentSchema, "Edited"), 409: problemDoc("Published: unpublish first"), ...gated },
  }),
  async (c) => {
    const { db, tenantId } = await ctx(c);
    const doc = await editDocument(c.env, db, tenantId, c.req.valid("param").id as string, c.req.valid("json"), who(c));
    return c.json(serializeDocument(doc), 200);
  },
);
fusionRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/sales/fusion/documents/{id}/review",
    tags,
    summary: "Mark a draft reviewed (ready to publish)",
    request: { params: docParam },
    responses: { 200: jsonResponse(fusionDocumentSchema, "Reviewed"), ...gated },
  }),
  async (c) => {
    const { db, tenantId } = await ctx(c);
    return c.json(serializeDocument(await reviewDocument(db, tenantId, c.req.valid("param").id as string, who(c), actorOf(c))), 200);
  },
);
fusionRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/sales/fusion/documents/{id}/publish",
    tags,
    summary:
      "Publish a reviewed document into the knowledge base's `sales` collection (an FAQ entry for FAQs, Markdown for the rest), queued for indexing; republishing replaces it",
    request: { params: docParam },
    responses: {
      200: jsonResponse(fusionDocumentSchema, "Published"),
      409: problemDoc("Not reviewed, or held by the safety rules"),
      ...gated,
    },
  }),
  async (c) => {
    const { db, tenantId } = await ctx(c);
    return c.json(
      serializeDocument(await publishDocument(c.env, db, tenantId, c.req.valid("param").id as string, who(c), actorOf(c))),
      200,
    );
  },
);
fusionRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/sales/fusion/documents/{id}/unpublish",
    tags,
    summary: "Remove a published document from the knowledge base (back to reviewed)",
    request: { params: docParam },
    responses: { 200: jsonResponse(fusionDocumentSchema, "Unpublished"), 409: problemDoc("Not published"), ...gated },
  }),
  async (c) => {
    const { db, tenantId } = await ctx(c);
    return c.json(serializeDocument(await unpublishDocument(c.env, db, tenantId, c.req.valid("param").id as string, actorOf(c))), 200);
  },
);
fusionRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/sales/fusion/runs",
    tags,
    summary:
      "Generate documents from calls and email threads new since the last run (or the chosen ones) in the background — poll GET /sales/fusion/runs/{id}. A run already going is returned instead of a second one",
    request: jsonBody(runInput),
    responses: { 202: jsonResponse(fusionRunSchema, "Started (or the run already going)"), ...gated },
  }),
  async (c) => {
    const { db, tenantId } = await ctx(c);
    const { run, started } = await startRun(db, tenantId, c.req.valid("json"), who(c));
    if (started) c.executionCtx.waitUntil(executeRun(c.env, getDb(c.env.DB), tenantId, run.id));
    return c.json(serializeRun(run), 202);
  },
);
fusionRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/fusion/runs",
    tags,
    summary: "Fusion runs, newest first",
    request: { query: pageQuerySchema },
    responses: { 200: jsonResponse(pageSchema(fusionRunSchema), "A page of runs"), ...gated },
  }),
  async (c) => {
    const { db, tenantId } = await ctx(c);
    const page = await listRuns(db, tenantId, c.req.valid("query"));
    return c.json({ data: page.data.map(serializeRun), next_cursor: page.next_cursor }, 200);
  },
);
fusionRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/fusion/runs/{id}",
    tags,
    summary: "A run's progress and what it wrote (created, updated, unchanged, kept)",
    request: { params: runParam },
    responses: { 200: jsonResponse(fusionRunSchema, "The run"), ...gated },
  }),
  async (c) => {
    const { db, tenantId } = await ctx(c);
    return c.json(serializeRun(await getRun(db, tenantId, c.req.valid("param").id as string)), 200);
  },
);
