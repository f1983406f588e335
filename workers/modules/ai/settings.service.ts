import { and, eq } from "drizzle-orm";
import { AI_PROVIDERS, aiProviderKeys, aiSettings, type AiProvider } from "../../../schema/ai";
import { auditInsert, type Actor } from "../../platform/audit";
import { decryptSecret, encryptSecret } from "../../platform/crypto";
import type { Db } from "../../platform/db";
import { getConfig, type Env } from "../../platform/env";
import { badRequest, notFound } from "../../platform/errors";
import { iso } from "../../platform/request";
import { AnthropicAdapter } from "./providers/anthropic";
import { LOCAL_MODEL, LocalAdapter } from "./providers/local";
import { OpenAiAdapter } from "./providers/openai";
import { WorkersAiAdapter } from "./providers/workers-ai";
import { providerFetch } from "./transport";
import type { ProviderAdapter } from "./types";

export const DEFAULT_MODELS: Record<AiProvider, string> = {
  openai: "gpt-4o-mini",
  anthropic: "claude-3-5-haiku-latest",
  "workers-ai": "@cf/meta/llama-3.1-8b-instruct",
  local: LOCAL_MODEL,
};

export type ChainLink = { provider: AiProvider; model: string };
export interface AiSettings {
  chain: ChainLink[];
  temperature: number;
  maxOutputTokens: number;
  persona: string;
  redactPii: boolean;
  timeoutMs: number;
  updatedAt: number | null;
}

/** With nothing configured: the local answerer only (offline). */
export const DEFAULT_SETTINGS: AiSettings = {
  chain: [{ provider: "local", model: LOCAL_MODEL }],
  temperature: 0.2,
  maxOutputTokens: 600,
  persona: "",
  redactPii: true,
  timeoutMs: 20_000,
  updatedAt: null,
};

export async function getAiSettings(db: Db, tenantId: string): Promise<AiSettings> {
  const row = await db.select().from(aiSettings).where(eq(aiSettings.tenantId, tenantId)).get();
  if (!row) return DEFAULT_SETTINGS;
  return {
    chain: row.chain,
    temperature: row.temperature,
    maxOutputTokens: row.maxOutputTokens,
    persona: row.persona,
    redactPii: row.redactPii,
    timeoutMs: row.timeoutMs,
    updatedAt: row.updatedAt,
  };
}

export async function putAiSettings(db: Db, tenantId: string, s: Omit<AiSettings, "updatedAt">, actor: Actor): Promise<AiSettings> {
  const seen = new Set<string>();
  for (const l of s.chain) {
    if (seen.has(l.provider))
      throw badRequest(`${l.provider} appears twice in the provider chain; list each provider once.`, {
        errors: [{ path: "chain", message: "Duplicate provider" }],
      });
    seen.add(l.provider);
  }
  const now = Date.now();
  const values = {
    tenantId,
    chain: s.chain,
    temperature: s.temperature,
    maxOutputTokens: s.maxOutputTokens,
    persona: s.persona,
    redactPii: s.redactPii,
    timeoutMs: s.timeoutMs,
    updatedBy: actor.id,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db
      .insert(aiSettings)
      .values(values)
      .onConflictDoUpdate({ target: aiSettings.tenantId, set: { ...values, createdAt: undefined } }),
    auditInsert(db, actor, { tenantId, action: "ai.settings_updated", metadata: { chain: s.chain, redact_pii: s.redactPii } }),
  ]);
  return { ...s, updatedAt: now };
}

type KeyRow = typeof aiProviderKeys.$inferSelect;
export const serializeKey = (k: KeyRow) => ({
  provider: k.provider,
  hint: `…${k.hint}`,
  base_url: k.baseUrl,
  last_tested_at: iso(k.lastTestedAt),
  last_test_ok: k.lastTestOk,
  last_test_error: k.lastTestError,
  created_at: iso(k.createdAt)!,
  updated_at: iso(k.updatedAt)!,
});

export async function listKeys(db: Db, tenantId: string) {
  return (await db.select().from(aiProviderKeys).where(eq(aiProviderKeys.tenantId, tenantId)).all()).map(serializeKey);
}

export async function setKey(
  db: Db,
  env: Env,
  tenantId: string,
  input: { provider: "openai" | "anthropic"; apiKey: string; baseUrl?: string | null; createdBy: string },
  actor: Actor,
) {
  const cfg = getConfig(env);
  if (input.baseUrl && !cfg.isLocal && !input.baseUrl.startsWith("https://"))
    throw badRequest("The base URL must use https.", { errors: [{ path: "base_url", message: "Use https" }] });
  const now = Date.now();
  const sealed = await encryptSecret(input.apiKey.trim(), cfg.ENCRYPTION_KEY);
  const row: KeyRow = {
    tenantId,
    provider: input.provider,
    sealedKey: sealed,
    hint: input.apiKey.trim().slice(-4),
    baseUrl: input.baseUrl ?? null,
    lastTestedAt: null,
    lastTestOk: null,
    lastTestError: null,
    createdBy: input.createdBy,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db
      .insert(aiProviderKeys)
      .values(row)
      .onConflictDoUpdate({
        target: [aiProviderKeys.tenantId, aiProviderKeys.provider],
        set: {
          sealedKey: sealed,
          hint: row.hint,
          baseUrl: row.baseUrl,
          lastTestedAt: null,
          lastTestOk: null,
          lastTestError: null,
          updatedAt: now,
        },
      }),
    auditInsert(db, actor, {
      tenantId,
      action: "ai.key_set",
      target: { type: "ai_provider_key", id: input.provider },
      metadata: { hint: row.hint, base_url: row.baseUrl },
    }),
  ]);
  return serializeKey(row);
}

export async function deleteKey(db: Db, tenantId: string, provider: AiProvider, actor: Actor) {
  const where = and(eq(aiProviderKeys.tenantId, tenantId), eq(aiProviderKeys.provider, provider));
  const row = await db.select().from(aiProviderKeys).where(where).get();
  if (!row) throw notFound("Provider key");
  await db.batch([
    db.delete(aiProviderKeys).where(where),
    auditInsert(db, actor, { tenantId, action: "ai.key_deleted", target: { type: "ai_provider_key", id: provider } }),
  ]);
}

export interface AdapterDeps {
  fetch?: typeof fetch;
}

/**
 * The adapter for a provider in this tenant: its own (BYO) key first, then the platform's key
 * from env; null when neither exists (the gateway then skips it as "not configured").
 */
export async function resolveAdapter(
  db: Db,
  env: Env,
  tenantId: string,
  provider: AiProvider,
  deps: AdapterDeps = {},
): Promise<{ adapter: ProviderAdapter; byo: boolean } | null> {
  const f = deps.fetch ?? providerFetch();
  if (provider === "local") return { adapter: new LocalAdapter(), byo: false };
  if (provider === "workers-ai") return env.AI ? { adapter: new WorkersAiAdapter(env.AI as never), byo: false } : null;
  const row = await db
    .select()
    .from(aiProviderKeys)
    .where(and(eq(aiProviderKeys.tenantId, tenantId), eq(aiProviderKeys.provider, provider)))
    .get();
  const apiKey = row
    ? await decryptSecret(row.sealedKey, getConfig(env).ENCRYPTION_KEY)
    : provider === "openai"
      ? env.OPENAI_API_KEY
      : env.ANTHROPIC_API_KEY;
  if (!apiKey) return null;
  const opts = { apiKey, baseURL: row?.baseUrl ?? null, fetch: f };
  return { adapter: provider === "openai" ? new OpenAiAdapter(opts) : new AnthropicAdapter(opts), byo: !!row };
}

/** Which providers can run for this tenant right now, and how. */
export async function providerStatus(db: Db, env: Env, tenantId: string) {
  const keys = new Map(
    (await db.select().from(aiProviderKeys).where(eq(aiProviderKeys.tenantId, tenantId)).all()).map((k) => [k.provider, k]),
  );
  return AI_PROVIDERS.map((p) => ({
    provider: p,
    configured:
      p === "local" ? true : p === "workers-ai" ? !!env.AI : keys.has(p) || !!(p === "openai" ? env.OPENAI_API_KEY : env.ANTHROPIC_API_KEY),
    key_source: keys.has(p)
      ? ("workspace" as const)
      : p === "local" || p === "workers-ai"
        ? ("built-in" as const)
        : (p === "openai" ? env.OPENAI_API_KEY : env.ANTHROPIC_API_KEY)
          ? ("platform" as const)
          : null,
    local: p === "local",
    default_model: DEFAULT_MODELS[p],
  }));
}

export async function testConnection(db: Db, env: Env, tenantId: string, provider: AiProvider, deps: AdapterDeps = {}) {
  const resolved = await resolveAdapter(db, env, tenantId, provider, deps);
  if (!resolved) throw badRequest(`${provider} is not configured: add an API key first.`);
  const started = Date.now();
  let ok = true;
  let detail: string;
  try {
    detail = await resolved.adapter.test(AbortSignal.timeout(10_000));
  } catch (e) {
    ok = false;
    detail = (e as Error).message;
  }
  const now = Date.now();
  if (resolved.byo) {
    await db
      .update(aiProviderKeys)
      .set({ lastTestedAt: now, lastTestOk: ok, lastTestError: ok ? null : detail.slice(0, 500), updatedAt: now })
      .where(and(eq(aiProviderKeys.tenantId, tenantId), eq(aiProviderKeys.provider, provider)));
  }
  return { provider, ok, detail, latency_ms: now - started, key_source: resolved.byo ? "workspace" : "platform" };
}
