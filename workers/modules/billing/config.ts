import { z } from "zod";
import { getConfig, type Env } from "../../platform/env";
import { PAYPAL_PINNED_ROOTS_PEM } from "./paypal/roots";

/** Billing's variables (wrangler `[vars]` / secrets). All optional: without keys the local simulator is used. */
export interface BillingVars {
  STRIPE_SECRET_KEY?: string;
  /** Comma-separated `whsec_…` secrets; several are accepted at once while one is being rotated. */
  STRIPE_WEBHOOK_SECRETS?: string;
  /** Override of the Stripe API origin (e.g. `http://127.0.0.1:12111` for stripe-mock); defaults to api.stripe.com. */
  STRIPE_API_BASE?: string;
  /** Stripe Billing meter event names are `weft_<meter>`; set to "off" to skip usage reporting. */
  STRIPE_METER_REPORTING?: string;
  PAYPAL_CLIENT_ID?: string;
  PAYPAL_CLIENT_SECRET?: string;
  PAYPAL_WEBHOOK_ID?: string;
  /** `https://api-m.sandbox.paypal.com` (default) or `https://api-m.paypal.com`. */
  PAYPAL_API_BASE?: string;
  /** "api" = verify webhooks with PayPal's verify-webhook-signature API; default "local" (CRC32 + certificate). */
  PAYPAL_WEBHOOK_VERIFY?: string;
  /**
   * PEM bundle of the roots PayPal's webhook certificate must chain to (local verification).
   * Defaults to the pinned DigiCert roots in paypal/roots.ts; set only to test with another CA.
   */
  PAYPAL_CERT_ROOTS?: string;
  /** JSON map of plan/interval → PayPal plan id, e.g. {"starter_month":"P-…"}. */
  PAYPAL_PLAN_IDS?: string;
  /** Days of grace after a failed payment before the workspace is limited to Free (default 7). */
  BILLING_GRACE_DAYS?: string;
}
export type BillingEnv = Env & BillingVars;

const SIM_STRIPE_PREFIX = "whsec_sim_";

export interface BillingConfig {
  stripe: { secretKey: string; apiBase: URL | null; meterReporting: boolean } | null;
  stripeWebhookSecrets: string[];
  paypal: {
    clientId: string;
    clientSecret: string;
    apiBase: string;
    webhookId: string | null;
    verify: "api" | "local";
    planIds: Record<string, string>;
    certRootsPem: string;
  } | null;
  /** True when no provider is configured and the local payment simulator stands in. */
  simulator: boolean;
  graceDays: number;
  /** HMAC key the simulator signs PayPal-style events with (local only). */
  simulatorSecret: string | null;
}

const csv = (v?: string) =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

const cache = new WeakMap<object, Promise<BillingConfig>>();

/** A secret derived from JWT_SECRET so the simulator's webhook secret is stable across restarts, and local only. */
async function derive(secret: string, label: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = new Uint8Array(await crypto.subtle.sign("HMAC", key, new TextEncoder().encode(label)));
  return [...mac]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("")
    .slice(0, 40);
}

export function billingConfig(env: Env): Promise<BillingConfig> {
  let hit = cache.get(env);
  if (!hit) {
    hit = load(env as BillingEnv);
    cache.set(env, hit);
  }
  return hit;
}

async function load(env: BillingEnv): Promise<BillingConfig> {
  const base = getConfig(env);
  const stripeKey = env.STRIPE_SECRET_KEY?.trim() || "";
  const paypalId = env.PAYPAL_CLIENT_ID?.trim() || "";
  const paypalSecret = env.PAYPAL_CLIENT_SECRET?.trim() || "";
  const simulator = !stripeKey && !paypalId && base.isLocal;
  const secrets = csv(env.STRIPE_WEBHOOK_SECRETS);
  let simulatorSecret: string | null = null;
  if (base.isLocal) {
    // Locally the simulator's secret is always accepted too, so the simulator works next to test keys.
    simulatorSecret = SIM_STRIPE_PREFIX + (await derive(base.JWT_SECRET, "weft-billing-simulator"));
    secrets.push(simulatorSecret);
  }
  const planIds = env.PAYPAL_PLAN_IDS ? z.record(z.string(), z.string()).parse(JSON.parse(env.PAYPAL_PLAN_IDS)) : {};
  return {
    stripe: stripeKey
      ? {
          secretKey: stripeKey,
          apiBase: env.STRIPE_API_BASE ? new URL(env.STRIPE_API_BASE) : null,
          meterReporting: env.STRIPE_METER_REPORTING !== "off",
        }
      : null,
    stripeWebhookSecrets: secrets,
    paypal:
      paypalId && paypalSecret
        ? {
            clientId: paypalId,
            clientSecret: paypalSecret,
            apiBase: (env.PAYPAL_API_BASE || "https://api-m.sandbox.paypal.com").replace(/\/$/, ""),
            webhookId: env.PAYPAL_WEBHOOK_ID || null,
            verify: env.PAYPAL_WEBHOOK_VERIFY === "api" ? "api" : "local",
            planIds,
            certRootsPem: env.PAYPAL_CERT_ROOTS?.includes("BEGIN CERTIFICATE") ? env.PAYPAL_CERT_ROOTS : PAYPAL_PINNED_ROOTS_PEM,
          }
        : null,
    simulator,
    graceDays: Number(env.BILLING_GRACE_DAYS ?? 7) || 7,
    simulatorSecret,
  };
}
