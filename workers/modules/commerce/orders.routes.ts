import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { createFulfilment } from "./fulfilment.service";
import { addNote, cancelOrder, resendReceipt } from "./orders.actions";
import { listOrders, orderDetail } from "./orders.read";
import {
  cancelInput,
  fulfilmentInput,
  noteInput,
  orderDetailSchema,
  orderListQuery,
  orderSchema,
  refundInput,
  refundSchema,
  timelineEventSchema,
} from "./orders.schemas";
import { startRefund } from "./refunds.service";

/** The staff orders API (mounted at /api/v1): list, detail with timeline, refunds, shipments, cancel, notes, receipts. */
export const orderRoutes = createRouter();

const tags = ["Commerce"];
const READ = { auth: "tenant", permission: "commerce:read" } as const;
const WRITE = { auth: "tenant", permission: "commerce:write" } as const;
const orderParam = idParam("id", "ord_01jd0000000000000000000000");
const notFoundDoc = { 404: problemDoc("No such order in this workspace") };

/** Who did it, for the order's timeline: the member's user id or the API key's id. */
const who = (c: Context<AppEnv>) => actorOf(c).id ?? "staff";

orderRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/commerce/orders",
    tags,
    summary: "Orders, newest first; filter by status, fulfilment, dates, customer email, or search by number / email",
    request: { query: orderListQuery },
    responses: { 200: jsonResponse(pageSchema(orderSchema), "A page of orders") },
  }),
  async (c) => c.json(await listOrders(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

orderRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/commerce/orders/{id}",
    tags,
    summary: "An order with its lines, timeline (oldest first), refunds and shipments",
    request: { params: orderParam },
    responses: { 200: jsonResponse(orderDetailSchema, "The order"), ...notFoundDoc },
  }),
  async (c) => c.json(await orderDetail(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id), 200),
);

orderRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/commerce/orders/{id}/refunds",
    tags,
    summary: "Refund in full or in part (by lines or an amount) through the order's payment provider",
    description: "The refund is `pending` until the provider confirms it (its webhook; the simulator confirms through its signed webhook).",
    request: { params: orderParam, ...jsonBody(refundInput) },
    responses: {
      201: jsonResponse(refundSchema, "The refund"),
      409: problemDoc("The order cannot be refunded (not paid)"),
      422: problemDoc("More than the refundable remainder"),
      502: problemDoc("The provider refused the refund"),
      ...notFoundDoc,
    },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const r = await startRefund(c.env, db, currentTenantId(c), c.req.valid("param").id, c.req.valid("json"), who(c), appOrigin(c));
    return c.json(
      {
        id: r.id,
        amount: r.amount,
        lines: r.lines,
        reason: r.reason,
        status: r.status,
        failure_reason: r.failureReason,
        created_at: new Date(r.createdAt).toISOString(),
      },
      201,
    );
  },
);

orderRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/commerce/orders/{id}/fulfilments",
    tags,
    summary: "Ship (some of) the physical items, with carrier and tracking; emails the buyer unless notify is false",
    request: { params: orderParam, ...jsonBody(fulfilmentInput) },
    responses: {
      200: jsonResponse(orderDetailSchema, "The order"),
      409: problemDoc("Not paid, or nothing left to ship"),
      ...notFoundDoc,
    },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const id = c.req.valid("param").id;
    await createFulfilment(c.env, db, tenantId, id, c.req.valid("json"), who(c));
    return c.json(await orderDetail(db, tenantId, id), 200);
  },
);

orderRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/commerce/orders/{id}/cancel",
    tags,
    summary: "Cancel: an unpaid order gives its stock back; a paid, unshipped order is refunded in full first",
    request: { params: orderParam, ...jsonBody(cancelInput) },
    responses: { 200: jsonResponse(orderDetailSchema, "The order"), 409: problemDoc("Shipped or already closed"), ...notFoundDoc },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const id = c.req.valid("param").id;
    await cancelOrder(c.env, db, tenantId, id, c.req.valid("json"), who(c), appOrigin(c));
    return c.json(await orderDetail(db, tenantId, id), 200);
  },
);

orderRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/commerce/orders/{id}/notes",
    tags,
    summary: "Add a note to the order's timeline",
    request: { params: orderParam, ...jsonBody(noteInput) },
    responses: { 201: jsonResponse(timelineEventSchema, "The timeline event"), ...notFoundDoc },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const tenantId = currentTenantId(c);
    const id = c.req.valid("param").id;
    await addNote(db, tenantId, id, c.req.valid("json").body, who(c));
    const events = (await orderDetail(db, tenantId, id)).events;
    return c.json(events.filter((e) => e.type === "note").at(-1) ?? events[events.length - 1], 201);
  },
);

orderRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/commerce/orders/{id}/resend-receipt",
    tags,
    summary: "Email the receipt to the buyer again",
    request: { params: orderParam },
    responses: { 202: jsonResponse(z.object({ queued: z.boolean() }), "Queued"), 409: problemDoc("Not paid"), ...notFoundDoc },
  }),
  async (c) => {
    await resendReceipt(c.env, currentTenantId(c), c.req.valid("param").id, who(c));
    return c.json({ queued: true }, 202);
  },
);
