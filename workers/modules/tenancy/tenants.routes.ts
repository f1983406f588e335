import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { currentUserId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { createRouter, defineRoute, jsonBody, jsonResponse } from "../../platform/router";
import { nameSchema, slugSchema, workspaceSchema } from "./schemas";
import { getTenant } from "../../platform/directory";
import { createTenantWithOwner, listMyTenants, serializeTenant, updateTenant } from "./tenants.service";
import { currentTenantId } from "../../platform/auth";
import { problemDoc } from "../../platform/router";

const myWorkspaceSchema = workspaceSchema.extend({ joined_at: z.string() }).openapi("MyWorkspace");

export const tenantsRoutes = createRouter();

tenantsRoutes.openapi(
  defineRoute(
    { auth: "user" },
    {
      method: "get",
      path: "/tenants",
      tags: ["Workspaces"],
      summary: "Workspaces I belong to, with my role in each",
      request: { query: pageQuerySchema },
      responses: { 200: jsonResponse(pageSchema(myWorkspaceSchema), "Newest membership first") },
    },
  ),
  async (c) => c.json(await listMyTenants(getDb(c.env.DB), currentUserId(c), c.req.valid("query")), 200),
);

tenantsRoutes.openapi(
  defineRoute(
    { auth: "user" },
    {
      method: "post",
      path: "/tenants",
      tags: ["Workspaces"],
      summary: "Create another workspace (you become its owner)",
      request: jsonBody(z.object({ name: nameSchema, slug: slugSchema.optional() }).openapi("CreateWorkspace")),
      responses: { 201: jsonResponse(workspaceSchema, "Created"), 409: problemDoc("The requested slug is taken") },
    },
  ),
  async (c) => {
    const body = c.req.valid("json");
    const tenant = await createTenantWithOwner(
      getDb(c.env.DB),
      { name: body.name, slug: body.slug, strictSlug: true, ownerUserId: currentUserId(c) },
      actorOf(c),
    );
    return c.json(serializeTenant(tenant, "owner"), 201);
  },
);

tenantsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "tenant:read" },
    {
      method: "get",
      path: "/tenant",
      tags: ["Workspaces"],
      summary: "The current workspace",
      responses: { 200: jsonResponse(workspaceSchema, "The workspace named by X-Tenant-ID") },
    },
  ),
  async (c) => c.json(serializeTenant(await getTenant(getDb(c.env.DB), currentTenantId(c)), c.get("tenant").role), 200),
);

tenantsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "tenant:update" },
    {
      method: "patch",
      path: "/tenant",
      tags: ["Workspaces"],
      summary: "Rename the workspace or change its slug",
      request: jsonBody(
        z
          .object({ name: nameSchema.optional(), slug: slugSchema.optional() })
          .refine((b) => b.name !== undefined || b.slug !== undefined, "Send `name` and/or `slug`")
          .openapi("UpdateWorkspace"),
      ),
      responses: { 200: jsonResponse(workspaceSchema, "Updated"), 409: problemDoc("The slug is taken") },
    },
  ),
  async (c) => {
    const tenant = await updateTenant(getDb(c.env.DB), currentTenantId(c), c.req.valid("json"), actorOf(c));
    return c.json(serializeTenant(tenant, c.get("tenant").role), 200);
  },
);
