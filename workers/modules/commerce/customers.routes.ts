import { currentTenantId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { pageSchema } from "../../platform/pagination";
import { createRouter, defineRoute, jsonResponse, problemDoc } from "../../platform/router";
import { customerDetailSchema, customerKeyParam, customerListQuery, customerSchema } from "./customers.schemas";
import { getCustomer, listCustomers } from "./customers.service";
import { salesQuery, salesSchema } from "./sales.schemas";
import { salesFigures } from "./sales.service";

/** Read-only views over the orders for a workspace's staff (mounted at /api/v1): customers and sales figures. */
export const customerRoutes = createRouter();

const tags = ["Commerce"];
const READ = { auth: "tenant", permission: "commerce:read" } as const;

customerRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/commerce/customers",
    tags,
    summary: "Customers (everyone with a paid order): orders, lifetime value per currency, last order; most recent buyer first",
    request: { query: customerListQuery },
    responses: { 200: jsonResponse(pageSchema(customerSchema), "A page of customers") },
  }),
  async (c) => c.json(await listCustomers(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);
customerRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/commerce/customers/{key}",
    tags,
    summary: "A customer (by key: user:<end user id> or email:<address>, URL-encoded) and all their orders",
    request: { params: customerKeyParam },
    responses: { 200: jsonResponse(customerDetailSchema, "The customer and their orders"), 404: problemDoc("No order with this key") },
  }),
  async (c) => c.json(await getCustomer(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").key), 200),
);
customerRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/commerce/sales",
    tags,
    summary:
      "Sales figures in one currency: revenue (net of refunds), orders, average order value and refunds per day/week/month (UTC, zero-filled)",
    request: { query: salesQuery },
    responses: { 200: jsonResponse(salesSchema, "The series and its totals") },
  }),
  async (c) => c.json(await salesFigures(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);
