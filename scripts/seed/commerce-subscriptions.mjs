// The demo shop's subscriptions (modules/commerce, part 3): a recurring product, "Coffee club,
// monthly" (a bag of beans a month, two roasts), and three subscriptions on the payment simulator
// owned by the portal's demo end users (scripts/seed/endusers.mjs), with the rows the lifecycle
// writes (docs/commerce.md, "Subscriptions"): each started by a paid checkout whose order is the
// first period (shipped), a subscription row with the simulator's ids, its invoice rows (first
// period and renewals) and the lines a renewal or a cancel adds to the first order's timeline.
//  - Maya: active, renewed once (paid);
//  - Tomáš: active but cancelled at the period's end from the portal (it ends in ~12 days);
//  - Aiko: past due — the renewal two days ago failed.
// The simulator's dev control (Sell › Subscriptions › one › "Simulate renewal") moves them on.
// Fixed ids and ON CONFLICT DO NOTHING: a re-seed changes nothing.
import { createHash } from "node:crypto";
import { price } from "./commerce-prices.mjs";
import { insert, OWNER, raw, TENANT } from "./sql.mjs";

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T = raw(TENANT);
const PRODUCT = "prod_demo_coffee_club";
const ROASTS = [
  ["Espresso roast", "COFFEE-CLUB-ESP"],
  ["Filter roast", "COFFEE-CLUB-FIL"],
];
const GRAMS = 300;
const USD = 2400;
const EUR = 2200;

const ADDRESSES = {
  ny: { line1: "214 Bedford Ave", city: "Brooklyn", region: "NY", postal_code: "11249", country: "US" },
  de: { line1: "Oranienstraße 25", city: "Berlin", postal_code: "10999", country: "DE" },
  ca: { line1: "1880 Mission St", city: "San Francisco", region: "CA", postal_code: "94103", country: "US" },
};

/** [id suffix, order number, end user, email, name, address, roast, days ago started, story] */
const SUBSCRIPTIONS = [
  ["maya", 1026, "eu_demo_maya", "maya.lindqvist@example.com", "Maya Lindqvist", "ny", 0, 40, "renewed"],
  ["tomas", 1027, "eu_demo_tomas", "tomas.novak@example.com", "Tomáš Novák", "de", 1, 18, "ending"],
  ["aiko", 1028, "eu_demo_aiko", "aiko.tanaka@example.com", "Aiko Tanaka", "ca", 1, 33, "past_due"],
];

/** The lifecycle's month: the same day next month, or that month's last day (subscriptions.service.ts addInterval). */
function addMonth(start) {
  const d = new Date(start);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + 1);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime();
}

const token = (seed) => createHash("sha256").update(`weft-demo-order:${seed}`).digest("base64url").slice(0, 32);

function catalogueSql(created) {
  const product = {
    tenant_id: T,
    id: PRODUCT,
    title: "Coffee club, monthly",
    slug: "coffee-club-monthly",
    description:
      "A 250 g bag of freshly roasted beans from our neighbours at Kiln Coffee, every month, to drink from your mugs. Pick a roast; cancel any time from your customer portal.",
    status: "active",
    type: "physical",
    digital_file_id: null,
    images: [],
    options: ["Roast"],
    weight_grams: GRAMS,
    keywords: ROASTS.map(([title, sku]) => `${sku} ${title}`).join(" "),
    created_at: created,
    updated_at: created,
  };
  const variants = ROASTS.map(([title, sku], position) => ({
    tenant_id: T,
    id: `var_demo_coffee_club_${position}`,
    product_id: PRODUCT,
    title,
    sku,
    options: { Roast: title },
    position,
    weight_grams: null,
    // Roasted to order: no stock to count.
    track_inventory: false,
    on_hand: 0,
    reserved: 0,
    created_at: created,
    updated_at: created,
  }));
  const prices = variants.flatMap((v) =>
    [
      ["USD", USD],
      ["EUR", EUR],
    ].map(([currency, amount]) => ({ tenant_id: T, variant_id: v.id, currency, product_id: PRODUCT, amount, compare_at_amount: null })),
  );
  return [
    insert("commerce_products", [product]),
    insert("commerce_variants", variants),
    insert("commerce_variant_prices", prices),
    insert("commerce_subscription_plans", [
      { tenant_id: T, product_id: PRODUCT, interval: "month", interval_count: 1, trial_days: 0, created_at: created, updated_at: created },
    ]),
  ];
}

export function commerceSubscriptionsSql({ now }) {
  const out = catalogueSql(now - 45 * DAY);
  const checkouts = [];
  const orders = [];
  const lines = [];
  const events = [];
  const fulfilments = [];
  const subs = [];
  const invoices = [];
  for (const [key, number, endUserId, email, name, addressKey, roast, daysAgo, story] of SUBSCRIPTIONS) {
    const [roastTitle, sku] = ROASTS[roast];
    const variantKey = `coffee_club_${roast}`;
    const currency = addressKey === "de" ? "EUR" : "USD";
    const cat = { [variantKey]: [PRODUCT, "Coffee club, monthly", roastTitle, sku, "physical", GRAMS, USD, EUR] };
    const p = price(cat, [[variantKey, 1]], currency, addressKey, false);
    const l = p.lines[0];
    const id = `sub_demo_${key}`;
    const simId = `sub_sim_demo_${key}`; // the simulator's id for our sub_… (payments/simulator-subscriptions.ts)
    const orderId = `ord_demo_${number}`;
    const checkoutId = `chk_demo_${number}`;
    const customerKey = `user:${endUserId}`;
    const address = { name, ...ADDRESSES[addressKey] };
    const created = now - daysAgo * DAY - 3 * HOUR;
    const paidAt = created + 2 * MIN;
    const shippedAt = paidAt + 2 * DAY;
    const firstEnd = addMonth(paidAt);
    let seq = 0;
    const event = (type, at, actor, detail = {}) =>
      events.push({
        tenant_id: T,
        id: `oev_demo_${number}_${String(seq++).padStart(2, "0")}`,
        order_id: orderId,
        type,
        actor,
        detail,
        created_at: at,
      });
    const invoice = (suffix, kind, status, start, end, at) =>
      invoices.push({
        tenant_id: T,
        id: `sinv_demo_${key}_${suffix}`,
        subscription_id: id,
        provider_invoice_id: `in_sim_demo_${key}_${suffix}`,
        kind,
        status,
        amount: p.total,
        currency,
        period_start: start,
        period_end: end,
        failure_reason: status === "failed" ? "Your card was declined (simulated)." : null,
        created_at: at,
      });

    const lineRow = {
      tenant_id: T,
      id: `oli_demo_${number}_0`,
      order_id: orderId,
      product_id: PRODUCT,
      variant_id: `var_demo_${variantKey}`,
      title: l.title,
      variant_title: l.variantTitle,
      sku,
      type: "physical",
      digital_file_id: null,
      quantity: 1,
      unit_amount: l.unit,
      discount: 0,
      tax: l.tax,
      total: l.total,
      fulfilled_quantity: 1,
      refunded_quantity: 0,
      position: 0,
    };
    lines.push(lineRow);
    event("created", created, "customer", { provider: "simulator", total: p.total, currency });
    event("payment_started", created + MIN, "customer", { provider: "simulator", payment_id: `sim_cs_demo_${number}` });
    event("paid", paidAt, "provider:simulator", { amount: p.total, currency, payment_id: `sim_cs_demo_${number}` });
    event("receipt_sent", paidAt + MIN, "system", { to: email });
    const carrier = currency === "EUR" ? "DHL" : "UPS";
    const tracking = `1Z999AA1${String(10_000_000 + number * 7919).slice(-8)}`;
    fulfilments.push({
      tenant_id: T,
      id: `ful_demo_${number}`,
      order_id: orderId,
      lines: [{ line_id: lineRow.id, quantity: 1 }],
      carrier,
      tracking_number: tracking,
      tracking_url: `https://www.ups.com/track?tracknum=${tracking}`,
      created_by: raw(OWNER),
      created_at: shippedAt,
    });
    event("fulfilled", shippedAt, raw(OWNER), {
      fulfilment_id: `ful_demo_${number}`,
      carrier,
      tracking_number: tracking,
    });
    event("shipping_email_sent", shippedAt + MIN, "system", { to: email });

    // The first period is paid by the checkout (its invoice has billing_reason subscription_create).
    invoice("0", "first", "paid", paidAt, firstEnd, paidAt);
    let periodStart = paidAt;
    let periodEnd = firstEnd;
    let status = "active";
    let cancel = { at: null, by: null, reason: null };
    let updated = paidAt;
    // A fixed suffix (not the simulator's "days since the start", which depends on the month the seed
    // runs in): a re-seed on another day must find the same invoice rows.
    const renewalSuffix = "1";
    if (story === "renewed") {
      const nextEnd = addMonth(firstEnd);
      invoice(renewalSuffix, "renewal", "paid", firstEnd, nextEnd, firstEnd);
      event("subscription_renewed", firstEnd, "provider:simulator", {
        subscription_id: id,
        invoice: `in_sim_demo_${key}_${renewalSuffix}`,
        amount: p.total,
      });
      periodStart = firstEnd;
      periodEnd = nextEnd;
      updated = firstEnd;
    } else if (story === "past_due") {
      invoice(renewalSuffix, "renewal", "failed", firstEnd, addMonth(firstEnd), firstEnd);
      status = "past_due";
      updated = firstEnd;
    } else if (story === "ending") {
      const at = now - 3 * DAY - 5 * HOUR;
      cancel = { at, by: "customer", reason: "Moving flats next month; I'll sign up again after." };
      event("cancel_scheduled", at, "provider:simulator", { subscription_id: id });
      updated = at;
    }
    subs.push({
      tenant_id: T,
      id,
      checkout_id: checkoutId,
      order_id: orderId,
      product_id: PRODUCT,
      variant_id: `var_demo_${variantKey}`,
      title: l.title,
      variant_title: l.variantTitle,
      quantity: 1,
      end_user_id: endUserId,
      email,
      customer_key: customerKey,
      currency,
      amount: p.total,
      interval: "month",
      interval_count: 1,
      trial_days: 0,
      status,
      provider: "simulator",
      provider_subscription_id: simId,
      provider_customer_id: `cus_sim_demo_${key}`,
      cancel_at_period_end: cancel.at !== null,
      current_period_start: periodStart,
      current_period_end: periodEnd,
      trial_end: null,
      canceled_at: cancel.at,
      ended_at: null,
      cancel_reason: cancel.reason,
      canceled_by: cancel.by,
      idempotency_key: `weft-subscription-${orderId}`,
      created_at: created + MIN,
      updated_at: updated,
    });
    orders.push({
      tenant_id: T,
      id: orderId,
      number,
      checkout_id: checkoutId,
      cart_id: null,
      end_user_id: endUserId,
      email,
      customer_key: customerKey,
      currency,
      subtotal: p.subtotal,
      discount: 0,
      shipping: p.shipping,
      tax: p.tax,
      total: p.total,
      refunded: 0,
      coupon_code: null,
      shipping_address: address,
      shipping_rate_id: currency === "EUR" ? "shr_demo_eu_post" : "shr_demo_us_flat",
      shipping_name: p.shippingName,
      status: "fulfilled",
      fulfilment_status: "fulfilled",
      provider: "simulator",
      provider_payment_id: `sim_cs_demo_${number}`,
      provider_capture_id: null,
      idempotency_key: `ord-demo-${number}`,
      access_token: token(number),
      failure_reason: null,
      receipt_sent_at: paidAt + MIN,
      paid_at: paidAt,
      fulfilled_at: shippedAt,
      cancelled_at: null,
      refunded_at: null,
      created_at: created,
      updated_at: Math.max(shippedAt, updated),
    });
    checkouts.push({
      tenant_id: T,
      id: checkoutId,
      cart_id: null,
      end_user_id: endUserId,
      email,
      customer_key: customerKey,
      currency,
      shipping_address: address,
      shipping_rate_id: currency === "EUR" ? "shr_demo_eu_post" : "shr_demo_us_flat",
      coupon_code: null,
      lines: [
        {
          variant_id: `var_demo_${variantKey}`,
          product_id: PRODUCT,
          title: l.title,
          variant_title: l.variantTitle,
          sku,
          type: "physical",
          digital_file_id: null,
          image_file_id: null,
          weight_grams: GRAMS,
          quantity: 1,
          unit_amount: l.unit,
          discount: 0,
          tax: l.tax,
          total: l.total,
        },
      ],
      totals: {
        subtotal: p.subtotal,
        discount: 0,
        shipping: p.shipping,
        tax: p.tax,
        total: p.total,
        tax_inclusive: p.inclusive,
        requires_shipping: true,
      },
      status: "completed",
      order_id: orderId,
      success_url: null,
      cancel_url: null,
      expires_at: created + 15 * MIN,
      created_at: created,
      updated_at: created + MIN,
    });
  }
  out.push(
    insert("commerce_checkouts", checkouts),
    insert("commerce_orders", orders),
    insert("commerce_order_lines", lines),
    insert("commerce_order_events", events),
    insert("commerce_fulfilments", fulfilments),
    insert("commerce_subscriptions", subs),
    insert("commerce_subscription_invoices", invoices),
  );
  return out.join("\n");
}
