import { z } from "zod";
import type { OutboxMessage } from "../modules/messaging/message";

/** Bindings declared in wrangler.toml plus vars/secrets from .dev.vars or `wrangler secret`. */
export interface Env {
  DB: D1Database;
  FILES: R2Bucket;
  OUTBOX: Queue<OutboxMessage>;
  USAGE: Queue<unknown>;
  RL_IP: RateLimit;
  RL_AUTH: RateLimit;
  RL_TENANT: RateLimit;
  ASSETS?: Fetcher;
  PROVIDER_PACER?: DurableObjectNamespace<import("../modules/messaging/pacer.do").ProviderPacer>; // global provider pacing (messaging)
  ENVIRONMENT: string;
  APP_URL: string;
  JWT_SECRET?: string;
  ENCRYPTION_KEY?: string;
  // Knowledge + AI (modules/knowledge, modules/ai). All optional: without them the local defaults run.
  KNOWLEDGE?: Queue<unknown>; // indexing queue (weft-knowledge)
  SALES_IMPORTS?: Queue<unknown>; // CSV lead imports, chunk by chunk (weft-sales-imports; modules/sales)
  AI?: Ai; // Workers AI binding: bge embeddings and chat models
  VECTORIZE?: VectorizeIndex; // Vectorize index; absent → the local D1-backed index
  KNOWLEDGE_EMBEDDER?: string; // "local" | "workers-ai" | "openai" (default: workers-ai when AI is bound, else local)
  OPENAI_API_KEY?: string; // platform keys; tenants may bring their own
  ANTHROPIC_API_KEY?: string;
  HOUSE_WORKSPACE_SLUG?: string; // Weft's own workspace: its changelog is /changelog (default "weft")
}

type WeftEnv = Env;
declare global {
  namespace Cloudflare {
    interface Env extends WeftEnv {}
  }
}

const configSchema = z.object({
  ENVIRONMENT: z.enum(["development", "test", "production"]),
  APP_URL: z.url(),
  // HS256 signing key for access tokens: at least 32 bytes of entropy.
  JWT_SECRET: z.string().min(32, "JWT_SECRET must be at least 32 characters"),
  // base64 of 32 random bytes: AES-256-GCM key for secrets at rest (TOTP seeds, provider keys).
  ENCRYPTION_KEY: z.string().refine((v) => atob(v).length === 32, "ENCRYPTION_KEY must be base64 of 32 bytes"),
  // The workspace whose public changelog `/changelog` (no slug) shows: Weft's own (modules/releases).
  HOUSE_WORKSPACE_SLUG: z
    .string()
    .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, "HOUSE_WORKSPACE_SLUG must be a workspace slug")
    .default("weft"),
});
export type Config = z.infer<typeof configSchema> & { isLocal: boolean };

// Local-only fallbacks so `npm start` and tests work before .dev.vars exists; production refuses them.
export const LOCAL_DEFAULTS = {
  JWT_SECRET: "local-development-jwt-secret-not-for-production-0000",
  ENCRYPTION_KEY: "bG9jYWwtZGV2LWVuY3J5cHRpb24ta2V5LTMyYnl0ZXM=",
};

const cache = new WeakMap<object, Config>();

/** Validated configuration for this isolate; throws (500, logged) if production config is incomplete. */
export function getConfig(env: Env): Config {
  const hit = cache.get(env);
  if (hit) return hit;
  const isLocal = env.ENVIRONMENT !== "production";
  const raw = isLocal ? { ...LOCAL_DEFAULTS, ...stripEmpty(env) } : env;
  const parsed = configSchema.parse(raw);
  const config = { ...parsed, isLocal };
  cache.set(env, config);
  return config;
}

function stripEmpty(env: Env): Partial<Env> {
  return Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
}
