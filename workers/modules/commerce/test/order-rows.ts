import { env } from "cloudflare:workers";
import { commerceOrderLines, commerceOrders } from "../../../../schema/commerce-orders";
import { getDb } from "../../../platform/db";
import { newId } from "../../../platform/ids";

/**
 * Order rows written straight into D1 (no checkout, no provider) for the read-only views over
 * orders — customers and sales — whose figures depend only on these columns.
 */
export interface OrderRow {
  email: string;
  total: number;
  status?: (typeof commerceOrders.$inferInsert)["status"];
  currency?: string;
  refunded?: number;
  paidAt?: number | null;
  createdAt?: number;
  endUserId?: string | null;
  name?: string;
  quantity?: number;
  /** A real variant (e.g. for "buy again"); default a made-up one. */
  variantId?: string;
  productId?: string;
}

const numbers = new Map<string, number>();

export async function insertOrder(tenantId: string, o: OrderRow): Promise<{ id: string; number: number }> {
  const db = getDb(env.DB);
  const id = newId("ord");
  const number = (numbers.get(tenantId) ?? 1000) + 1;
  numbers.set(tenantId, number);
  const status = o.status ?? "paid";
  const createdAt = o.createdAt ?? Date.now();
  const paidAt = o.paidAt === undefined ? (["pending", "payment_failed", "expired"].includes(status) ? null : createdAt) : o.paidAt;
  await db.batch([
    db.insert(commerceOrders).values({
      tenantId,
      id,
      number,
      checkoutId: newId("chk"),
      email: o.email,
      endUserId: o.endUserId ?? null,
      customerKey: o.endUserId ? `user:${o.endUserId}` : `email:${o.email.toLowerCase()}`,
      currency: o.currency ?? "USD",
      subtotal: o.total,
      total: o.total,
      refunded: o.refunded ?? 0,
      shippingAddress: o.name ? { name: o.name, line1: "1 Main St", city: "Springfield", postal_code: "12345", country: "US" } : null,
      status,
      provider: "simulator",
      idempotencyKey: newId("idem"),
      accessToken: newId("tok"),
      paidAt,
      createdAt,
      updatedAt: createdAt,
    }),
    db.insert(commerceOrderLines).values({
      tenantId,
      id: newId("oln"),
      orderId: id,
      productId: o.productId ?? "prod_test",
      variantId: o.variantId ?? "var_test",
      title: "Test item",
      sku: "TEST",
      type: "physical",
      quantity: o.quantity ?? 1,
      unitAmount: o.total,
      total: o.total,
    }),
  ]);
  return { id, number };
}
