import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import {
  companyLeadCount,
  createCompany,
  deleteCompany,
  getCompanyRow,
  listCompanies,
  serializeCompany,
  updateCompany,
} from "./companies.service";
import { enricherFor } from "./enrich";
import { createFieldDef, deleteFieldDef, listFieldDefs, serializeFieldDef, updateFieldDef } from "./fields.service";
import {
  companyDetailSchema,
  companyInput,
  companyListQuery,
  companySchema,
  fieldDefInput,
  fieldDefPatch,
  fieldDefSchema,
} from "./leads.schemas";

/** Companies and custom field definitions (mounted by routes.ts at /api/v1). */
export const companiesRoutes = createRouter();

const tags = ["Sales"];
const READ = { auth: "tenant", permission: "sales:read" } as const;
const WRITE = { auth: "tenant", permission: "sales:write" } as const;
const MANAGE = { auth: "tenant", permission: "sales:manage" } as const;
const companyParam = idParam("id", "co_01jd0000000000000000000000");
const fieldParam = idParam("id", "sfd_01jd0000000000000000000000");
const pid = (c: { req: { valid(t: "param"): { id?: string } } }) => c.req.valid("param").id as string;

companiesRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/companies",
    tags,
    summary: "Companies, newest first; search name and domain; filter by owner, tag, industry",
    request: { query: companyListQuery },
    responses: { 200: jsonResponse(pageSchema(companySchema), "A page of companies") },
  }),
  async (c) => c.json(await listCompanies(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);
companiesRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/sales/companies",
    tags,
    summary: "Create a company (with a domain: enriched by the configured adapter — local-domain unless CLEARBIT_API_KEY is set)",
    request: jsonBody(companyInput),
    responses: { 201: jsonResponse(companySchema, "Created"), 409: problemDoc("A company with this domain exists") },
  }),
  async (c) =>
    c.json(
      serializeCompany(await createCompany(getDb(c.env.DB), currentTenantId(c), c.req.valid("json"), actorOf(c), enricherFor(c.env))),
      201,
    ),
);
companiesRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/companies/{id}",
    tags,
    summary: "A company with its number of leads",
    request: { params: companyParam },
    responses: { 200: jsonResponse(companyDetailSchema, "The company") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const row = await getCompanyRow(db, tenantId, pid(c));
    return c.json({ ...serializeCompany(row), lead_count: await companyLeadCount(db, tenantId, row.id) }, 200);
  },
);
companiesRoutes.openapi(
  defineRoute(WRITE, {
    method: "patch",
    path: "/sales/companies/{id}",
    tags,
    summary: "Edit a company",
    request: { params: companyParam, ...jsonBody(companyInput) },
    responses: { 200: jsonResponse(companySchema, "Updated") },
  }),
  async (c) =>
    c.json(serializeCompany(await updateCompany(getDb(c.env.DB), currentTenantId(c), pid(c), c.req.valid("json"), actorOf(c))), 200),
);
companiesRoutes.openapi(
  defineRoute(MANAGE, {
    method: "delete",
    path: "/sales/companies/{id}",
    tags,
    summary: "Delete a company (its leads and deals stay, unlinked)",
    request: { params: companyParam },
    responses: { 204: noContent },
  }),
  async (c) => {
    await deleteCompany(getDb(c.env.DB), currentTenantId(c), pid(c), actorOf(c));
    return c.body(null, 204);
  },
);

companiesRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/sales/fields",
    tags,
    summary: "Custom fields of leads and companies",
    request: { query: z.object({ entity: z.enum(["lead", "company"]).optional() }) },
    responses: { 200: jsonResponse(z.object({ data: z.array(fieldDefSchema) }), "The fields") },
  }),
  async (c) =>
    c.json({ data: (await listFieldDefs(getDb(c.env.DB), currentTenantId(c), c.req.valid("query").entity)).map(serializeFieldDef) }, 200),
);
companiesRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/sales/fields",
    tags,
    summary: "Define a custom field (its values are validated against its type)",
    request: jsonBody(fieldDefInput),
    responses: { 201: jsonResponse(fieldDefSchema, "Created"), 409: problemDoc("The key exists") },
  }),
  async (c) => c.json(serializeFieldDef(await createFieldDef(getDb(c.env.DB), currentTenantId(c), c.req.valid("json"), actorOf(c))), 201),
);
companiesRoutes.openapi(
  defineRoute(MANAGE, {
    method: "patch",
    path: "/sales/fields/{id}",
    tags,
    summary: "Rename or reorder a custom field (its key and type stay)",
    request: { params: fieldParam, ...jsonBody(fieldDefPatch) },
    responses: { 200: jsonResponse(fieldDefSchema, "Updated") },
  }),
  async (c) => c.json(serializeFieldDef(await updateFieldDef(getDb(c.env.DB), currentTenantId(c), pid(c), c.req.valid("json"))), 200),
);
companiesRoutes.openapi(
  defineRoute(MANAGE, {
    method: "delete",
    path: "/sales/fields/{id}",
    tags,
    summary: "Delete a custom field definition (stored values stay until edited)",
    request: { params: fieldParam },
    responses: { 204: noContent },
  }),
  async (c) => {
    await deleteFieldDef(getDb(c.env.DB), currentTenantId(c), pid(c), actorOf(c));
    return c.body(null, 204);
  },
);
