// Invoice routes: list and detail, and the payment simulator (local only) collecting or failing the latest open invoice.
import { z } from "@hono/zod-openapi";
import { getDb } from "../../platform/db";
import { badRequest, conflict, notFound } from "../../platform/errors";
import { pageQuerySchema, pageSchema } from "../../platform/pagination";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { serializeSubscription } from "./billing.read";
import { billingConfig } from "./config";
import { getInvoice, listInvoices } from "./invoices.service";
import { collectOpenInvoice } from "./simulator";
import { getSubscription } from "./subscription.service";
import { currentTenantId } from "../../platform/auth";
import { invoiceDetailSchema, invoiceSchema, subscriptionSchema } from "./schemas";

export const invoiceRoutes = createRouter();

invoiceRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "billing:read" },
    {
      method: "get",
      path: "/billing/invoices",
      tags: ["Billing"],
      summary: "Invoices, newest first",
      request: { query: pageQuerySchema },
      responses: { 200: jsonResponse(pageSchema(invoiceSchema), "Invoices") },
    },
  ),
  async (c) => c.json(await listInvoices(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

invoiceRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "billing:read" },
    {
      method: "get",
      path: "/billing/invoices/{id}",
      tags: ["Billing"],
      summary: "An invoice with its lines (integer cents)",
      request: { params: z.object({ id: z.string().max(64) }) },
      responses: { 200: jsonResponse(invoiceDetailSchema, "Invoice") },
    },
  ),
  async (c) => c.json(await getInvoice(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id), 200),
);

invoiceRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "billing:manage" },
    {
      method: "post",
      path: "/billing/simulator/payment",
      tags: ["Billing"],
      summary: "Payment simulator (local only): collect or fail the latest open invoice via signed webhooks",
      request: jsonBody(z.object({ outcome: z.enum(["paid", "failed"]) }).openapi("SimulatePayment")),
      responses: {
        200: jsonResponse(z.object({ invoice_id: z.string(), subscription: subscriptionSchema }), "Done"),
        409: problemDoc("No open invoice"),
      },
    },
  ),
  async (c) => {
    const cfg = await billingConfig(c.env);
    if (!cfg.simulatorSecret) throw notFound("Route");
    const db = getDb(c.env.DB);
    const sub = await getSubscription(db, currentTenantId(c));
    if (sub.provider !== "simulator") throw badRequest("This workspace's subscription is not run by the payment simulator.");
    const inv = await collectOpenInvoice(
      c.env,
      db,
      appOrigin(c),
      currentTenantId(c),
      sub.providerSubscriptionId?.startsWith("I-") ? "paypal" : "stripe",
      c.req.valid("json").outcome,
    );
    // Paid invoices cannot fail after the fact; say how to get a failing charge instead of doing nothing.
    if (!inv)
      throw conflict(
        'Every invoice is paid, so there is no open invoice to collect or fail. Choose "Use a card that declines" under Payment method: the next renewal\'s charge then fails and dunning starts.',
        "no-open-invoice",
      );
    return c.json({ invoice_id: inv.id, subscription: serializeSubscription(await getSubscription(db, currentTenantId(c))) }, 200);
  },
);
