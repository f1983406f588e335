import type { Context } from "hono";
import type { AppEnv, EndUserPrincipal } from "../../platform/context";
import { getDb } from "../../platform/db";
import { getTenant } from "../../platform/directory";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent } from "../../platform/router";
import { myOrder, myOrders, reorderMine, requestRefund, resendMyReceipt } from "./portal.orders";
import * as ps from "./portal.schemas";
import { ticketDetail } from "./portal.tickets.routes";
import { portalParam } from "./schemas";

/** The signed-in end user's orders (`{ auth: "enduser" }`): history, detail with downloads, receipt again, refund request. */
export const portalOrderRoutes = createRouter();
const tags = ["End users (portal)"];
const P = "/portal/{portal}";
const me = (c: Context<AppEnv>): EndUserPrincipal => c.get("endUser");
const params = portalParam.extend(idParam("id", "ord_01jd0000000000000000000000").shape);

portalOrderRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "get",
      path: `${P}/orders`,
      tags,
      summary: "Your orders, newest first",
      request: { params: portalParam, query: pageQuerySchema },
      responses: { 200: jsonResponse(pageSchema(ps.orderSummarySchema), "Orders") },
    },
  ),
  async (c) => {
    const u = me(c);
    return c.json(await myOrders(c.env, u.tenantId, u.id, c.req.valid("query")), 200);
  },
);

portalOrderRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "get",
      path: `${P}/orders/{id}`,
      tags,
      summary: "One of your orders: lines, totals, tracking and download links for digital products",
      request: { params },
      responses: { 200: jsonResponse(ps.portalOrderDetailSchema, "Order") },
    },
  ),
  async (c) => {
    const u = me(c);
    return c.json(await myOrder(c.env, getDb(c.env.DB), u.tenantId, u.id, c.req.valid("param").id), 200);
  },
);

portalOrderRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "post",
      path: `${P}/orders/{id}/receipt`,
      tags,
      summary: "Email the receipt of one of your paid orders again",
      request: { params },
      responses: { 204: noContent },
    },
  ),
  async (c) => {
    const u = me(c);
    await resendMyReceipt(c.env, getDb(c.env.DB), u.tenantId, u.id, c.req.valid("param").id);
    return c.body(null, 204);
  },
);

portalOrderRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "post",
      path: `${P}/orders/{id}/refund-request`,
      tags,
      summary: "Ask for a refund: opens a support ticket linked to the order (staff decide and refund from the dashboard)",
      request: { params, ...jsonBody(ps.refundRequestBody) },
      responses: { 201: jsonResponse(ps.ticketDetailSchema, "Ticket opened") },
    },
  ),
  async (c) => {
    const u = me(c);
    const t = await requestRefund(getDb(c.env.DB), u.tenantId, u, c.req.valid("param").id, c.req.valid("json").message);
    return c.json(await ticketDetail(c, u.tenantId, t.id, u.id), 201);
  },
);

portalOrderRoutes.openapi(
  defineRoute(
    { auth: "enduser" },
    {
      method: "post",
      path: `${P}/orders/{id}/reorder`,
      tags,
      summary: "Buy again: a new checkout with the order's lines at today's prices (open checkout_url to pay)",
      request: { params },
      responses: { 201: jsonResponse(ps.reorderSchema, "Checkout created") },
    },
  ),
  async (c) => {
    const u = me(c);
    const db = getDb(c.env.DB);
    const co = await reorderMine(c.env, db, u.tenantId, u.id, c.req.valid("param").id);
    const { slug } = await getTenant(db, u.tenantId);
    return c.json(
      {
        checkout_id: co.id,
        checkout_url: `${appOrigin(c)}/checkout/${slug}/${co.id}`,
        total: co.totals.total,
        currency: co.currency,
        expires_at: new Date(co.expiresAt).toISOString(),
      },
      201,
    );
  },
);
