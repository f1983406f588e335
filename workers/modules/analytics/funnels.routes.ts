/** Saved funnels and the built-in templates. */
import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import { createFunnel, deleteFunnel, FUNNEL_TEMPLATES, getFunnel, listFunnels, serializeFunnel, updateFunnel } from "./funnels.service";
import { funnelDefinitionSchema } from "./query/funnels";

export const analyticsFunnelRoutes = createRouter();
const TAG = ["Analytics"];
const idParams = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});
const savedFunnelSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    definition: funnelDefinitionSchema,
    created_by: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("SavedFunnel");
const nameSchema = z.string().trim().min(1).max(120);

analyticsFunnelRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "analytics:read" },
    {
      method: "get",
      path: "/analytics/funnel-templates",
      tags: TAG,
      summary: "Built-in funnel templates (sign-up, purchase, onboarding, engagement)",
      responses: {
        200: jsonResponse(
          z.object({
            data: z.array(z.object({ id: z.string(), name: z.string(), description: z.string(), definition: funnelDefinitionSchema })),
          }),
          "Templates",
        ),
      },
    },
  ),
  (c) => c.json({ data: FUNNEL_TEMPLATES }, 200),
);

analyticsFunnelRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "analytics:read" },
    {
      method: "get",
      path: "/analytics/funnels",
      tags: TAG,
      summary: "Saved funnels, newest first",
      request: { query: pageQuerySchema.extend({ q: z.string().max(100).optional() }) },
      responses: { 200: jsonResponse(pageSchema(savedFunnelSchema), "A page of saved funnels") },
    },
  ),
  async (c) => c.json(await listFunnels(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

analyticsFunnelRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "analytics:edit" },
    {
      method: "post",
      path: "/analytics/funnels",
      tags: TAG,
      summary: "Save a funnel",
      request: { ...jsonBody(z.object({ name: nameSchema, definition: funnelDefinitionSchema })) },
      responses: { 201: jsonResponse(savedFunnelSchema, "Saved") },
    },
  ),
  async (c) => {
    const row = await createFunnel(getDb(c.env.DB), currentTenantId(c), actorOf(c), c.req.valid("json"));
    return c.json(serializeFunnel(row), 201);
  },
);

analyticsFunnelRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "analytics:read" },
    {
      method: "get",
      path: "/analytics/funnels/{id}",
      tags: TAG,
      summary: "A saved funnel",
      request: { params: idParams },
      responses: { 200: jsonResponse(savedFunnelSchema, "The funnel") },
    },
  ),
  async (c) => c.json(serializeFunnel(await getFunnel(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id)), 200),
);

analyticsFunnelRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "analytics:edit" },
    {
      method: "patch",
      path: "/analytics/funnels/{id}",
      tags: TAG,
      summary: "Rename a saved funnel or change its definition",
      request: { params: idParams, ...jsonBody(z.object({ name: nameSchema.optional(), definition: funnelDefinitionSchema.optional() })) },
      responses: { 200: jsonResponse(savedFunnelSchema, "Updated") },
    },
  ),
  async (c) => {
    const row = await updateFunnel(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id, c.req.valid("json"));
    return c.json(serializeFunnel(row), 200);
  },
);

analyticsFunnelRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "analytics:edit" },
    {
      method: "delete",
      path: "/analytics/funnels/{id}",
      tags: TAG,
      summary: "Delete a saved funnel (audited)",
      request: { params: idParams },
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    await deleteFunnel(getDb(c.env.DB), currentTenantId(c), actorOf(c), c.req.valid("param").id);
    return c.body(null, 204);
  },
);
