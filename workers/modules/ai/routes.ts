import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { AI_PROVIDERS } from "../../../schema/ai";
import { actorOf } from "../../platform/audit";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import { answerQuestion, toSse } from "./answer";
import { breakerStates } from "./breaker";
import { deleteKey, getAiSettings, listKeys, providerStatus, putAiSettings, setKey, testConnection } from "./settings.service";
import type { GatewayEvent } from "./types";
import { listCalls, usageSummary } from "./usage.service";
import { currentTenantId } from "../../platform/auth";

export const aiRoutes = createRouter();
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

aiRoutes.openapi(
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

aiRoutes.openapi(
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

aiRoutes.openapi(
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

aiRoutes.openapi(
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

aiRoutes.openapi(
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

aiRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "ai:read" },
    {
      method: "get",
      path: "/ai/usage",
      tags: TAG,
      summary: "AI usage per day and provider: calls, errors, fallbacks, tokens, latency",
      request: { query: z.object({ days: z.coerce.number().int().min(1).max(90).default(30) }) },
      responses: {
        200: jsonResponse(
          z
            .object({
              days: z.number().int(),
              totals: z.object({
                calls: z.number(),
                errors: z.number(),
                fallbacks: z.number(),
                input_tokens: z.number(),
                output_tokens: z.number(),
              }),
              daily: z.array(
                z.object({
                  day: z.string(),
                  provider: z.string(),
                  calls: z.number(),
                  errors: z.number(),
                  fallbacks: z.number(),
                  input_tokens: z.number(),
                  output_tokens: z.number(),
                  avg_latency_ms: z.number(),
                }),
              ),
            })
            .openapi("AiUsage"),
          "Usage",
        ),
      },
    },
  ),
  async (c) => c.json(await usageSummary(c.env.DB, currentTenantId(c), c.req.valid("query").days), 200),
);

const callSchema = z
  .object({
    id: z.string(),
    operation: z.string(),
    provider: z.string(),
    model: z.string(),
    status: z.enum(["ok", "error"]),
    latency_ms: z.number().int(),
    input_tokens: z.number().int(),
    output_tokens: z.number().int(),
    fallback: z.boolean(),
    redactions: z.number().int(),
    attempts: z.array(z.object({ provider: z.string(), model: z.string(), outcome: z.string(), ms: z.number() })),
    error: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("AiCall");

aiRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "ai:read" },
    {
      method: "get",
      path: "/ai/calls",
      tags: TAG,
      summary: "The AI call log, newest first (provider, model, latency, tokens, fallbacks)",
      request: { query: pageQuerySchema },
      responses: { 200: jsonResponse(pageSchema(callSchema), "A page of calls") },
    },
  ),
  async (c) => c.json(await listCalls(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

const askBody = z
  .object({
    question: z.string().trim().min(1, "Ask a question").max(4000),
    collection: z.string().trim().max(40).optional(),
    history: z
      .array(z.object({ role: z.enum(["user", "assistant"]), content: z.string().max(4000) }))
      .max(20)
      .optional(),
    stream: z.boolean().default(true).openapi({ description: "true: text/event-stream of normalised events; false: one JSON answer" }),
  })
  .openapi("AskQuestion");

const answerSchema = z
  .object({
    answer: z.string(),
    citations: z.array(
      z.object({
        n: z.number().int(),
        chunk_id: z.string(),
        source_id: z.string(),
        source_title: z.string(),
        heading_path: z.array(z.string()),
        url: z.string().nullable(),
      }),
    ),
    provider: z.string().nullable(),
    model: z.string().nullable(),
    grounded: z.boolean(),
    local: z.boolean(),
    fallback: z.boolean(),
    usage: z.object({ input_tokens: z.number().int(), output_tokens: z.number().int() }).nullable(),
    call_id: z.string().nullable(),
    error: z.object({ code: z.string(), message: z.string() }).nullable(),
  })
  .openapi("Answer");

aiRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "knowledge:read" },
    {
      method: "post",
      path: "/ai/ask",
      tags: TAG,
      summary: "Ask the knowledge base: a grounded answer with citations, streamed (SSE) or as JSON",
      request: jsonBody(askBody),
      responses: {
        200: {
          description: "Events `token`, `citation`, `done`, `error` (SSE) or the collected answer (JSON)",
          content: { "text/event-stream": { schema: z.string() }, "application/json": { schema: answerSchema } },
        },
      },
    },
  ),
  async (c) => {
    const b = c.req.valid("json");
    const events = answerQuestion({
      env: c.env,
      tenantId: currentTenantId(c),
      question: b.question,
      history: b.history,
      collection: b.collection,
    });
    if (b.stream) {
      return new Response(toSse(events), {
        headers: { "Content-Type": "text/event-stream; charset=utf-8", "Cache-Control": "no-cache", "X-Accel-Buffering": "no" },
      }) as never;
    }
    return c.json(await collect(events), 200);
  },
);

export async function collect(events: AsyncIterable<GatewayEvent>) {
  const out: z.infer<typeof answerSchema> = {
    answer: "",
    citations: [],
    provider: null,
    model: null,
    grounded: false,
    local: false,
    fallback: false,
    usage: null,
    call_id: null,
    error: null,
  };
  for await (const ev of events) {
    if (ev.type === "token") out.answer += ev.text;
    else if (ev.type === "citation")
      out.citations.push({
        n: ev.n,
        chunk_id: ev.chunk_id,
        source_id: ev.source_id,
        source_title: ev.source_title,
        heading_path: ev.heading_path,
        url: ev.url,
      });
    else if (ev.type === "done")
      Object.assign(out, {
        provider: ev.provider,
        model: ev.model,
        grounded: ev.grounded,
        local: ev.local,
        fallback: ev.fallback,
        usage: ev.usage,
        call_id: ev.call_id,
      });
    else if (ev.type === "error") Object.assign(out, { error: { code: ev.code, message: ev.message }, call_id: ev.call_id });
  }
  return out;
}
