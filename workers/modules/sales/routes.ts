import { z } from "@hono/zod-openapi";
import { consumeQuota, releaseQuota } from "../billing";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import { companiesRoutes } from "./companies.routes";
import { exportLeadsCsv } from "./export";
import { enricherFor } from "./enrich";
import { importRoutes } from "./import.routes";
import { listLeads } from "./leads.list";
import { publishLeadCreated } from "./lead-events";
import { createLead, deleteLead, getLeadRow, updateLead } from "./leads.service";
import { serializeLead } from "./leads.shapes";
import { scoreLeadNow } from "./scoring.service";
import { leadActivityRoutes } from "./leads.activity.routes";
import { duplicateGroupSchema, leadFilterQuery, leadInput, leadListQuery, leadSchema, mergeInput } from "./leads.schemas";
import { findDuplicates, mergeLeads } from "./merge.service";
import { pipelineRoutes } from "./pipeline.routes";

/** CRM: leads, companies, custom fields, activities, stages and deals, tasks, CSV import/export (mounted at /api/v1; docs/sales.md). */
export const salesRoutes = createRouter();

const tags = ["Sales"];
const READ = { auth: "tenant", permission: "sales:read" } as const;
const WRITE = { auth: "tenant", permission: "sales:write" } as const;
const MANAGE = { auth: "tenant", permission: "sales:manage" } as const;
const leadParam = idParam("id", "lead_01jd0000000000000000000000");

const filterOf = (q: z.infer<typeof leadFilterQuery>) => ({
  q: q.q,
  status: q.status,
  tag: q.tag,
  ownerId: q.owner_id,
  companyId: q.company_id,
  source: q.source,
  minScore: q.min_score,
  maxScore: q.max_score,
  includeMerged: q.include_merged,
});

// Static paths before /sales/leads/{id}.
salesRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/leads/duplicates",
    tags,
    summary: "Groups of leads that look like one person: the same email, or the same name at the same domain",
    responses: { 200: jsonResponse(z.object({ data: z.array(duplicateGroupSchema) }), "Duplicate groups") },
  }),
  async (c) => {
    const groups = await findDuplicates(getDb(c.env.DB), currentTenantId(c));
    return c.json({ data: groups.map((g) => ({ ...g, leads: g.leads.map(serializeLead) })) }, 200);
  },
);
salesRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/sales/leads/merge",
    tags,
    summary:
      "Merge leads into a survivor: pick each field's source; activities, deals and tasks move to the survivor; the others are marked merged",
    request: jsonBody(mergeInput),
    responses: { 200: jsonResponse(leadSchema, "The survivor after the merge") },
  }),
  async (c) => c.json(serializeLead(await mergeLeads(c.env, getDb(c.env.DB), currentTenantId(c), c.req.valid("json"), actorOf(c))), 200),
);
salesRoutes.openapi(
  defineRoute(MANAGE, {
    method: "get",
    path: "/sales/leads/export",
    tags,
    summary: "Export leads as CSV (the list's filters), streamed",
    request: { query: leadFilterQuery },
    responses: { 200: { description: "CSV", content: { "text/csv": { schema: z.string() } } } },
  }),
  async (c) => {
    const stream = await exportLeadsCsv(getDb(c.env.DB), currentTenantId(c), filterOf(c.req.valid("query")));
    return c.body(stream, 200, { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="leads.csv"' });
  },
);

salesRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/leads",
    tags,
    summary:
      "Leads: search (q over name, email, company, title), filters (status, tag, owner, company, score range, source), sort (created, score, name), keyset pages",
    request: { query: leadListQuery },
    responses: { 200: jsonResponse(pageSchema(leadSchema), "A page of leads") },
  }),
  async (c) => {
    const q = c.req.valid("query");
    return c.json(
      await listLeads(getDb(c.env.DB), currentTenantId(c), { ...filterOf(q), limit: q.limit, cursor: q.cursor, sort: q.sort }),
      200,
    );
  },
);
salesRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/sales/leads",
    tags,
    summary:
      "Create a lead (email lower-cased; its business domain links or creates the company); uses one unit of the plan's `leads` limit",
    request: jsonBody(leadInput),
    responses: {
      201: jsonResponse(leadSchema, "Created"),
      402: problemDoc("The plan's lead limit is reached (with an upgrade link)"),
      409: problemDoc("A lead with this email exists"),
      422: problemDoc("The owner is not a member of the workspace"),
    },
  }),
  async (c) => {
    const tenantId = currentTenantId(c);
    const use = await consumeQuota(c, "leads", 1);
    try {
      const db = getDb(c.env.DB);
      const lead = await createLead(db, tenantId, c.req.valid("json"), actorOf(c), enricherFor(c.env));
      // Scored before it is returned, so the list and the lead page never show a fresh lead as "not scored".
      await scoreLeadNow(c.env, tenantId, lead.id);
      const scored = await getLeadRow(db, tenantId, lead.id);
      await publishLeadCreated(db, c.env, scored);
      return c.json(serializeLead(scored), 201);
    } catch (e) {
      if (!use.duplicate) await releaseQuota(c.env, tenantId, "leads", 1);
      throw e;
    }
  },
);
salesRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/leads/{id}",
    tags,
    summary: "A lead (a merged one shows merged_into)",
    request: { params: leadParam },
    responses: { 200: jsonResponse(leadSchema, "The lead") },
  }),
  async (c) => c.json(serializeLead(await getLeadRow(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string)), 200),
);
salesRoutes.openapi(
  defineRoute(WRITE, {
    method: "patch",
    path: "/sales/leads/{id}",
    tags,
    summary: "Edit a lead (a status change is recorded on its timeline)",
    request: { params: leadParam, ...jsonBody(leadInput.partial()) },
    responses: {
      200: jsonResponse(leadSchema, "Updated"),
      409: problemDoc("Another lead has this email"),
      422: problemDoc("Unknown owner"),
    },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const id = c.req.valid("param").id as string;
    await updateLead(db, tenantId, id, c.req.valid("json"), actorOf(c), enricherFor(c.env));
    await scoreLeadNow(c.env, tenantId, id); // an edit can change its traits
    return c.json(serializeLead(await getLeadRow(db, tenantId, id)), 200);
  },
);
salesRoutes.openapi(
  defineRoute(MANAGE, {
    method: "delete",
    path: "/sales/leads/{id}",
    tags,
    summary: "Delete a lead with its timeline and tasks (its deals stay, unlinked); gives its unit of the `leads` limit back",
    request: { params: leadParam },
    responses: { 204: noContent },
  }),
  async (c) => {
    await deleteLead(c.env, getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, actorOf(c));
    return c.body(null, 204);
  },
);

salesRoutes.route("/", leadActivityRoutes);
salesRoutes.route("/", companiesRoutes);
salesRoutes.route("/", pipelineRoutes);
salesRoutes.route("/", importRoutes);
