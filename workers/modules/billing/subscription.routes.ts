// Subscription routes: preview a change, checkout, change/cancel the plan, the payment-method portal, overage setting, PayPal's return.
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { BILLING_INTERVALS, PLAN_IDS } from "../../../schema/billing";
import { actorOf } from "../../platform/audit";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { forbidden } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { getUserProfile } from "../../platform/directory";
import { serializeSubscription } from "./billing.read";
import { cancelSubscription, changeSubscription, portalUrl, previewChange, setOverage, startCheckout } from "./billing.service";
import { billingConfig } from "./config";
import { applyBillingEvent } from "./lifecycle.service";
import { getPaypalSubscription } from "./paypal/client";
import { fromPaypalSubscription } from "./paypal/events";
import { billingNow } from "./simulator-clock";
import { getSubscription } from "./subscription.service";
import { currentTenantId } from "../../platform/auth";
import { lineSchema, planChoice, redirectSchema, subscriptionSchema } from "./schemas";

const idem = (c: Context<AppEnv>) => c.req.header("Idempotency-Key")?.slice(0, 100) || newId("idem");

export const subscriptionRoutes = createRouter();

subscriptionRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "billing:read" },
    {
      method: "get",
      path: "/billing/preview",
      tags: ["Billing"],
      summary: "What a plan/interval/seat change costs now (proration) and per period",
      request: {
        query: z.object({
          plan: z.enum(PLAN_IDS),
          interval: z.enum(BILLING_INTERVALS).default("month"),
          seats: z.coerce.number().int().min(1).max(1000),
        }),
      },
      responses: {
        200: jsonResponse(
          z
            .object({
              lines: z.array(lineSchema),
              due_now_cents: z.number().int(),
              recurring_cents: z.number().int(),
              next_lines: z.array(lineSchema),
            })
            .openapi("ChangePreview"),
          "Preview",
        ),
      },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    // At the workspace's billing time (ahead of real time once the simulator's test clock was advanced), as the change would be.
    return c.json(await previewChange(db, tenantId, c.req.valid("query"), await billingNow(c.env, db, tenantId)), 200);
  },
);

subscriptionRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "billing:manage" },
    {
      method: "post",
      path: "/billing/checkout",
      tags: ["Billing"],
      summary: "Start a subscription: Stripe Checkout, PayPal approval, or the local payment simulator",
      request: jsonBody(
        planChoice
          .extend({ provider: z.enum(["stripe", "paypal"]).default("stripe"), trial: z.boolean().default(false) })
          .openapi("StartCheckout"),
      ),
      responses: {
        200: jsonResponse(redirectSchema, "Send the user to `url`"),
        409: problemDoc("Already subscribed"),
        502: problemDoc("The provider refused"),
        503: problemDoc("No provider configured"),
      },
    },
  ),
  async (c) => {
    const body = c.req.valid("json");
    const db = getDb(c.env.DB);
    const p = c.get("principal");
    const email = p.kind === "user" ? ((await getUserProfile(db, p.userId))?.email ?? null) : null;
    return c.json(
      await startCheckout(c.env, db, currentTenantId(c), { ...body, origin: appOrigin(c), email, idempotencyKey: idem(c) }, actorOf(c)),
      200,
    );
  },
);

subscriptionRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "billing:manage" },
    {
      method: "post",
      path: "/billing/subscription/change",
      tags: ["Billing"],
      summary: "Upgrade, downgrade, switch interval or change seats (prorated); plan `free` cancels at period end",
      request: jsonBody(planChoice.openapi("ChangePlan")),
      responses: {
        200: jsonResponse(
          z.object({
            status: z.enum(["updated", "approval_required", "scheduled"]),
            url: z.string().nullable(),
            subscription: subscriptionSchema,
          }),
          "Requested; state follows the provider's webhook",
        ),
        409: problemDoc("No subscription"),
      },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    const r = await changeSubscription(
      c.env,
      db,
      currentTenantId(c),
      c.req.valid("json"),
      { origin: appOrigin(c), idempotencyKey: idem(c) },
      actorOf(c),
    );
    return c.json({ ...r, subscription: serializeSubscription(await getSubscription(db, currentTenantId(c))) }, 200);
  },
);

subscriptionRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "billing:manage" },
    {
      method: "post",
      path: "/billing/subscription/cancel",
      tags: ["Billing"],
      summary: "Cancel at the end of the period (or `resume: true` to withdraw a pending cancellation)",
      request: jsonBody(z.object({ resume: z.boolean().default(false) }).openapi("CancelSubscription")),
      responses: {
        200: jsonResponse(subscriptionSchema, "The subscription after the provider's confirmation"),
        409: problemDoc("No subscription"),
      },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    await cancelSubscription(c.env, db, currentTenantId(c), appOrigin(c), actorOf(c), c.req.valid("json").resume);
    return c.json(serializeSubscription(await getSubscription(db, currentTenantId(c))), 200);
  },
);

subscriptionRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "billing:manage" },
    {
      method: "post",
      path: "/billing/portal",
      tags: ["Billing"],
      summary: "A link to manage payment methods (Stripe Customer Portal, PayPal autopay, or the simulator)",
      responses: { 200: jsonResponse(redirectSchema, "Portal link"), 409: problemDoc("No subscription") },
    },
  ),
  async (c) => c.json(await portalUrl(c.env, getDb(c.env.DB), currentTenantId(c), appOrigin(c)), 200),
);

subscriptionRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "billing:manage" },
    {
      method: "patch",
      path: "/billing/settings",
      tags: ["Billing"],
      summary: "Allow billed overage above plan limits (paid plans) instead of refusing with 402",
      request: jsonBody(z.object({ allow_overage: z.boolean() }).openapi("BillingSettings")),
      responses: { 200: jsonResponse(subscriptionSchema, "Updated"), 402: problemDoc("Free plan") },
    },
  ),
  async (c) =>
    c.json(
      serializeSubscription(await setOverage(getDb(c.env.DB), currentTenantId(c), c.req.valid("json").allow_overage, actorOf(c))),
      200,
    ),
);

/** PayPal sends the buyer back here after approval; activation is read from PayPal (and confirmed by webhook). */
subscriptionRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "get",
      path: "/billing/paypal/return",
      tags: ["Billing"],
      summary: "Return URL after PayPal approval: reads the subscription from PayPal and activates it",
      request: { query: z.object({ tenant: z.string(), subscription_id: z.string().optional(), token: z.string().optional() }) },
      responses: { 302: { description: "Back to the billing page" } },
    },
  ),
  async (c) => {
    const q = c.req.valid("query");
    const cfg = await billingConfig(c.env);
    const back = `${appOrigin(c)}/settings/billing`;
    if (!cfg.paypal || !q.subscription_id) return c.redirect(`${back}?checkout=cancelled`, 302);
    const s = await getPaypalSubscription(cfg.paypal, q.subscription_id);
    const ev = fromPaypalSubscription(s, Date.parse(s.status_update_time ?? "") || Date.now());
    if (!ev || ev.tenantId !== q.tenant) throw forbidden("This PayPal subscription does not belong to this workspace.");
    await applyBillingEvent(c.env, getDb(c.env.DB), ev);
    return c.redirect(`${back}?checkout=success`, 302);
  },
);
