import { z } from "@hono/zod-openapi";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { createRouter, defineRoute, jsonBody, jsonResponse } from "../../platform/router";
import { answerQuestion, toSse } from "./answer";
import { aiSettingsRoutes } from "./settings.routes";
import { callFiltersQuery, callSchema, toCallFilters } from "./safety.schemas";
import type { GatewayEvent } from "./types";
import { listCalls, usageSummary } from "./usage.service";

/** The AI module's HTTP: settings and keys (settings.routes.ts), usage, the call log and grounded answers. */
export const aiRoutes = createRouter();
aiRoutes.route("/", aiSettingsRoutes);
const TAG = ["AI"];
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

aiRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "ai:read" },
    {
      method: "get",
      path: "/ai/calls",
      tags: TAG,
      summary: "The AI call log, newest first: surface, model, tokens, cost, latency, rules fired, action; filterable",
      request: { query: pageQuerySchema.merge(callFiltersQuery) },
      responses: { 200: jsonResponse(pageSchema(callSchema), "A page of calls") },
    },
  ),
  async (c) => {
    const q = c.req.valid("query");
    return c.json(await listCalls(getDb(c.env.DB), currentTenantId(c), q, toCallFilters(q)), 200);
  },
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
