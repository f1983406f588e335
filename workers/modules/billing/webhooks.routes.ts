import { z } from "@hono/zod-openapi";
import { and, eq } from "drizzle-orm";
import type { Context } from "hono";
import { billingWebhookEvents } from "../../../schema/billing";
import type { AppEnv } from "../../platform/context";
import { getDb, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { badRequest, Problem } from "../../platform/errors";
import { createLogger } from "../../platform/logger";
import { createRouter, defineRoute, jsonResponse, problemDoc } from "../../platform/router";
import { billingConfig } from "./config";
import { applyBillingEvent } from "./lifecycle.service";
import type { BillingEvent } from "./provider-events";
import { fetchPaypalCert, verifyWithPaypalApi } from "./paypal/client";
import { trustAnchors } from "./paypal/chain";
import { fromPaypalEvent, paypalEventSchema } from "./paypal/events";
import { transmissionFromHeaders, verifyPaypalTransmission } from "./paypal/signature";
import { SIMULATOR_PAYPAL_WEBHOOK_ID, simulatorCertPem, SIMULATOR_CERT_PATH } from "./simulator.keys";
import { fromStripeEvent, stripeEventSchema } from "./stripe/events";
import { verifyStripeSignature } from "./stripe/signature";

const log = createLogger({ component: "billing-webhooks" });
const ackSchema = z.object({ received: z.boolean(), duplicate: z.boolean(), outcome: z.string() }).openapi("WebhookAck");
const invalidSignature = (reason: string) =>
  new Problem(400, "invalid-signature", "Invalid signature", `The webhook signature could not be verified (${reason}).`);

/**
 * Stores the event by provider id first: a replay is acknowledged and changes nothing. An event
 * whose processing failed earlier is processed again on redelivery.
 */
async function storeAndApply(
  env: Env,
  db: Db,
  provider: "stripe" | "paypal",
  id: string,
  type: string,
  occurredAt: number,
  payload: unknown,
  toEvent: () => Promise<BillingEvent | null>,
) {
  const inserted = await db
    .insert(billingWebhookEvents)
    .values({
      provider,
      eventId: id,
      type,
      tenantId: null,
      occurredAt,
      payload: payload as object,
      outcome: null,
      processedAt: null,
      createdAt: Date.now(),
    })
    .onConflictDoNothing()
    .returning({ id: billingWebhookEvents.eventId });
  const where = and(eq(billingWebhookEvents.provider, provider), eq(billingWebhookEvents.eventId, id));
  if (!inserted.length) {
    const prior = await db.select().from(billingWebhookEvents).where(where).get();
    if (prior?.processedAt) return { received: true, duplicate: true, outcome: prior.outcome ?? "applied" };
  }
  try {
    const ev = await toEvent();
    const outcome = ev ? await applyBillingEvent(env, db, ev) : "ignored_unknown";
    await db
      .update(billingWebhookEvents)
      .set({ outcome, tenantId: ev?.tenantId ?? null, processedAt: Date.now() })
      .where(where);
    return { received: true, duplicate: false, outcome };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    await db
      .update(billingWebhookEvents)
      .set({ outcome: `failed: ${msg.slice(0, 200)}` })
      .where(where);
    log.error("webhook_apply_failed", { provider, event_id: id, type, error: msg });
    if (e instanceof z.ZodError) throw badRequest(`The ${type} event payload is not in the expected shape.`);
    throw e; // 500: the provider retries
  }
}

export const webhookRoutes = createRouter();

webhookRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/stripe",
      tags: ["Webhooks"],
      summary: "Stripe events (signed with Stripe-Signature; verified before anything is read)",
      responses: {
        200: jsonResponse(ackSchema, "Accepted (or a replay, acknowledged unchanged)"),
        400: problemDoc("Bad signature or payload"),
      },
    },
  ),
  async (c: Context<AppEnv>) => {
    const raw = await c.req.text();
    const cfg = await billingConfig(c.env);
    if (!cfg.stripeWebhookSecrets.length)
      throw new Problem(503, "webhooks-not-configured", "Webhooks not configured", "Set STRIPE_WEBHOOK_SECRETS to receive Stripe events.");
    const sig = await verifyStripeSignature(raw, c.req.header("Stripe-Signature"), cfg.stripeWebhookSecrets);
    if (!sig.ok) throw invalidSignature(sig.reason);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw badRequest("The body is not JSON.");
    }
    const ev = stripeEventSchema.safeParse(json);
    if (!ev.success) throw badRequest("The body is not a Stripe event.");
    const db = getDb(c.env.DB);
    const res = await storeAndApply(c.env, db, "stripe", ev.data.id, ev.data.type, ev.data.created * 1000, json, () =>
      fromStripeEvent(db, ev.data),
    );
    return c.json(res, 200);
  },
);

webhookRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/paypal",
      tags: ["Webhooks"],
      summary: "PayPal events (transmission signature: CRC32 + certificate, or PayPal's verify API)",
      responses: {
        200: jsonResponse(ackSchema, "Accepted (or a replay, acknowledged unchanged)"),
        400: problemDoc("Bad signature or payload"),
      },
    },
  ),
  async (c: Context<AppEnv>) => {
    const raw = await c.req.text();
    const cfg = await billingConfig(c.env);
    const origin = new URL(c.req.url).origin;
    const t = transmissionFromHeaders(c.req.raw.headers);
    const simulatorCertUrl = `${origin}${SIMULATOR_CERT_PATH}`;
    const fromSimulator = cfg.simulatorSecret !== null && t?.certUrl === simulatorCertUrl;
    let verified = false;
    if (fromSimulator) {
      // Local only: the simulator's certificate is read in-process instead of over the network.
      const r = await verifyPaypalTransmission(raw, t, SIMULATOR_PAYPAL_WEBHOOK_ID, async () => simulatorCertPem(), {
        allowCertUrl: (u) => u.href === simulatorCertUrl,
      });
      if (!r.ok) throw invalidSignature(r.reason);
      verified = true;
    } else if (cfg.paypal?.webhookId) {
      if (cfg.paypal.verify === "api") {
        let parsed: unknown;
        try {
          parsed = JSON.parse(raw);
        } catch {
          throw badRequest("The body is not JSON.");
        }
        verified = await verifyWithPaypalApi(cfg.paypal, c.req.raw.headers, parsed);
        if (!verified) throw invalidSignature("rejected by PayPal's verify API");
      } else {
        const r = await verifyPaypalTransmission(raw, t, cfg.paypal.webhookId, fetchPaypalCert, {
          trust: trustAnchors(cfg.paypal.certRootsPem),
        });
        if (!r.ok) throw invalidSignature(r.detail ? `${r.reason}: ${r.detail}` : r.reason);
        verified = true;
      }
    }
    if (!verified)
      throw new Problem(
        503,
        "webhooks-not-configured",
        "Webhooks not configured",
        "Set PAYPAL_CLIENT_ID, PAYPAL_CLIENT_SECRET and PAYPAL_WEBHOOK_ID to receive PayPal events.",
      );
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      throw badRequest("The body is not JSON.");
    }
    const ev = paypalEventSchema.safeParse(json);
    if (!ev.success) throw badRequest("The body is not a PayPal event.");
    const db = getDb(c.env.DB);
    const res = await storeAndApply(
      c.env,
      db,
      "paypal",
      ev.data.id,
      ev.data.event_type,
      Date.parse(ev.data.create_time) || Date.now(),
      json,
      () => fromPaypalEvent(db, ev.data, fromSimulator),
    );
    return c.json(res, 200);
  },
);
