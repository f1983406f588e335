import type { EndUserRef } from "../../platform/end-user-hooks";
import type { Env } from "../../platform/env";
import { randomToken } from "../../platform/ids";

/**
 * Commerce's part of an end user's GDPR erase (to be registered in workers/compose.ts with
 * platform/end-user-hooks.ts; modules/endusers runs it before the account goes): their carts —
 * signed-in ones and anonymous ones carrying their email — are deleted with their lines, and their
 * coupon uses lose the link to them (the customer key becomes a random `erased:…`, so the coupon's
 * total count stays right). One batch; idempotent (a second run finds nothing). Orders (part 2)
 * will be anonymised here too, keeping amounts for the books.
 */
export async function eraseCommerceEndUser(env: Env, user: EndUserRef): Promise<number> {
  const d1 = env.DB;
  const email = user.email.trim().toLowerCase();
  const carts = "SELECT id FROM commerce_carts WHERE tenant_id = ?1 AND (end_user_id = ?2 OR lower(email) = ?3)";
  const results = await d1.batch([
    d1.prepare(`DELETE FROM commerce_cart_lines WHERE tenant_id = ?1 AND cart_id IN (${carts})`).bind(user.tenantId, user.endUserId, email),
    d1
      .prepare("DELETE FROM commerce_carts WHERE tenant_id = ?1 AND (end_user_id = ?2 OR lower(email) = ?3)")
      .bind(user.tenantId, user.endUserId, email),
    d1
      .prepare(
        "UPDATE commerce_coupon_redemptions SET customer_key = ?4 WHERE tenant_id = ?1 AND customer_key IN ('user:' || ?2, 'email:' || ?3)",
      )
      .bind(user.tenantId, user.endUserId, email, `erased:${randomToken(12)}`),
  ]);
  return results.reduce((n, r) => n + (r.meta.changes ?? 0), 0);
}
