// The demo shop's order history (modules/commerce, part 2): 25 orders over the last 60 days in every
// state — paid, fulfilled with tracking, partially refunded, refunded, cancelled, payment failed,
// pending and expired — each with its checkout, lines, timeline events, refunds and fulfilments, so
// the dashboard's orders, customers and sales pages show something. Totals follow the pricing rules
// of docs/commerce.md (discount and tax computed once per order, split over the lines by largest
// remainder; NY tax exclusive, German VAT inclusive incl. shipping; US shipping free over $75).
// Fixed ids and ON CONFLICT DO NOTHING: a re-seed changes nothing.
import { createHash } from "node:crypto";
import { catalogueIndex, price } from "./commerce-prices.mjs";
import { insert, OWNER, raw, TENANT } from "./sql.mjs";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T = raw(TENANT);
const STAFF = raw(OWNER);

const ADDRESSES = {
  ny: { line1: "214 Bedford Ave", city: "Brooklyn", region: "NY", postal_code: "11249", country: "US" },
  ca: { line1: "1880 Mission St", city: "San Francisco", region: "CA", postal_code: "94103", country: "US" },
  or: { line1: "725 SE Alder St", city: "Portland", region: "OR", postal_code: "97214", country: "US" },
  tx: { line1: "1100 Congress Ave", city: "Austin", region: "TX", postal_code: "78701", country: "US" },
  de: { line1: "Oranienstraße 25", city: "Berlin", postal_code: "10999", country: "DE" },
};

/** [email, name, address, end user id | null] — some are the portal's demo end users (scripts/seed/endusers.mjs). */
const BUYERS = [
  ["maya.lindqvist@example.com", "Maya Lindqvist", "ny", "eu_demo_maya"],
  ["tomas.novak@example.com", "Tomáš Novák", "de", "eu_demo_tomas"],
  ["aiko.tanaka@example.com", "Aiko Tanaka", "ca", "eu_demo_aiko"],
  ["lucas.moreau@example.com", "Lucas Moreau", "or", "eu_demo_lucas"],
  ["grace.miller@example.com", "Grace Miller", "tx", null],
  ["oliver.brown@example.com", "Oliver Brown", "ny", null],
  ["sofia.rossi@example.com", "Sofia Rossi", "ca", null],
  ["hannah.klein@example.com", "Hannah Klein", "de", null],
  ["ravi.patel@example.com", "Ravi Patel", "ny", null],
  ["chloe.dubois@example.com", "Chloe Dubois", "or", null],
];

/**
 * The orders, oldest first: [days ago, buyer, lines [variant key, quantity], status, extras].
 * extras: coupon (WELCOME10), fulfil ("all" | "some"), refund ({ amount } | { lines: [[index, qty]] } | "all"),
 * reason (failure or cancellation), note.
 */
// biome-ignore format: one order per line reads as a table
const ORDERS = [
  [59, 0, [["everyday_mug_0", 2]], "fulfilled", { coupon: true, fulfil: "all" }],
  [57, 4, [["ramen_bowl_1", 1], ["espresso_cup_2", 2]], "fulfilled", { fulfil: "all" }],
  [54, 1, [["everyday_mug_1", 1], ["glaze_guide_0", 1]], "fulfilled", { fulfil: "all" }],
  [51, 5, [["salad_bowl_0", 1]], "refunded", { fulfil: "all", refund: "all", reason: "Arrived cracked; customer preferred a refund" }],
  [48, 2, [["glaze_guide_0", 1]], "paid", {}],
  [45, 6, [["gift_box_0", 1]], "fulfilled", { fulfil: "all", note: "Gift message: 'Happy housewarming, Sam!'" }],
  [42, 8, [["espresso_cup_0", 4]], "partially_refunded", { fulfil: "all", refund: { lines: [[0, 1]] }, reason: "One cup chipped in transit" }],
  [40, 3, [["ramen_bowl_0", 2], ["everyday_mug_2", 1]], "fulfilled", { coupon: true, fulfil: "all" }],
  [37, 9, [["everyday_mug_0", 1]], "cancelled", { reason: "Customer ordered the wrong glaze" }],
  [34, 7, [["salad_bowl_2", 1], ["ramen_bowl_2", 1]], "fulfilled", { coupon: true, fulfil: "all" }],
  [31, 0, [["glaze_guide_0", 1]], "paid", {}],
  [28, 4, [["espresso_cup_1", 2], ["everyday_mug_1", 2]], "fulfilled", { fulfil: "all" }],
  [25, 5, [["ramen_bowl_1", 1]], "expired", {}],
  [22, 6, [["salad_bowl_1", 1]], "partially_refunded", { fulfil: "all", refund: { amount: 1500 }, reason: "Goodwill credit: glaze flaw" }],
  [19, 1, [["gift_box_0", 1], ["glaze_guide_0", 1]], "fulfilled", { fulfil: "all" }],
  [16, 8, [["everyday_mug_0", 3]], "refunded", { refund: "all", reason: "Duplicate order" }],
  [13, 2, [["espresso_cup_2", 2], ["ramen_bowl_0", 1]], "paid", { fulfil: "some" }],
  [11, 9, [["everyday_mug_2", 1]], "payment_failed", { reason: "Card declined (simulator)" }],
  [9, 3, [["salad_bowl_0", 1]], "fulfilled", { fulfil: "all" }],
  [7, 7, [["everyday_mug_1", 2]], "paid", {}],
  [5, 0, [["ramen_bowl_1", 2], ["espresso_cup_0", 2]], "partially_refunded", { refund: { lines: [[1, 2]] }, reason: "Cups out of stock after all" }],
  [3, 4, [["gift_box_0", 1]], "cancelled", { reason: "Payment not completed in time", unpaid: true }],
  [2, 6, [["glaze_guide_0", 1]], "expired", {}],
  [1, 5, [["espresso_cup_1", 1], ["everyday_mug_0", 1]], "paid", {}],
  [0.02, 9, [["ramen_bowl_2", 1]], "pending", {}],
];

const token = (seed) => createHash("sha256").update(`weft-demo-order:${seed}`).digest("base64url").slice(0, 32);
const DONE = new Set(["paid", "fulfilled", "partially_refunded", "refunded"]);

export function commerceOrdersSql({ now, products, glazes }) {
  const cat = catalogueIndex(products, glazes);
  const checkouts = [];
  const orders = [];
  const orderLines = [];
  const events = [];
  const refunds = [];
  const fulfilments = [];
  const redemptions = [];
  ORDERS.forEach(([daysAgo, buyer, items, status, x], i) => {
    const number = 1001 + i;
    const id = `ord_demo_${number}`;
    const checkoutId = `chk_demo_${number}`;
    const [email, name, addressKey, endUserId] = BUYERS[buyer];
    const currency = addressKey === "de" ? "EUR" : "USD";
    const p = price(cat, items, currency, addressKey, !!x.coupon);
    const physical = p.lines.some((l) => l.type === "physical");
    const address = physical ? { name, ...ADDRESSES[addressKey] } : null;
    const created = now - Math.round(daysAgo * DAY);
    const paidAt = DONE.has(status) || (status === "cancelled" && !x.unpaid) ? created + 2 * MIN : null;
    const customerKey = endUserId ? `user:${endUserId}` : `email:${email}`;
    let seq = 0;
    const event = (type, at, actor, detail = {}) =>
      events.push({
        tenant_id: T,
        id: `oev_demo_${number}_${String(seq++).padStart(2, "0")}`,
        order_id: id,
        type,
        actor,
        detail,
        created_at: at,
      });

    const lineRows = p.lines.map((l, position) => ({
      tenant_id: T,
      id: `oli_demo_${number}_${position}`,
      order_id: id,
      product_id: l.productId,
      variant_id: `var_demo_${l.key}`,
      title: l.title,
      variant_title: l.variantTitle,
      sku: l.sku,
      type: l.type,
      digital_file_id: null,
      quantity: l.quantity,
      unit_amount: l.unit,
      discount: l.discount,
      tax: l.tax,
      total: l.total,
      fulfilled_quantity: 0,
      refunded_quantity: 0,
      position,
    }));

    event("created", created, "customer", { provider: "simulator", total: p.total, currency });
    event("payment_started", created + MIN, "customer", { provider: "simulator", payment_id: `sim_pi_demo_${number}` });
    let fulfilmentStatus = physical ? "unfulfilled" : "not_required";
    let fulfilledAt = null;
    let refunded = 0;
    let refundedAt = null;
    let cancelledAt = null;
    let failure = null;
    if (paidAt) {
      event("paid", paidAt, "provider:simulator", { amount: p.total, currency, payment_id: `sim_pi_demo_${number}` });
      event("receipt_sent", paidAt + MIN, "system", { to: email });
      if (x.coupon) event("coupon_redeemed", paidAt, "system", { code: "WELCOME10" });
    }
    if (x.fulfil && physical) {
      const at = paidAt + (2 + (i % 3)) * DAY;
      const ship = lineRows.filter((l) => l.type === "physical").slice(0, x.fulfil === "some" ? 1 : undefined);
      for (const l of ship) l.fulfilled_quantity = l.quantity;
      const tracking = `1Z999AA1${String(10_000_000 + number * 7919).slice(-8)}`;
      fulfilments.push({
        tenant_id: T,
        id: `ful_demo_${number}`,
        order_id: id,
        lines: ship.map((l) => ({ line_id: l.id, quantity: l.quantity })),
        carrier: currency === "EUR" ? "DHL" : "UPS",
        tracking_number: tracking,
        tracking_url: `https://www.ups.com/track?tracknum=${tracking}`,
        created_by: STAFF,
        created_at: at,
      });
      event("fulfilled", at, STAFF, {
        fulfilment_id: `ful_demo_${number}`,
        carrier: currency === "EUR" ? "DHL" : "UPS",
        tracking_number: tracking,
      });
      event("shipping_email_sent", at + MIN, "system", { to: email });
      const physicalLines = lineRows.filter((l) => l.type === "physical");
      fulfilmentStatus = physicalLines.every((l) => l.fulfilled_quantity === l.quantity) ? "fulfilled" : "partial";
      if (fulfilmentStatus === "fulfilled") fulfilledAt = at;
    }
    if (x.refund) {
      const at = (fulfilledAt ?? paidAt) + DAY;
      let amount;
      let lines = [];
      if (x.refund === "all") amount = p.total;
      else if (x.refund.amount) amount = x.refund.amount;
      else {
        lines = x.refund.lines.map(([index, qty]) => ({ line_id: lineRows[index].id, quantity: qty }));
        // A line refund gives back that share of the line's total (what the buyer paid for those units).
        amount = x.refund.lines.reduce((s, [index, qty]) => s + Math.floor((lineRows[index].total * qty) / lineRows[index].quantity), 0);
        for (const [index, qty] of x.refund.lines) lineRows[index].refunded_quantity = qty;
      }
      if (x.refund === "all") for (const l of lineRows) l.refunded_quantity = l.quantity;
      refunded = amount;
      refundedAt = at;
      refunds.push({
        tenant_id: T,
        id: `rfd_demo_${number}`,
        order_id: id,
        amount,
        lines,
        restock: false,
        reason: x.reason ?? "",
        status: "succeeded",
        provider_refund_id: `sim_re_demo_${number}`,
        idempotency_key: `rfd-demo-${number}`,
        failure_reason: null,
        created_by: STAFF,
        created_at: at,
        updated_at: at + MIN,
      });
      event("refund_requested", at, STAFF, { refund_id: `rfd_demo_${number}`, amount, reason: x.reason ?? "" });
      event("refunded", at + MIN, "provider:simulator", { refund_id: `rfd_demo_${number}`, amount, total_refunded: amount });
      event("refund_email_sent", at + 2 * MIN, "system", { to: email });
    }
    if (status === "cancelled") {
      cancelledAt = created + (x.unpaid ? 20 * MIN : 3 * HOUR);
      if (!x.unpaid) {
        // A paid, unfulfilled order cancelled: refunded in full first, then cancelled (docs/commerce-api.md).
        refunded = p.total;
        refundedAt = cancelledAt;
        for (const l of lineRows) l.refunded_quantity = l.quantity;
        refunds.push({
          tenant_id: T,
          id: `rfd_demo_${number}`,
          order_id: id,
          amount: p.total,
          lines: [],
          restock: true,
          reason: x.reason,
          status: "succeeded",
          provider_refund_id: `sim_re_demo_${number}`,
          idempotency_key: `rfd-demo-${number}`,
          failure_reason: null,
          created_by: STAFF,
          created_at: cancelledAt,
          updated_at: cancelledAt + MIN,
        });
        event("refunded", cancelledAt + MIN, "provider:simulator", {
          refund_id: `rfd_demo_${number}`,
          amount: p.total,
          total_refunded: p.total,
        });
      }
      event("cancelled", cancelledAt, x.unpaid ? "system" : STAFF, { reason: x.reason, restocked: true });
    }
    if (status === "payment_failed") {
      failure = x.reason;
      event("payment_failed", created + 2 * MIN, "provider:simulator", { reason: x.reason });
    }
    if (status === "expired")
      event("expired", created + 15 * MIN, "system", { reason: "The checkout's stock hold ran out before payment" });
    if (x.note) event("note", (paidAt ?? created) + 5 * MIN, STAFF, { body: x.note });
    orderLines.push(...lineRows);
    orders.push({
      tenant_id: T,
      id,
      number,
      checkout_id: checkoutId,
      cart_id: null,
      end_user_id: endUserId,
      email,
      customer_key: customerKey,
      currency,
      subtotal: p.subtotal,
      discount: p.discount,
      shipping: p.shipping,
      tax: p.tax,
      total: p.total,
      refunded,
      coupon_code: x.coupon ? "WELCOME10" : null,
      shipping_address: address,
      shipping_rate_id: physical ? (currency === "EUR" ? "shr_demo_eu_post" : "shr_demo_us_flat") : null,
      shipping_name: p.shippingName,
      status,
      fulfilment_status: fulfilmentStatus,
      provider: "simulator",
      provider_payment_id: `sim_pi_demo_${number}`,
      provider_capture_id: null,
      idempotency_key: `ord-demo-${number}`,
      access_token: token(number),
      failure_reason: failure,
      receipt_sent_at: paidAt ? paidAt + MIN : null,
      paid_at: paidAt,
      fulfilled_at: fulfilledAt,
      cancelled_at: cancelledAt,
      refunded_at: refundedAt,
      created_at: created,
      updated_at: Math.max(created, paidAt ?? 0, fulfilledAt ?? 0, refundedAt ?? 0, cancelledAt ?? 0),
    });
    const checkoutStatus = status === "expired" ? "expired" : status === "pending" || status === "payment_failed" ? "paying" : "completed";
    checkouts.push({
      tenant_id: T,
      id: checkoutId,
      cart_id: null,
      end_user_id: endUserId,
      email,
      customer_key: customerKey,
      currency,
      shipping_address: address,
      shipping_rate_id: physical ? (currency === "EUR" ? "shr_demo_eu_post" : "shr_demo_us_flat") : null,
      coupon_code: x.coupon ? "WELCOME10" : null,
      lines: p.lines.map((l) => ({
        variant_id: `var_demo_${l.key}`,
        product_id: l.productId,
        title: l.title,
        variant_title: l.variantTitle,
        sku: l.sku,
        type: l.type,
        digital_file_id: null,
        image_file_id: null,
        weight_grams: l.grams,
        quantity: l.quantity,
        unit_amount: l.unit,
        discount: l.discount,
        tax: l.tax,
        total: l.total,
      })),
      totals: {
        subtotal: p.subtotal,
        discount: p.discount,
        shipping: p.shipping,
        tax: p.tax,
        total: p.total,
        tax_inclusive: p.inclusive,
        requires_shipping: physical,
      },
      status: checkoutStatus,
      order_id: id,
      success_url: null,
      cancel_url: null,
      // A pending order's checkout still holds its stock for a few minutes; the others ran out long ago.
      expires_at: status === "pending" ? now + 12 * MIN : created + 15 * MIN,
      created_at: created,
      updated_at: created + MIN,
    });
    if (x.coupon && paidAt)
      redemptions.push({
        tenant_id: T,
        id: `cpr_demo_${number}`,
        coupon_id: "cpn_demo_welcome",
        customer_key: customerKey,
        checkout_id: checkoutId,
        status: "redeemed",
        expires_at: created + 15 * MIN,
        created_at: created,
        updated_at: paidAt,
      });
  });
  return [
    insert("commerce_checkouts", checkouts),
    insert("commerce_orders", orders),
    insert("commerce_order_lines", orderLines),
    insert("commerce_order_events", events),
    insert("commerce_refunds", refunds),
    insert("commerce_fulfilments", fulfilments),
    insert("commerce_coupon_redemptions", redemptions),
    // The welcome coupon's usage count follows its redemptions (inserted above, once).
    `UPDATE commerce_coupons SET redeemed_count = (SELECT count(*) FROM commerce_coupon_redemptions r
  WHERE r.tenant_id = commerce_coupons.tenant_id AND r.coupon_id = commerce_coupons.id AND r.status != 'released')
WHERE tenant_id = ${TENANT} AND id = 'cpn_demo_welcome';`,
  ].join("\n");
}
