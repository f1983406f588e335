import type { Context } from "hono";
import type { AppEnv, EndUserPrincipal } from "../../platform/context";
import { getDb, type Db } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { idParam } from "../../platform/params";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonResponse, problemDoc } from "../../platform/router";
import { z } from "@hono/zod-openapi";
import {
  cancelSubscription,
  getSubscriptionRow,
  resumeSubscription,
  serializeSubscription,
  subscriptionDetail,
  subscriptionDetailSchema,
  subscriptionSchema,
  subscriptionsOfEndUser,
  type SubscriptionRow,
} from "../commerce";
import { portalParam } from "./schemas";

/**
 * The signed-in end user's subscriptions (`{ auth: "enduser" }`): the list, one with its charges,
 * cancel (at the end of the period they paid for — the provider is asked) and resume (undo that
 * while the period runs). Another end user's subscription is 404, like an unknown id.
 */
export const portalSubscriptionRoutes = createRouter();
const tags = ["End users (portal)"];
const P = "/portal/{portal}";
const me = (c: Context<AppEnv>): EndUserPrincipal => c.get("endUser");
const params = portalParam.extend(idParam("id", "sub_01jd0000000000000000000000").shape);

/** The end user's own subscription, else 404. */
export async function mySubscription(db: Db, u: EndUserPrincipal, id: string): Promise<SubscriptionRow> {
  const s = await getSubscriptionRow(db, u.tenantId, id);
  if (s.endUserId !== u.id || s.status === "incomplete" || s.status === "incomplete_expired") throw notFound("Subscription");
  return s;
}

portalSubscriptionRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "get",
      path: `${P}/subscriptions`,
      tags,
      summary: "Your subscriptions, newest first (running, ending and ended)",
      request: { params: portalParam },
      responses: { 200: jsonResponse(z.object({ data: z.array(subscriptionSchema) }), "Subscriptions") },
    },
  ),
  async (c) => {
    const u = me(c);
    return c.json({ data: (await subscriptionsOfEndUser(getDb(c.env.DB), u.tenantId, u.id)).map(serializeSubscription) }, 200);
  },
);

portalSubscriptionRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "get",
      path: `${P}/subscriptions/{id}`,
      tags,
      summary: "One of your subscriptions with its charges",
      request: { params },
      responses: { 200: jsonResponse(subscriptionDetailSchema, "Subscription"), 404: problemDoc("Not one of yours") },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    return c.json(await subscriptionDetail(db, await mySubscription(db, me(c), c.req.valid("param").id)), 200);
  },
);

portalSubscriptionRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "post",
      path: `${P}/subscriptions/{id}/cancel`,
      tags,
      summary: "Cancel: it runs to the end of the period you paid for and does not renew",
      request: { params },
      responses: {
        200: jsonResponse(subscriptionDetailSchema, "Subscription"),
        404: problemDoc("Not one of yours"),
        409: problemDoc("Already ended"),
      },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    const sub = await mySubscription(db, me(c), c.req.valid("param").id);
    const after = await cancelSubscription(c.env, db, sub, { mode: "period_end", by: "customer", origin: appOrigin(c) });
    return c.json(await subscriptionDetail(db, after), 200);
  },
);

portalSubscriptionRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "post",
      path: `${P}/subscriptions/{id}/resume`,
      tags,
      summary: "Keep it after all: undo the cancel while the period runs",
      request: { params },
      responses: {
        200: jsonResponse(subscriptionDetailSchema, "Subscription"),
        404: problemDoc("Not one of yours"),
        409: problemDoc("Already ended"),
      },
    },
  ),
  async (c) => {
    const db = getDb(c.env.DB);
    const sub = await mySubscription(db, me(c), c.req.valid("param").id);
    const after = await resumeSubscription(c.env, db, sub, { by: "customer", origin: appOrigin(c) });
    return c.json(await subscriptionDetail(db, after), 200);
  },
);
