import type { EndUserRef } from "../../platform/end-user-hooks";
import type { Env } from "../../platform/env";
import { randomToken } from "../../platform/ids";

/**
 * Commerce's part of an end user's GDPR erase (registered in workers/compose.ts with
 * platform/end-user-hooks.ts; modules/endusers runs it before the account goes): their carts —
 * signed-in ones and anonymous ones carrying their email — are deleted with their lines; their
 * coupon uses lose the link to them (the customer key becomes a random `erased:…`, so the
 * coupon's total count stays right); their orders are anonymised — email, name, address, end-user
 * link and customer key replaced, amounts, lines and dates kept for the books — and their checkouts
 * lose the same personal fields. One batch; idempotent (a second run finds nothing).
 */
export async function eraseCommerceEndUser(env: Env, user: EndUserRef): Promise<number> {
  const d1 = env.DB;
  const email = user.email.trim().toLowerCase();
  const carts = "SELECT id FROM commerce_carts WHERE tenant_id = ?1 AND (end_user_id = ?2 OR lower(email) = ?3)";
  const erased = `erased:${randomToken(12)}`;
  const results = await d1.batch([
    d1.prepare(`DELETE FROM commerce_cart_lines WHERE tenant_id = ?1 AND cart_id IN (${carts})`).bind(user.tenantId, user.endUserId, email),
    d1
      .prepare("DELETE FROM commerce_carts WHERE tenant_id = ?1 AND (end_user_id = ?2 OR lower(email) = ?3)")
      .bind(user.tenantId, user.endUserId, email),
    d1
      .prepare(
        "UPDATE commerce_coupon_redemptions SET customer_key = ?4 WHERE tenant_id = ?1 AND customer_key IN ('user:' || ?2, 'email:' || ?3)",
      )
      .bind(user.tenantId, user.endUserId, email, erased),
    d1
      .prepare(
        `UPDATE commerce_orders SET email = ?4 || '@erased.invalid', customer_key = ?4, end_user_id = NULL, shipping_address = NULL,
           shipping_name = NULL, updated_at = ?5
         WHERE tenant_id = ?1 AND (end_user_id = ?2 OR lower(email) = ?3)`,
      )
      .bind(user.tenantId, user.endUserId, email, erased, Date.now()),
    d1
      .prepare(
        `UPDATE commerce_checkouts SET email = NULL, customer_key = NULL, end_user_id = NULL, shipping_address = NULL, updated_at = ?4
         WHERE tenant_id = ?1 AND (end_user_id = ?2 OR lower(email) = ?3)`,
      )
      .bind(user.tenantId, user.endUserId, email, Date.now()),
    // Subscriptions: anonymised like orders (amounts, periods and invoices kept). The provider's
    // subscription is not cancelled by an erase: staff cancel it first if the customer asks.
    d1
      .prepare(
        `UPDATE commerce_subscriptions SET email = ?4 || '@erased.invalid', customer_key = ?4, end_user_id = NULL, updated_at = ?5
         WHERE tenant_id = ?1 AND (end_user_id = ?2 OR lower(email) = ?3)`,
      )
      .bind(user.tenantId, user.endUserId, email, erased, Date.now()),
  ]);
  return results.reduce((n, r) => n + (r.meta.changes ?? 0), 0);
}

/** Customer source for the portal's "existing customers only" sign-up: an email with a paid order. */
export async function isCommerceCustomer(env: Env, tenantId: string, email: string): Promise<boolean> {
  const row = await env.DB.prepare(
    `SELECT 1 AS hit FROM commerce_orders WHERE tenant_id = ?1 AND email = ?2 AND paid_at IS NOT NULL LIMIT 1`,
  )
    .bind(tenantId, email.trim().toLowerCase())
    .first<{ hit: number }>();
  return !!row;
}
