import { z } from "@hono/zod-openapi";
import { getDb } from "../../platform/db";
import { assertCartAccess, callerEndUserId } from "./cart-owner";
import { shopOf, unauthorizedDoc } from "./storefront-key";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { publicKeyQuery } from "./carts.schemas";
import { capturePaypalReturn, payCheckout } from "./checkouts.pay";
import {
  buyerOrderSchema,
  captureInput,
  captureResult,
  checkoutInput,
  checkoutPatch,
  checkoutSchema,
  payInput,
  payResult,
} from "./checkouts.schemas";
import { serializeCheckout } from "./checkout-view";
import { createCheckout, getCheckoutRow, updateCheckout, type CheckoutRow } from "./checkouts.service";
import { buyerOrder } from "./orders.read";
import { getOrderRow } from "./orders.service";
import type { Env } from "../../platform/env";
import type { Db } from "../../platform/db";

/**
 * The storefront's checkout (mounted under /public/v1 by public.routes.ts, with its CORS and rate
 * limit): create from a cart or a Buy link's lines, read, update (re-priced on the server), pay,
 * the PayPal return's capture, and the buyer's order by its access token. Ids are capabilities
 * valid only with their own workspace's publishable key: another workspace's id is 404.
 */
export const checkoutPublicRoutes = createRouter();

const tags = ["Commerce (public)"];
const PUBLIC = { auth: "public" } as const;

const idParam = z.object({
  id: z
    .string()
    .min(1)
    .max(64)
    .openapi({ param: { name: "id", in: "path" } }),
});

/** The Checkout shape with its order, for any caller (the hosted pages call it too). */
export async function checkoutView(env: Env, db: Db, co: CheckoutRow) {
  const order = co.orderId ? await getOrderRow(db, co.tenantId, co.orderId).catch(() => null) : null;
  return serializeCheckout(env, db, co, order);
}

checkoutPublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post",
    path: "/commerce/checkouts",
    tags,
    summary: "Start a checkout from a cart or a Buy link's lines: priced on the server, stock held",
    request: { query: publicKeyQuery, ...jsonBody(checkoutInput) },
    responses: {
      201: jsonResponse(checkoutSchema, "The new checkout"),
      200: jsonResponse(checkoutSchema, "The cart's checkout, already started"),
      404: problemDoc("No such cart or variant in this shop"),
      409: problemDoc("Not enough stock (insufficient-stock, with the short lines), or the cart was merged"),
      422: problemDoc("Bad input, or items that cannot be sold"),
      ...unauthorizedDoc,
    },
  }),
  async (c) => {
    const tenantId = await shopOf(c);
    const db = getDb(c.env.DB);
    const origin = c.req.header("Origin") ?? "";
    const own = appOrigin(c);
    const input = c.req.valid("json");
    // A portal end user's token makes the order theirs (their portal lists it); their cart needs it.
    if (input.cart_id) await assertCartAccess(c, db, tenantId, input.cart_id);
    const endUserId = await callerEndUserId(c, tenantId);
    const { checkout, created } = await createCheckout(
      c.env,
      db,
      tenantId,
      { ...input, end_user_id: endUserId ?? undefined },
      {
        urlAllowed: (u) => {
          const o = URL.canParse(u) ? new URL(u).origin : "";
          return o === origin || o === own;
        },
      },
    );
    return c.json(await checkoutView(c.env, db, checkout), created ? 201 : 200);
  },
);

checkoutPublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get",
    path: "/commerce/checkouts/{id}",
    tags,
    summary: "A checkout (its order once paying)",
    request: { params: idParam, query: publicKeyQuery },
    responses: { 200: jsonResponse(checkoutSchema, "The checkout"), 404: problemDoc("No such checkout in this shop"), ...unauthorizedDoc },
  }),
  async (c) => {
    const tenantId = await shopOf(c);
    const db = getDb(c.env.DB);
    return c.json(await checkoutView(c.env, db, await getCheckoutRow(db, tenantId, c.req.valid("param").id)), 200);
  },
);

checkoutPublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "patch",
    path: "/commerce/checkouts/{id}",
    tags,
    summary: "Set the buyer's email, shipping address, shipping rate or coupon code; re-priced on the server",
    request: { params: idParam, query: publicKeyQuery, ...jsonBody(checkoutPatch) },
    responses: {
      200: jsonResponse(checkoutSchema, "The checkout"),
      404: problemDoc("No such checkout in this shop"),
      409: problemDoc("The checkout is no longer open (paying, completed, expired)"),
      422: problemDoc("Bad input"),
      ...unauthorizedDoc,
    },
  }),
  async (c) => {
    const tenantId = await shopOf(c);
    const db = getDb(c.env.DB);
    const co = await updateCheckout(db, tenantId, c.req.valid("param").id, c.req.valid("json"));
    return c.json(await checkoutView(c.env, db, co), 200);
  },
);

checkoutPublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post",
    path: "/commerce/checkouts/{id}/pay",
    tags,
    summary: "Pay: creates the checkout's one order (pending) and the provider payment; answers where to send the buyer",
    description:
      "Header `Idempotency-Key` (optional) becomes the order's key, sent to the provider. Calling again returns the same order and a fresh redirect.",
    request: { params: idParam, query: publicKeyQuery, ...jsonBody(payInput) },
    responses: {
      200: jsonResponse(payResult, "The order and the provider's page"),
      404: problemDoc("No such checkout in this shop"),
      409: problemDoc("Not open (expired, completed), or the coupon was refused (coupon-refused, with its reason)"),
      422: problemDoc("Missing email / address / shipping, or a provider the shop has not set up"),
      502: problemDoc("The payment provider refused the request"),
      ...unauthorizedDoc,
    },
  }),
  async (c) => {
    const tenantId = await shopOf(c);
    const db = getDb(c.env.DB);
    const r = await payCheckout(c.env, db, tenantId, c.req.valid("param").id, {
      provider: c.req.valid("json").provider,
      idempotencyKey: c.req.header("Idempotency-Key") ?? null,
      origin: appOrigin(c),
    });
    return c.json(r, 200);
  },
);

checkoutPublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post",
    path: "/commerce/checkouts/{id}/capture",
    tags,
    summary: "PayPal return: capture the approved PayPal order; a COMPLETED capture makes the order paid",
    request: { params: idParam, query: publicKeyQuery, ...jsonBody(captureInput) },
    responses: {
      200: jsonResponse(captureResult, "The order's status after the capture"),
      404: problemDoc("No such checkout, or the PayPal order is not this checkout's"),
      502: problemDoc("PayPal refused the request"),
      ...unauthorizedDoc,
    },
  }),
  async (c) => {
    const tenantId = await shopOf(c);
    const db = getDb(c.env.DB);
    return c.json(await capturePaypalReturn(c.env, db, tenantId, c.req.valid("param").id, c.req.valid("json").paypal_order_id), 200);
  },
);

checkoutPublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get",
    path: "/commerce/orders/{id}",
    tags,
    summary: "An order as its buyer sees it (the confirmation page polls this); needs the order's access token",
    request: { params: idParam, query: publicKeyQuery.extend({ token: z.string().min(1).max(100) }) },
    responses: {
      200: jsonResponse(buyerOrderSchema, "The order"),
      404: problemDoc("No such order in this shop, or a wrong token"),
      ...unauthorizedDoc,
    },
  }),
  async (c) => {
    const tenantId = await shopOf(c);
    const db = getDb(c.env.DB);
    return c.json(await buyerOrder(c.env, db, tenantId, c.req.valid("param").id, c.req.valid("query").token), 200);
  },
);
