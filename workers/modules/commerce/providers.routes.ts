import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import { paypalInput, providersSchema, stripeInput } from "./orders.schemas";
import { testPaypal } from "./payments/paypal";
import { testStripe } from "./payments/stripe";
import { deleteProvider, describeProviders, paypalCreds, putProvider, recordProviderTest, stripeCreds } from "./providers.service";

/** A workspace's own Stripe / PayPal credentials (mounted at /api/v1); secrets are sealed and never returned. */
export const providerRoutes = createRouter();

const tags = ["Commerce"];
const READ = { auth: "tenant", permission: "commerce:read" } as const;
const WRITE = { auth: "tenant", permission: "commerce:write" } as const;
const providerParam = z.object({
  provider: z.enum(["stripe", "paypal"]).openapi({ param: { name: "provider", in: "path" }, example: "stripe" }),
});

providerRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/commerce/payment-providers",
    tags,
    summary: "Payment providers: what is set up (never a secret), the webhook URLs to give each provider, the simulator",
    responses: { 200: jsonResponse(providersSchema, "Providers") },
  }),
  async (c) => c.json(await describeProviders(getDb(c.env.DB), c.env, currentTenantId(c), appOrigin(c)), 200),
);

providerRoutes.openapi(
  defineRoute(WRITE, {
    method: "put",
    path: "/commerce/payment-providers/stripe",
    tags,
    summary: "Set the Stripe keys (secret key, publishable key, webhook signing secret); a secret left out is kept",
    request: jsonBody(stripeInput),
    responses: { 200: jsonResponse(providersSchema, "Providers") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    await putProvider(db, c.env, tenantId, "stripe", c.req.valid("json"), actorOf(c));
    return c.json(await describeProviders(db, c.env, tenantId, appOrigin(c)), 200);
  },
);

providerRoutes.openapi(
  defineRoute(WRITE, {
    method: "put",
    path: "/commerce/payment-providers/paypal",
    tags,
    summary: "Set the PayPal app (client id and secret, webhook id, sandbox or live); a secret left out is kept",
    request: jsonBody(paypalInput),
    responses: { 200: jsonResponse(providersSchema, "Providers") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    await putProvider(db, c.env, tenantId, "paypal", c.req.valid("json"), actorOf(c));
    return c.json(await describeProviders(db, c.env, tenantId, appOrigin(c)), 200);
  },
);

providerRoutes.openapi(
  defineRoute(WRITE, {
    method: "delete",
    path: "/commerce/payment-providers/{provider}",
    tags,
    summary: "Remove a provider's credentials",
    request: { params: providerParam },
    responses: { 204: noContent, 404: problemDoc("Not set up") },
  }),
  async (c) => {
    await deleteProvider(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").provider, actorOf(c));
    return c.body(null, 204);
  },
);

providerRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/commerce/payment-providers/{provider}/test",
    tags,
    summary: "Test the connection (Stripe: retrieve the balance; PayPal: an OAuth token)",
    request: { params: providerParam },
    responses: { 200: jsonResponse(z.object({ ok: z.boolean(), detail: z.string() }), "The result"), 404: problemDoc("Not set up") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const provider = c.req.valid("param").provider;
    let r: { ok: boolean; detail: string };
    if (provider === "stripe") {
      const creds = await stripeCreds(db, c.env, tenantId, false);
      if (!creds) throw notFound("Stripe settings");
      r = await testStripe(creds);
    } else {
      const creds = await paypalCreds(db, c.env, tenantId, false);
      if (!creds) throw notFound("PayPal settings");
      r = await testPaypal(creds);
    }
    await recordProviderTest(db, tenantId, provider, `${r.ok ? "ok" : "failed"}: ${r.detail}`);
    return c.json(r, 200);
  },
);
