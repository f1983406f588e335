import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { getDb } from "../../platform/db";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { normalizeAllowedOrigin } from "../../platform/publishable-keys";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import {
  createPublishableKey,
  listPublishableKeys,
  MAX_ALLOWED_ORIGINS,
  revokePublishableKey,
  updatePublishableKey,
} from "./publishable-keys.service";
import { idParam } from "../../platform/params";
import { nameSchema } from "./schemas";
import { currentTenantId } from "../../platform/auth";

const originSchema = z
  .string()
  .max(300)
  .refine(
    (v) => normalizeAllowedOrigin(v) !== null,
    "Use an origin like https://shop.example.com or http://localhost:3000 (scheme, host and optional port; no path; only a leading *. wildcard)",
  );
const originsSchema = z
  .array(originSchema)
  .min(1, "Allow at least one origin")
  .max(MAX_ALLOWED_ORIGINS, `At most ${MAX_ALLOWED_ORIGINS} origins`)
  .transform((list) => list.map((o) => normalizeAllowedOrigin(o)!))
  .openapi({ type: "array", items: { type: "string" }, example: ["https://shop.example.com", "https://*.example.com"] });

const publishableKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    key: z.string().openapi({ description: "Public by design: embed it in your pages" }),
    allowed_origins: z.array(z.string()),
    created_by: z.string(),
    revoked_at: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("PublishableKey");
const keyIdParam = idParam("id", "pk_01jd0000000000000000000000");

export const publishableKeysRoutes = createRouter();

publishableKeysRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "publishable_keys:read" },
    {
      method: "get",
      path: "/publishable-keys",
      tags: ["Publishable keys"],
      summary: "Publishable keys of the workspace",
      request: { query: pageQuerySchema },
      responses: { 200: jsonResponse(pageSchema(publishableKeySchema), "Newest first") },
    },
  ),
  async (c) => c.json(await listPublishableKeys(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

publishableKeysRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "publishable_keys:manage" },
    {
      method: "post",
      path: "/publishable-keys",
      tags: ["Publishable keys"],
      summary: "Create a publishable key limited to the given origins",
      request: jsonBody(z.object({ name: nameSchema, allowed_origins: originsSchema }).openapi("CreatePublishableKey")),
      responses: { 201: jsonResponse(publishableKeySchema, "Created") },
    },
  ),
  async (c) => {
    const body = c.req.valid("json");
    const p = c.get("principal");
    const createdBy = p.kind === "user" ? p.userId : p.keyId;
    const key = await createPublishableKey(
      getDb(c.env.DB),
      currentTenantId(c),
      { name: body.name, allowedOrigins: body.allowed_origins, createdBy },
      actorOf(c),
    );
    return c.json(key, 201);
  },
);

publishableKeysRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "publishable_keys:manage" },
    {
      method: "patch",
      path: "/publishable-keys/{id}",
      tags: ["Publishable keys"],
      summary: "Rename a publishable key or replace its allowed origins",
      request: {
        params: keyIdParam,
        ...jsonBody(
          z
            .object({ name: nameSchema.optional(), allowed_origins: originsSchema.optional() })
            .refine((b) => b.name !== undefined || b.allowed_origins !== undefined, "Send `name` and/or `allowed_origins`")
            .openapi("UpdatePublishableKey"),
        ),
      },
      responses: { 200: jsonResponse(publishableKeySchema, "Updated") },
    },
  ),
  async (c) => {
    const body = c.req.valid("json");
    const key = await updatePublishableKey(
      getDb(c.env.DB),
      currentTenantId(c),
      c.req.valid("param").id as string,
      { name: body.name, allowedOrigins: body.allowed_origins },
      actorOf(c),
    );
    return c.json(key, 200);
  },
);

publishableKeysRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "publishable_keys:manage" },
    {
      method: "delete",
      path: "/publishable-keys/{id}",
      tags: ["Publishable keys"],
      summary: "Revoke a publishable key",
      request: { params: keyIdParam },
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    await revokePublishableKey(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, actorOf(c));
    return c.body(null, 204);
  },
);
