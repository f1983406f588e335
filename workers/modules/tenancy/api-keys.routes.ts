import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { currentUserId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { ALL_PERMISSIONS } from "../../platform/rbac";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import { callerRole } from "./context";
import { createApiKey, listApiKeys, revokeApiKey } from "./api-keys.service";
import { idParam } from "../../platform/params";
import { nameSchema } from "./schemas";
import { currentTenantId } from "../../platform/auth";

const permissionSchema = z.enum(ALL_PERMISSIONS as [string, ...string[]]);
const apiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: "The first characters of the secret, to recognise it" }),
    scopes: z.array(z.string()),
    created_by: z.string(),
    last_used_at: z.string().nullable(),
    expires_at: z.string().nullable(),
    revoked_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("ApiKey");
const createdSchema = apiKeySchema
  .extend({ secret: z.string().openapi({ description: "Shown only once: store it now" }) })
  .openapi("ApiKeyCreated");

export const apiKeysRoutes = createRouter();

apiKeysRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "api_keys:read" },
    {
      method: "get",
      path: "/api-keys",
      tags: ["API keys"],
      summary: "Secret API keys of the workspace (never their secrets)",
      request: { query: pageQuerySchema },
      responses: { 200: jsonResponse(pageSchema(apiKeySchema), "Newest first") },
    },
  ),
  async (c) => c.json(await listApiKeys(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

apiKeysRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "api_keys:manage" },
    {
      method: "post",
      path: "/api-keys",
      tags: ["API keys"],
      summary: "Create a secret API key (the secret is returned once)",
      description: "Scopes are permissions and may not exceed your role's. API keys cannot create API keys.",
      request: jsonBody(
        z
          .object({
            name: nameSchema,
            scopes: z.array(permissionSchema).min(1, "Choose at least one scope").max(ALL_PERMISSIONS.length),
            expires_in_days: z.number().int().min(1).max(3650).optional(),
          })
          .openapi("CreateApiKey"),
      ),
      responses: { 201: jsonResponse(createdSchema, "Created") },
    },
  ),
  async (c) => {
    const body = c.req.valid("json");
    const creatorId = currentUserId(c); // a person, never another key
    const key = await createApiKey(
      getDb(c.env.DB),
      currentTenantId(c),
      {
        name: body.name,
        scopes: body.scopes as (typeof ALL_PERMISSIONS)[number][],
        expiresInDays: body.expires_in_days,
        creatorId,
        creatorRole: callerRole(c),
      },
      actorOf(c),
    );
    return c.json(key, 201);
  },
);

apiKeysRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "api_keys:manage" },
    {
      method: "delete",
      path: "/api-keys/{id}",
      tags: ["API keys"],
      summary: "Revoke an API key (it stops working immediately)",
      request: { params: idParam("id", "key_01jd0000000000000000000000") },
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    await revokeApiKey(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, actorOf(c));
    return c.body(null, 204);
  },
);
