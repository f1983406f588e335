import type { z } from "@hono/zod-openapi";
import { and, desc, eq, sql } from "drizzle-orm";
import { commerceOrders } from "../../../schema/commerce-orders";
import type { Db } from "../../platform/db";
import { badRequest, notFound } from "../../platform/errors";
import { iso } from "../../platform/request";
import { toPage } from "../../platform/pagination";
import { SALE_STATUSES, type customerListQuery, type customerOrderSchema, type customerSchema } from "./customers.schemas";

/**
 * Customers are read from the orders themselves (no table of their own): one per `customer_key`
 * (`user:<end user id>` or `email:<address>`), over their paid orders — paid, fulfilled, partially
 * refunded — with their lifetime value per currency net of refunds. Read-only.
 */
type Customer = z.infer<typeof customerSchema>;
type CustomerOrder = z.infer<typeof customerOrderSchema>;

// A constant list, inlined: the page's statement stays well under D1's 100 bound parameters.
const SALE_IN = sql.raw(`(${SALE_STATUSES.map((s) => `'${s}'`).join(", ")})`);

interface CustomerRow {
  customer_key: string;
  orders: number;
  first_order_at: number;
  last_order_at: number;
  value: string; // JSON [{currency, amount}]
  email: string;
  name: string | null;
  end_user_id: string | null;
}

/** The cursor of toPage (base64url of "<ms>:<key>"), read back. */
function decodeCursor(cursor: string): [number, string] {
  try {
    const raw = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const sep = raw.indexOf(":");
    const at = Number(raw.slice(0, sep));
    const key = raw.slice(sep + 1);
    if (sep < 1 || !Number.isFinite(at) || !key) throw new Error("bad");
    return [at, key];
  } catch {
    throw badRequest("The cursor is not valid; pass `next_cursor` from a previous page unchanged.");
  }
}

const likePattern = (q: string) => `%${q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;

/**
 * The grouped statement: per customer (and per currency inside), then folded to one row per
 * customer with its value as a JSON array. The latest order supplies the email, name and end user.
 */
function customerRows(db: Db, tenantId: string, opts: { key?: string; q?: string; cursor?: string; limit: number }) {
  const where = [sql`o.tenant_id = ${tenantId}`, sql`o.status IN ${SALE_IN}`];
  if (opts.key) where.push(sql`o.customer_key = ${opts.key}`);
  if (opts.q) {
    const p = likePattern(opts.q);
    where.push(
      sql`(lower(o.email) LIKE ${p} ESCAPE '\\' OR lower(coalesce(json_extract(o.shipping_address, '$.name'), '')) LIKE ${p} ESCAPE '\\')`,
    );
  }
  let having = sql``;
  if (opts.cursor) {
    const [at, key] = decodeCursor(opts.cursor);
    having = sql`HAVING max(last_at) < ${at} OR (max(last_at) = ${at} AND customer_key < ${key})`;
  }
  return db.all<CustomerRow>(sql`
    SELECT customer_key, sum(n) AS orders, min(first_at) AS first_order_at, max(last_at) AS last_order_at,
           json_group_array(json_object('currency', currency, 'amount', amount)) AS value,
           (SELECT l.email FROM commerce_orders l WHERE l.tenant_id = ${tenantId} AND l.customer_key = g.customer_key
             ORDER BY l.created_at DESC LIMIT 1) AS email,
           (SELECT json_extract(l.shipping_address, '$.name') FROM commerce_orders l
             WHERE l.tenant_id = ${tenantId} AND l.customer_key = g.customer_key AND l.shipping_address IS NOT NULL
             ORDER BY l.created_at DESC LIMIT 1) AS name,
           (SELECT l.end_user_id FROM commerce_orders l WHERE l.tenant_id = ${tenantId} AND l.customer_key = g.customer_key
             AND l.end_user_id IS NOT NULL ORDER BY l.created_at DESC LIMIT 1) AS end_user_id
    FROM (SELECT o.customer_key, o.currency, count(*) AS n, sum(o.total - o.refunded) AS amount,
                 min(o.created_at) AS first_at, max(o.created_at) AS last_at
          FROM commerce_orders o WHERE ${sql.join(where, sql` AND `)}
          GROUP BY o.customer_key, o.currency) g
    GROUP BY customer_key ${having}
    ORDER BY last_order_at DESC, customer_key DESC
    LIMIT ${opts.limit + 1}`);
}

function serializeCustomer(r: CustomerRow): Customer {
  const value = (JSON.parse(r.value) as { currency: string; amount: number }[]).sort(
    (a, b) => b.amount - a.amount || a.currency.localeCompare(b.currency),
  );
  return {
    key: r.customer_key,
    email: r.email,
    name: r.name || null,
    end_user_id: r.end_user_id,
    orders: Number(r.orders),
    lifetime_value: value,
    first_order_at: iso(r.first_order_at),
    last_order_at: iso(r.last_order_at),
  };
}

/** Customers with at least one paid order, most recent buyer first; q matches email or name. */
export async function listCustomers(db: Db, tenantId: string, q: z.infer<typeof customerListQuery>) {
  const rows = await customerRows(db, tenantId, { q: q.q || undefined, cursor: q.cursor, limit: q.limit });
  return toPage(rows, q.limit, (r) => ({ createdAt: r.last_order_at, id: r.customer_key }), serializeCustomer);
}

/** One customer and all their orders (any status; a customer whose orders all failed shows 0 paid). */
export async function getCustomer(db: Db, tenantId: string, key: string): Promise<{ customer: Customer; orders: CustomerOrder[] }> {
  const orders = await db
    .select({
      id: commerceOrders.id,
      number: commerceOrders.number,
      status: commerceOrders.status,
      fulfilmentStatus: commerceOrders.fulfilmentStatus,
      currency: commerceOrders.currency,
      total: commerceOrders.total,
      refunded: commerceOrders.refunded,
      email: commerceOrders.email,
      endUserId: commerceOrders.endUserId,
      createdAt: commerceOrders.createdAt,
      paidAt: commerceOrders.paidAt,
      // Raw names: drizzle renders its columns unqualified here, which the subquery would read as its own.
      items: sql<number>`(SELECT coalesce(sum(li.quantity), 0) FROM commerce_order_lines li
        WHERE li.tenant_id = commerce_orders.tenant_id AND li.order_id = commerce_orders.id)`,
    })
    .from(commerceOrders)
    .where(and(eq(commerceOrders.tenantId, tenantId), eq(commerceOrders.customerKey, key)))
    .orderBy(desc(commerceOrders.createdAt), desc(commerceOrders.id))
    .limit(200);
  const latest = orders[0];
  if (!latest) throw notFound("Customer");
  const [row] = await customerRows(db, tenantId, { key, limit: 1 });
  const customer: Customer = row
    ? serializeCustomer(row)
    : {
        key,
        email: latest.email,
        name: null,
        end_user_id: latest.endUserId,
        orders: 0,
        lifetime_value: [],
        first_order_at: null,
        last_order_at: null,
      };
  return {
    customer,
    orders: orders.map((o) => ({
      id: o.id,
      number: o.number,
      status: o.status,
      fulfilment_status: o.fulfilmentStatus,
      currency: o.currency,
      total: o.total,
      refunded: o.refunded,
      item_count: Number(o.items),
      created_at: new Date(o.createdAt).toISOString(),
      paid_at: iso(o.paidAt),
    })),
  };
}
