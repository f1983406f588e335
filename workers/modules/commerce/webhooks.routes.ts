import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { badRequest, Problem } from "../../platform/errors";
import { createRouter, defineRoute, jsonResponse, problemDoc } from "../../platform/router";
import { verifyStripeSignature } from "../billing";
import { applyPaypalEvent, applyStripeEvent, paypalEventSchema, stripeEventSchema } from "./payment-webhooks";
import { verifyPaypalWebhook } from "./payments/paypal";
import { simulatorDelivery } from "./payments/simulator";
import { paypalCreds, simulatorSecret, stripeCreds } from "./providers.service";

/**
 * Provider webhooks of a workspace's own Stripe / PayPal account (mounted at /webhooks):
 * `/commerce/{tenant_id}/stripe` and `/commerce/{tenant_id}/paypal`. Signatures are verified
 * before anything is read — Stripe-Signature with the workspace's whsec_… (or, outside production,
 * the workspace's simulator secret); PayPal's transmission signature through PayPal's verify API
 * with the workspace's credentials and webhook id. Forged → 400 and nothing changes.
 */
export const commerceWebhookRoutes = createRouter();

const invalidSignature = (reason: string) =>
  new Problem(400, "invalid-signature", "Invalid signature", `The webhook signature could not be verified (${reason}).`);
const ackSchema = z.object({ received: z.boolean(), replay: z.boolean(), outcome: z.string(), order_id: z.string().nullable() });
const tenantParam = z.object({
  tenant_id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "tenant_id", in: "path" } }),
});

function parse(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    throw badRequest("The body is not JSON.");
  }
}

commerceWebhookRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/commerce/{tenant_id}/stripe",
      tags: ["Webhooks"],
      summary: "A workspace's Stripe events for its shop (Stripe-Signature verified; the simulator signs these too)",
      request: { params: tenantParam },
      responses: {
        200: jsonResponse(ackSchema, "Applied, or a replay acknowledged unchanged"),
        400: problemDoc("Bad signature or payload"),
      },
    },
  ),
  async (c: Context<AppEnv>) => {
    const tenantId = c.req.param("tenant_id") ?? "";
    const raw = await c.req.text();
    const db = getDb(c.env.DB);
    const header = c.req.header("Stripe-Signature");
    const creds = await stripeCreds(db, c.env, tenantId, false);
    let viaSimulator = false;
    let ok = false;
    if (creds?.webhookSecret) ok = (await verifyStripeSignature(raw, header, [creds.webhookSecret])).ok;
    if (!ok) {
      const sim = await simulatorSecret(c.env, tenantId);
      if (sim) {
        const r = await verifyStripeSignature(raw, header, [sim]);
        if (!r.ok) throw invalidSignature(r.reason);
        viaSimulator = true;
        ok = true;
      }
    }
    if (!ok) throw invalidSignature(creds?.webhookSecret ? "no_match" : "no webhook secret set");
    const ev = stripeEventSchema.safeParse(parse(raw));
    if (!ev.success) throw badRequest("The body is not a Stripe event.");
    return c.json(await applyStripeEvent(c.env, db, tenantId, ev.data, viaSimulator), 200);
  },
);

commerceWebhookRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/commerce/{tenant_id}/paypal",
      tags: ["Webhooks"],
      summary: "A workspace's PayPal events for its shop (transmission signature verified with PayPal)",
      request: { params: tenantParam },
      responses: {
        200: jsonResponse(ackSchema, "Applied, or a replay acknowledged unchanged"),
        400: problemDoc("Bad signature or payload"),
      },
    },
  ),
  async (c: Context<AppEnv>) => {
    const tenantId = c.req.param("tenant_id") ?? "";
    const raw = await c.req.text();
    const db = getDb(c.env.DB);
    const creds = await paypalCreds(db, c.env, tenantId, false);
    if (!creds?.webhookId) throw invalidSignature("no PayPal webhook id set");
    const json = parse(raw);
    if (!(await verifyPaypalWebhook(creds, c.req.raw.headers, json))) throw invalidSignature("rejected by PayPal's verify API");
    const ev = paypalEventSchema.safeParse(json);
    if (!ev.success) throw badRequest("The body is not a PayPal event.");
    return c.json(await applyPaypalEvent(c.env, db, tenantId, ev.data), 200);
  },
);

// The simulator delivers its signed events to these same handlers, in-process.
const selfDelivery = createRouter().route("/webhooks", commerceWebhookRoutes);
simulatorDelivery.current = (req, env) => Promise.resolve(selfDelivery.fetch(req, env));
