import { and, eq } from "drizzle-orm";
import { commercePaymentProviders, type PaymentProvider } from "../../../schema/commerce-orders";
import { auditInsert, type Actor } from "../../platform/audit";
import { decryptSecret, encryptSecret } from "../../platform/crypto";
import type { Db } from "../../platform/db";
import { getConfig, type Env } from "../../platform/env";
import { notFound, validationFailed } from "../../platform/errors";

/**
 * A workspace's own payment-provider credentials (bring your own keys): Stripe (secret key,
 * publishable key, webhook signing secret) and PayPal (client id + secret, webhook id, sandbox or
 * live). Secrets are sealed with platform/crypto's AES-GCM and ENCRYPTION_KEY, like the AI keys,
 * and never returned. The simulator needs no credentials: it exists outside production only and
 * signs with a per-workspace secret derived from JWT_SECRET.
 */

export interface StripeCreds {
  secretKey: string;
  publishableKey: string | null;
  webhookSecret: string | null;
  /** Non-production override of the API origin (stripe-mock). */
  apiBase: URL | null;
}
export interface PaypalCreds {
  clientId: string;
  clientSecret: string;
  webhookId: string | null;
  mode: "sandbox" | "live";
  apiBase: string;
}

type Row = typeof commercePaymentProviders.$inferSelect;

const PAYPAL_BASE = { sandbox: "https://api-m.sandbox.paypal.com", live: "https://api-m.paypal.com" } as const;

async function rows(db: Db, tenantId: string): Promise<Row[]> {
  return db.select().from(commercePaymentProviders).where(eq(commercePaymentProviders.tenantId, tenantId));
}

const key = (env: Env) => getConfig(env).ENCRYPTION_KEY;

export async function stripeCreds(db: Db, env: Env, tenantId: string, requireEnabled = true): Promise<StripeCreds | null> {
  const r = (await rows(db, tenantId)).find((x) => x.provider === "stripe");
  if (!r || (requireEnabled && !r.enabled)) return null;
  const base = r.settings.api_base && getConfig(env).isLocal ? new URL(r.settings.api_base) : null;
  return {
    secretKey: await decryptSecret(r.secretSealed, key(env)),
    publishableKey: r.settings.publishable_key ?? null,
    webhookSecret: r.webhookSecretSealed ? await decryptSecret(r.webhookSecretSealed, key(env)) : null,
    apiBase: base,
  };
}

export async function paypalCreds(db: Db, env: Env, tenantId: string, requireEnabled = true): Promise<PaypalCreds | null> {
  const r = (await rows(db, tenantId)).find((x) => x.provider === "paypal");
  if (!r || (requireEnabled && !r.enabled)) return null;
  const mode = r.settings.mode === "live" ? "live" : "sandbox";
  return {
    clientId: r.settings.client_id ?? "",
    clientSecret: await decryptSecret(r.secretSealed, key(env)),
    webhookId: r.settings.webhook_id || null,
    mode,
    apiBase: (r.settings.api_base && getConfig(env).isLocal ? r.settings.api_base : PAYPAL_BASE[mode]).replace(/\/$/, ""),
  };
}

/** The simulator's webhook signing secret for a workspace; null in production (no simulator there). */
export async function simulatorSecret(env: Env, tenantId: string): Promise<string | null> {
  const cfg = getConfig(env);
  if (!cfg.isLocal) return null;
  const k = await crypto.subtle.importKey("raw", new TextEncoder().encode(cfg.JWT_SECRET), { name: "HMAC", hash: "SHA-256" }, false, [
    "sign",
  ]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", k, new TextEncoder().encode(`weft-commerce-simulator:${tenantId}`)));
  return `whsec_sim_${[...mac.slice(0, 20)].map((b) => b.toString(16).padStart(2, "0")).join("")}`;
}

/** Providers a buyer can pay with right now: the configured, enabled ones, and the simulator outside production. */
export async function availableProviders(db: Db, env: Env, tenantId: string): Promise<PaymentProvider[]> {
  const out: PaymentProvider[] = [];
  for (const r of await rows(db, tenantId)) if (r.enabled) out.push(r.provider);
  out.sort();
  if (getConfig(env).isLocal) out.push("simulator");
  return out;
}

const hint = (s: string) => `${s.slice(0, s.indexOf("_", 3) + 1 || 3)}…${s.slice(-4)}`;

/** GET /payment-providers: what is configured (never a secret). */
export async function describeProviders(db: Db, env: Env, tenantId: string, origin: string) {
  const all = await rows(db, tenantId);
  const s = all.find((r) => r.provider === "stripe");
  const p = all.find((r) => r.provider === "paypal");
  return {
    stripe: {
      configured: !!s,
      enabled: s?.enabled ?? false,
      publishable_key: s?.settings.publishable_key ?? null,
      secret_hint: s?.settings.secret_hint ?? null,
      webhook_url: `${origin}/webhooks/commerce/${tenantId}/stripe`,
      webhook_configured: !!s?.webhookSecretSealed,
      last_tested_at: s?.lastTestedAt ? new Date(s.lastTestedAt).toISOString() : null,
      last_test_result: s?.lastTestResult ?? null,
    },
    paypal: {
      configured: !!p,
      enabled: p?.enabled ?? false,
      client_id: p?.settings.client_id ?? null,
      webhook_id: p?.settings.webhook_id || null,
      webhook_url: `${origin}/webhooks/commerce/${tenantId}/paypal`,
      mode: (p?.settings.mode === "live" ? "live" : "sandbox") as "sandbox" | "live",
      last_tested_at: p?.lastTestedAt ? new Date(p.lastTestedAt).toISOString() : null,
      last_test_result: p?.lastTestResult ?? null,
    },
    simulator: { available: getConfig(env).isLocal },
  };
}

export interface StripeInput {
  secret_key?: string;
  publishable_key?: string | null;
  webhook_secret?: string | null;
  enabled?: boolean;
  api_base?: string | null;
}
export interface PaypalInput {
  client_id?: string;
  client_secret?: string;
  webhook_id?: string | null;
  mode?: "sandbox" | "live";
  enabled?: boolean;
  api_base?: string | null;
}

/**
 * PUT /payment-providers/{provider}: creates or updates. A secret left out keeps the stored one
 * (the dashboard never sees it); the first save must bring it.
 */
export async function putProvider(
  db: Db,
  env: Env,
  tenantId: string,
  provider: "stripe" | "paypal",
  input: StripeInput & PaypalInput,
  actor: Actor,
): Promise<void> {
  const existing = (await rows(db, tenantId)).find((r) => r.provider === provider);
  const secret = provider === "stripe" ? input.secret_key : input.client_secret;
  if (!existing && !secret)
    throw validationFailed([{ path: provider === "stripe" ? "secret_key" : "client_secret", message: "required the first time" }]);
  if (provider === "paypal" && !existing && !input.client_id) throw validationFailed([{ path: "client_id", message: "required" }]);
  if (input.api_base && !getConfig(env).isLocal) throw validationFailed([{ path: "api_base", message: "only outside production" }]);
  const settings: Record<string, string> = { ...(existing?.settings ?? {}) };
  const set = (k: string, v: string | null | undefined) => {
    if (v === undefined) return;
    if (v === null || v === "") delete settings[k];
    else settings[k] = v;
  };
  if (provider === "stripe") {
    set("publishable_key", input.publishable_key);
    if (input.secret_key) settings.secret_hint = hint(input.secret_key);
  } else {
    set("client_id", input.client_id);
    set("webhook_id", input.webhook_id);
    set("mode", input.mode);
  }
  set("api_base", input.api_base);
  const now = Date.now();
  const sealed = secret ? await encryptSecret(secret.trim(), key(env)) : (existing?.secretSealed ?? "");
  const webhookSealed =
    provider === "stripe" && input.webhook_secret !== undefined
      ? input.webhook_secret
        ? await encryptSecret(input.webhook_secret.trim(), key(env))
        : null
      : (existing?.webhookSecretSealed ?? null);
  const values = {
    enabled: input.enabled ?? existing?.enabled ?? true,
    settings,
    secretSealed: sealed,
    webhookSecretSealed: webhookSealed,
    lastTestedAt: secret ? null : (existing?.lastTestedAt ?? null),
    lastTestResult: secret ? null : (existing?.lastTestResult ?? null),
    updatedAt: now,
  };
  await db.batch([
    db
      .insert(commercePaymentProviders)
      .values({ tenantId, provider, ...values })
      .onConflictDoUpdate({ target: [commercePaymentProviders.tenantId, commercePaymentProviders.provider], set: values }),
    auditInsert(db, actor, {
      tenantId,
      action: "commerce.payment_provider_set",
      target: { type: "commerce_payment_provider", id: provider },
      metadata: { enabled: values.enabled, secret_changed: !!secret },
    }),
  ]);
}

export async function deleteProvider(db: Db, tenantId: string, provider: "stripe" | "paypal", actor: Actor): Promise<void> {
  const where = and(eq(commercePaymentProviders.tenantId, tenantId), eq(commercePaymentProviders.provider, provider));
  const row = await db.select().from(commercePaymentProviders).where(where).get();
  if (!row) throw notFound("Payment provider");
  await db.batch([
    db.delete(commercePaymentProviders).where(where),
    auditInsert(db, actor, {
      tenantId,
      action: "commerce.payment_provider_deleted",
      target: { type: "commerce_payment_provider", id: provider },
    }),
  ]);
}

export async function recordProviderTest(db: Db, tenantId: string, provider: "stripe" | "paypal", result: string): Promise<void> {
  await db
    .update(commercePaymentProviders)
    .set({ lastTestedAt: Date.now(), lastTestResult: result.slice(0, 300) })
    .where(and(eq(commercePaymentProviders.tenantId, tenantId), eq(commercePaymentProviders.provider, provider)));
}
