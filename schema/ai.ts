import { index, integer, primaryKey, real, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, id, tenantId, timestamp, updatedAt } from "./columns";

export const AI_PROVIDERS = ["openai", "anthropic", "workers-ai", "local"] as const;
export type AiProvider = (typeof AI_PROVIDERS)[number];

/** Per-tenant gateway configuration: the provider chain (primary → tertiary), sampling and persona. */
export const aiSettings = sqliteTable("ai_settings", {
  tenantId: text("tenant_id").primaryKey(),
  chain: text("chain", { mode: "json" }).$type<{ provider: AiProvider; model: string }[]>().notNull(),
  temperature: real("temperature").notNull().default(0.2),
  maxOutputTokens: integer("max_output_tokens").notNull().default(600),
  persona: text("persona").notNull().default(""),
  redactPii: integer("redact_pii", { mode: "boolean" }).notNull().default(true),
  timeoutMs: integer("timeout_ms").notNull().default(20_000),
  updatedBy: text("updated_by"),
  createdAt: createdAt(),
  updatedAt: updatedAt(),
});

/** Bring-your-own provider keys, AES-GCM sealed with ENCRYPTION_KEY; never returned by the API. */
export const aiProviderKeys = sqliteTable(
  "ai_provider_keys",
  {
    tenantId: tenantId(),
    provider: text("provider", { enum: AI_PROVIDERS }).notNull(),
    sealedKey: text("sealed_key").notNull(),
    hint: text("hint").notNull(), // last 4 characters, for recognition
    baseUrl: text("base_url"), // OpenAI-/Anthropic-compatible endpoint override (proxies, Azure-style gateways)
    lastTestedAt: timestamp("last_tested_at"),
    lastTestOk: integer("last_test_ok", { mode: "boolean" }),
    lastTestError: text("last_test_error"),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.provider] })],
);

/** Circuit breaker state per tenant and provider (shared by every isolate through D1). */
export const aiBreakers = sqliteTable(
  "ai_breakers",
  {
    tenantId: tenantId(),
    provider: text("provider", { enum: AI_PROVIDERS }).notNull(),
    failures: integer("failures").notNull().default(0),
    openUntil: timestamp("open_until"),
    lastError: text("last_error"),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.provider] })],
);

/** One row per gateway call: what was asked of whom, how long it took, tokens, fallbacks. */
export const aiCalls = sqliteTable(
  "ai_calls",
  {
    tenantId: tenantId(),
    id: id(),
    operation: text("operation").notNull(), // "answer" | "complete" | "stream" | "test"
    provider: text("provider").notNull(), // the provider that answered (or the last one tried)
    model: text("model").notNull(),
    status: text("status", { enum: ["ok", "error"] }).notNull(),
    latencyMs: integer("latency_ms").notNull(),
    inputTokens: integer("input_tokens").notNull().default(0),
    outputTokens: integer("output_tokens").notNull().default(0),
    attempts: text("attempts", { mode: "json" }).$type<{ provider: string; model: string; outcome: string; ms: number }[]>().notNull(),
    fallback: integer("fallback", { mode: "boolean" }).notNull().default(false),
    redactions: integer("redactions").notNull().default(0),
    error: text("error"),
    // The AI safety console (issue 17): which product surface called, what it cost, and which
    // guardrail rules fired on the output and what was done (allowed / disclaimer added / held / blocked).
    surface: text("surface").notNull().default("other"), // "chat" | "writer" | "assistant" | "forum" | "voice" | "fusion" | "eval" | "other"
    costMicros: integer("cost_micros").notNull().default(0), // USD millionths, from the model's price list
    rulesFired: text("rules_fired", { mode: "json" }).$type<string[]>().notNull().default([]),
    action: text("action", { enum: ["allowed", "modified", "held", "blocked"] })
      .notNull()
      .default("allowed"),
    // PII redacted from this call's text by kind ({ email: 2, phone: 1 }), for the console's statistics.
    redactionKinds: text("redaction_kinds", { mode: "json" }).$type<Record<string, number>>().notNull().default({}),
    createdAt: createdAt(),
  },
  (t) => [
    index("ai_calls_tenant_created_idx").on(t.tenantId, t.createdAt),
    index("ai_calls_surface_idx").on(t.tenantId, t.surface, t.createdAt),
  ],
);
