import type { Address } from "../../../../schema/commerce-orders";
import { taxIncluded } from "./checkout.markup";
import { alert, esc, money, page, type Shop } from "./layout";

/** docs/commerce-api.md's `BuyerOrder` (the buyer's view of an order, behind its access token). */
export interface BuyerOrderView {
  id: string;
  number: number;
  status: string;
  fulfilment_status: string;
  email: string;
  currency: string;
  totals: { subtotal: number; discount: number; shipping: number; tax: number; total: number };
  refunded: number;
  lines: {
    title: string;
    variant_title: string;
    quantity: number;
    unit_amount: number;
    total: number;
    type: string;
    download_url: string | null;
  }[];
  shipping_address: Address | null;
  tracking: { carrier: string | null; tracking_number: string | null; tracking_url: string | null }[];
  created_at: string;
  paid_at: string | null;
}

const PAID = new Set(["paid", "fulfilled", "partially_refunded", "refunded"]);
/** How often the "confirming payment" page reloads itself (the order turns paid from the provider's webhook). */
export const CONFIRM_REFRESH_SECONDS = 2;

function addressBlock(a: Address) {
  const place = `${a.city}${a.region ? `, ${a.region}` : ""} ${a.postal_code}`;
  const lines = [a.name, a.line1, a.line2, place, a.country].filter(Boolean) as string[];
  return lines.map(esc).join("<br>");
}

function orderSummary(o: BuyerOrderView) {
  const c = o.currency;
  const t = o.totals;
  const lines = o.lines
    .map((l) => {
      const variant = l.variant_title && l.variant_title !== "Default" ? `${l.variant_title} · ` : "";
      const download = l.download_url
        ? `<div><a href="${esc(l.download_url)}" download>Download ${esc(l.title)}</a> <span class="muted">(link valid for 24 hours; the receipt has it too)</span></div>`
        : "";
      return `<li><div class="li-main"><div class="li-title">${esc(l.title)}</div><div class="muted">${esc(variant)}Qty ${l.quantity} × ${money(
        l.unit_amount,
        c,
      )}</div>${download}</div><div class="li-amount">${money(l.unit_amount * l.quantity, c)}</div></li>`;
    })
    .join("");
  const inclusive = taxIncluded(t);
  const rows = [
    `<tr><td>Subtotal</td><td>${money(t.subtotal, c)}</td></tr>`,
    t.discount ? `<tr><td>Discount</td><td>−${money(t.discount, c)}</td></tr>` : "",
    o.shipping_address ? `<tr><td>Shipping</td><td>${t.shipping ? money(t.shipping, c) : "Free"}</td></tr>` : "",
    t.tax && !inclusive ? `<tr><td>Tax</td><td>${money(t.tax, c)}</td></tr>` : "",
    `<tr class="total"><td>Total</td><td>${money(t.total, c)}</td></tr>`,
    t.tax && inclusive ? `<tr><td class="muted">Includes tax</td><td class="muted">${money(t.tax, c)}</td></tr>` : "",
    o.refunded ? `<tr><td>Refunded</td><td>−${money(o.refunded, c)}</td></tr>` : "",
  ].join("");
  return `<ul class="lines">${lines}</ul><table class="totals"><caption class="sr-only">Order totals</caption>${rows}</table>`;
}

/**
 * The order confirmation. Until the provider's signed webhook (or a verified capture) marks the order
 * paid it says "confirming payment" and reloads itself (a meta refresh: the CSP allows no script);
 * this page never marks anything paid.
 */
export function orderPage(shop: Shop, o: BuyerOrderView, o2: { checkoutUrl?: string | null } = {}) {
  const title = `Order #${o.number}`;
  if (o.status === "pending") {
    return page(
      shop,
      "Confirming payment",
      `<main class="card" aria-live="polite"><h1>Confirming your payment…</h1><div class="status"><span class="spinner" aria-hidden="true"></span><p>We are waiting for the payment provider to confirm order #${
        o.number
      }. This page refreshes by itself; it usually takes a few seconds.</p></div>
<p class="muted">Please do not pay again. If nothing happens within a few minutes, <a href="">reload this page</a>.</p></main>`,
      { refreshSeconds: CONFIRM_REFRESH_SECONDS },
    );
  }
  if (o.status === "payment_failed") {
    const retry = o2.checkoutUrl ? `<a class="button" href="${esc(o2.checkoutUrl)}">Try another payment</a>` : "";
    return page(
      shop,
      "Payment not completed",
      `<main class="card"><h1>Your payment did not go through</h1>${alert(
        `Order #${o.number} is not paid: the payment was declined or cancelled. Nothing was charged.`,
      )}${retry}</main>`,
    );
  }
  if (o.status === "expired" || o.status === "cancelled") {
    return page(
      shop,
      title,
      `<main class="card"><h1>Order #${o.number} is ${o.status === "expired" ? "expired" : "cancelled"}</h1><p>${
        o.status === "expired"
          ? "The payment was not completed in time, so the items were released. Nothing was charged."
          : "This order was cancelled. Any payment taken has been refunded."
      }</p></main>`,
    );
  }
  const paid = PAID.has(o.status);
  const heading = o.status === "refunded" ? `Order #${o.number} was refunded` : "Thank you! Your order is confirmed.";
  const tracking = o.tracking
    .filter((t) => t.tracking_number)
    .map(
      (t) =>
        `<li>${esc(t.carrier ?? "Carrier")}: ${
          t.tracking_url
            ? `<a href="${esc(t.tracking_url)}" rel="noopener noreferrer">${esc(t.tracking_number ?? "")}</a>`
            : esc(t.tracking_number ?? "")
        }</li>`,
    )
    .join("");
  const shipping = o.shipping_address
    ? `<h2>Shipping to</h2><p>${addressBlock(o.shipping_address)}</p>${
        tracking ? `<h2>Tracking</h2><ul>${tracking}</ul>` : `<p class="muted">We will email you the tracking number when it ships.</p>`
      }`
    : "";
  const body = `<div class="grid"><section class="card summary" aria-labelledby="sum-h"><h2 id="sum-h">Order #${o.number}</h2>${orderSummary(o)}</section>
<main class="card"><h1>${esc(heading)}</h1>${
    paid ? `<p role="status">A receipt was sent to <strong>${esc(o.email)}</strong>.</p>` : ""
  }<dl><dt>Order number</dt><dd>#${o.number}</dd><dt>Status</dt><dd>${esc(o.status.replace(/_/g, " "))}</dd>${
    o.paid_at ? `<dt>Paid</dt><dd>${esc(new Date(o.paid_at).toUTCString().replace(" GMT", " UTC"))}</dd>` : ""
  }</dl>${shipping}</main></div>`;
  return page(shop, title, body);
}
