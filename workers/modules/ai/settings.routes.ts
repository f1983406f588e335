/** AI settings HTTP: the workspace's provider chain and options, sealed provider keys, "Test connection". */
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { AI_PROVIDERS } from "../../../schema/ai";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import { breakerStates } from "./breaker";
import { deleteKey, getAiSettings, listKeys, providerStatus, putAiSettings, setKey, testConnection } from "./settings.service";

export const aiSettingsRoutes = createRouter();
const TAG = ["AI"];
const providerEnum = z.enum(AI_PROVIDERS);
const providerParam = z.object({ provider: providerEnum.openapi({ param: { name: "provider", in: "path" }, example: "openai" }) });
const keyProviderParam = z.object({
  provider: z.enum(["openai", "anthropic"]).openapi({ param: { name: "provider", in: "path" }, example: "openai" }),
});

const settingsBody = z
  .object({
    chain: z
      .array(z.object({ provider: providerEnum, model: z.string().trim().min(1).max(100) }))
      .min(1, "Choose at least one provider")
      .max(3, "At most three providers: primary, secondary, tertiary"),
    temperature: z.number().min(0).max(2),
    max_output_tokens: z.number().int().min(16).max(4096),
    persona: z.string().max(4000),
    redact_pii: z.boolean(),
    timeout_ms: z.number().int().min(1000).max(60_000),
  })
  .openapi("AiSettingsInput");

const keySchema = z
  .object({
    provider: z.string(),
    hint: z.string(),
    base_url: z.string().nullable(),
    last_tested_at: z.string().nullable(),
    last_test_ok: z.boolean().nullable(),
    last_test_error: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("AiProviderKey");

const settingsSchema = settingsBody
  .extend({
    updated_at: z.string().nullable(),
    providers: z.array(
      z.object({
        provider: z.string(),
        configured: z.boolean(),
        key_source: z.string().nullable(),
        local: z.boolean(),
        default_model: z.string(),
      }),
    ),
    keys: z.array(keySchema),
    breakers: z.array(
      z.object({ provider: z.string(), failures: z.number().int(), open_until: z.string().nullable(), last_error: z.string().nullable() }),
    ),
  })
  .openapi("AiSettings");

async function settingsView(c: Context<AppEnv>) {
  const db = getDb(c.env.DB);
  const t = currentTenantId(c);
  const s = await getAiSettings(db, t);
  return {
    chain: s.chain,
    temperature: s.temperature,
    max_output_tokens: s.maxOutputTokens,
    persona: s.persona,
    redact_pii: s.redactPii,
    timeout_ms: s.timeoutMs,
    updated_at: s.updatedAt ? new Date(s.updatedAt).toISOString() : null,
    providers: await providerStatus(db, c.env, t),
    keys: await listKeys(db, t),
    breakers: (await breakerStates(db, t)).map((b) => ({
      provider: b.provider,
      failures: b.failures,
      open_until: b.openUntil && b.openUntil > Date.now() ? new Date(b.openUntil).toISOString() : null,
      last_error: b.lastError,
    })),
  };
}

aiSettingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "ai:read" },
    {
      method: "get",
      path: "/ai/settings",
      tags: TAG,
      summary: "Provider chain, persona, redaction, keys (hints only) and circuit state",
      responses: { 200: jsonResponse(settingsSchema, "Settings") },
    },
  ),
  async (c) => c.json(await settingsView(c), 200),
);

aiSettingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "ai:manage" },
    {
      method: "put",
      path: "/ai/settings",
      tags: TAG,
      summary: "Replace the provider chain (primary → tertiary), sampling, persona and redaction",
      request: jsonBody(settingsBody),
      responses: { 200: jsonResponse(settingsSchema, "Saved") },
    },
  ),
  async (c) => {
    const b = c.req.valid("json");
    await putAiSettings(
      getDb(c.env.DB),
      currentTenantId(c),
      {
        chain: b.chain,
        temperature: b.temperature,
        maxOutputTokens: b.max_output_tokens,
        persona: b.persona,
        redactPii: b.redact_pii,
        timeoutMs: b.timeout_ms,
      },
      actorOf(c),
    );
    return c.json(await settingsView(c), 200);
  },
);

aiSettingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "ai:manage" },
    {
      method: "put",
      path: "/ai/keys/{provider}",
      tags: TAG,
      summary: "Store the workspace's own provider API key (encrypted; never returned)",
      request: {
        params: keyProviderParam,
        ...jsonBody(
          z
            .object({
              api_key: z.string().trim().min(8, "Paste the whole API key").max(400),
              base_url: z
                .url({ protocol: /^https?$/ })
                .max(500)
                .nullable()
                .optional(),
            })
            .openapi("SetAiKey"),
        ),
      },
      responses: { 200: jsonResponse(keySchema, "Stored") },
    },
  ),
  async (c) => {
    const { provider } = c.req.valid("param");
    const b = c.req.valid("json");
    const p = c.get("principal");
    return c.json(
      await setKey(
        getDb(c.env.DB),
        c.env,
        currentTenantId(c),
        { provider, apiKey: b.api_key, baseUrl: b.base_url ?? null, createdBy: p.kind === "user" ? p.userId : p.keyId },
        actorOf(c),
      ),
      200,
    );
  },
);

aiSettingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "ai:manage" },
    {
      method: "delete",
      path: "/ai/keys/{provider}",
      tags: TAG,
      summary: "Remove the workspace's key for a provider",
      request: { params: keyProviderParam },
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    await deleteKey(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").provider, actorOf(c));
    return c.body(null, 204);
  },
);

aiSettingsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "ai:manage" },
    {
      method: "post",
      path: "/ai/providers/{provider}/test",
      tags: TAG,
      summary: "Test connection: one cheap authenticated call to the provider",
      request: { params: providerParam },
      responses: {
        200: jsonResponse(
          z
            .object({ provider: z.string(), ok: z.boolean(), detail: z.string(), latency_ms: z.number().int(), key_source: z.string() })
            .openapi("AiConnectionTest"),
          "Result (ok or the provider's error)",
        ),
      },
    },
  ),
  async (c) => c.json(await testConnection(getDb(c.env.DB), c.env, currentTenantId(c), c.req.valid("param").provider), 200),
);
