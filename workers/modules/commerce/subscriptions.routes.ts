import type { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { advanceSimulatedSubscription, cancelSubscription, resumeSubscription } from "./subscriptions.actions";
import { deletePlan, serializeRecurring, setPlan } from "./subscriptions.plans";
import {
  recurringInput,
  recurringSchema,
  simulateInput,
  staffCancelInput,
  subscriptionDetailSchema,
  subscriptionListQuery,
  subscriptionSchema,
} from "./subscriptions.schemas";
import { getSubscriptionRow, listSubscriptions, subscriptionDetail } from "./subscriptions.service";

/**
 * Subscriptions for a workspace's staff (mounted at /api/v1): making a product recurring, the list
 * and detail (with its paid / failed invoices), cancel (now or at the period's end) and resume, and
 * the simulator's "advance to the next renewal" dev control.
 */
export const subscriptionRoutes = createRouter();

const tags = ["Commerce"];
const READ = { auth: "tenant", permission: "commerce:read" } as const;
const WRITE = { auth: "tenant", permission: "commerce:write" } as const;
const subParam = idParam("id", "sub_01jd0000000000000000000000");
const productParam = idParam("id", "prod_01jd0000000000000000000000");
const notFoundDoc = { 404: problemDoc("No such subscription in this workspace") };

subscriptionRoutes.openapi(
  defineRoute(WRITE, {
    method: "put",
    path: "/commerce/products/{id}/recurring",
    tags,
    summary:
      "Sell a product as a subscription: its variants' prices become the price per interval (month/year × count), after optional trial days",
    request: { params: productParam, ...jsonBody(recurringInput) },
    responses: { 200: jsonResponse(recurringSchema, "The product's plan"), 404: problemDoc("No such product") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const plan = await setPlan(db, currentTenantId(c), c.req.valid("param").id, c.req.valid("json"));
    return c.json(serializeRecurring(plan) as z.infer<typeof recurringSchema>, 200);
  },
);

subscriptionRoutes.openapi(
  defineRoute(WRITE, {
    method: "delete",
    path: "/commerce/products/{id}/recurring",
    tags,
    summary: "Sell the product one-off again (running subscriptions go on as they are)",
    request: { params: productParam },
    responses: { 204: { description: "Now one-off" }, 404: problemDoc("The product is not recurring") },
  }),
  async (c) => {
    if (!(await deletePlan(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id))) throw notFound("Recurring plan");
    return c.body(null, 204);
  },
);

subscriptionRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/commerce/subscriptions",
    tags,
    summary: "Subscriptions, newest first; filter by status",
    request: { query: subscriptionListQuery },
    responses: { 200: jsonResponse(pageSchema(subscriptionSchema), "A page of subscriptions") },
  }),
  async (c) => c.json(await listSubscriptions(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

subscriptionRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/commerce/subscriptions/{id}",
    tags,
    summary: "A subscription with its paid and failed invoices (the first period's and each renewal)",
    request: { params: subParam },
    responses: { 200: jsonResponse(subscriptionDetailSchema, "The subscription"), ...notFoundDoc },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    return c.json(await subscriptionDetail(db, await getSubscriptionRow(db, currentTenantId(c), c.req.valid("param").id)), 200);
  },
);

subscriptionRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/commerce/subscriptions/{id}/cancel",
    tags,
    summary: "Cancel through the provider: at the period's end (default) or now; audited",
    request: { params: subParam, ...jsonBody(staffCancelInput) },
    responses: {
      200: jsonResponse(subscriptionDetailSchema, "The subscription as the provider left it"),
      ...notFoundDoc,
      409: problemDoc("Already ended, never started, or the provider is not set up any more"),
    },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const body = c.req.valid("json");
    const actor = actorOf(c);
    const sub = await getSubscriptionRow(db, tenantId, c.req.valid("param").id);
    const after = await cancelSubscription(c.env, db, sub, {
      mode: body.mode,
      reason: body.reason ?? null,
      by: actor.id ?? "staff",
      origin: appOrigin(c),
      audit: actor,
    });
    return c.json(await subscriptionDetail(db, after), 200);
  },
);

subscriptionRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/commerce/subscriptions/{id}/resume",
    tags,
    summary: "Undo a cancel at the period's end while the period runs; audited",
    request: { params: subParam },
    responses: { 200: jsonResponse(subscriptionDetailSchema, "The subscription"), ...notFoundDoc, 409: problemDoc("Already ended") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const actor = actorOf(c);
    const sub = await getSubscriptionRow(db, currentTenantId(c), c.req.valid("param").id);
    const after = await resumeSubscription(c.env, db, sub, { by: actor.id ?? "staff", origin: appOrigin(c), audit: actor });
    return c.json(await subscriptionDetail(db, after), 200);
  },
);

subscriptionRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/commerce/subscriptions/{id}/simulate-renewal",
    tags,
    summary:
      "Payment simulator only (outside production): end the current period now — the renewal is paid (or fails), or a subscription set to cancel ends",
    request: { params: subParam, ...jsonBody(simulateInput) },
    responses: {
      200: jsonResponse(subscriptionDetailSchema, "The subscription after the simulated events"),
      ...notFoundDoc,
      409: problemDoc("Not a simulator subscription, or it has ended"),
    },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const sub = await getSubscriptionRow(db, currentTenantId(c), c.req.valid("param").id);
    const after = await advanceSimulatedSubscription(c.env, db, sub, c.req.valid("json").outcome, appOrigin(c));
    return c.json(await subscriptionDetail(db, after), 200);
  },
);
