import { currencyExponent } from "../commerce";
import { esc } from "./portal.markup";
import { subscriptionStrings } from "./portal.subscriptions.i18n";
import type { OrderSummary } from "./portal.orders";
import { alert, base, more, notice, shell, when, type View } from "./portal.views";

/** The portal's order pages: history, one order (lines, downloads, tracking), receipt again, refund request. */
export const money = (minor: number, currency: string, lang: string) => {
  const exp = currencyExponent(currency); // ¥500 is 500 minor units, not 5.00
  try {
    return new Intl.NumberFormat(lang, { style: "currency", currency }).format(minor / 10 ** exp);
  } catch {
    return `${(minor / 10 ** exp).toFixed(exp)} ${currency}`;
  }
};

export function orderRows(v: View, items: OrderSummary[]) {
  return `<ul class="rows">${items
    .map(
      (o) =>
        `<li><a href="${base(v)}/orders/${esc(o.id)}">${esc(v.t.orderNo(o.number))}</a><span class="badge">${esc(v.t.orderStatus[o.status] ?? o.status)}</span><span class="meta">${esc(
          money(o.total, o.currency, v.lang),
        )} · ${esc(v.t.items(o.item_count))} · ${when(o.created_at, v.lang)}</span></li>`,
    )
    .join("")}</ul>`;
}

/** The home page's orders section (the latest three). */
export const homeOrders = (v: View, items: OrderSummary[]) =>
  `<h2>${esc(v.t.orders)}</h2>${items.length ? orderRows(v, items) : `<p class="muted">${esc(v.t.noOrders)}</p>`}<p><a href="${base(v)}/orders">${esc(v.t.allOrders)}</a></p>`;

export function ordersView(v: View, items: OrderSummary[], cursor: string | null) {
  return shell(
    v,
    "orders",
    v.t.orders,
    `<h1>${esc(v.t.orders)}</h1>${items.length ? orderRows(v, items) : `<p class="muted">${esc(v.t.noOrders)}</p>`}${more(v, "/orders", cursor)}<p><a href="${base(v)}/subscriptions">${esc(subscriptionStrings(v.lang).subscriptions)}</a></p>`,
  );
}

interface OrderDetail {
  id: string;
  number: number;
  status: string;
  currency: string;
  totals: { total: number };
  lines: { title: string; variant_title: string | null; quantity: number; total: number; download_url: string | null }[];
  tracking: { carrier: string | null; tracking_number: string | null; tracking_url: string | null }[];
  created_at: string;
  paid_at: string | null;
}

export function orderView(v: View, o: OrderDetail, msg: { notice?: string; error?: string } = {}) {
  const lines = o.lines
    .map(
      (l) =>
        `<li>${esc(l.title)}${l.variant_title ? ` · ${esc(l.variant_title)}` : ""} × ${l.quantity}<span class="meta">${esc(money(l.total, o.currency, v.lang))}</span>${
          l.download_url ? `<a href="${esc(l.download_url)}">${esc(v.t.download)}: ${esc(l.title)}</a>` : ""
        }</li>`,
    )
    .join("");
  const tracking = o.tracking
    .map((t) => {
      const label = [t.carrier, t.tracking_number].filter(Boolean).join(" ");
      return `<p>${esc(v.t.trackingLabel)}: ${t.tracking_url ? `<a href="${esc(t.tracking_url)}">${esc(label || t.tracking_url)}</a>` : esc(label)}</p>`;
    })
    .join("");
  const paid = o.paid_at !== null;
  return shell(
    v,
    "orders",
    v.t.orderNo(o.number),
    `<h1>${esc(v.t.orderNo(o.number))}</h1>${notice(msg.notice)}${alert(msg.error)}<p class="meta"><span class="badge">${esc(v.t.orderStatus[o.status] ?? o.status)}</span> · ${when(
      o.created_at,
      v.lang,
    )}</p>
<ul class="rows">${lines}</ul><p><strong>${esc(v.t.total)}: ${esc(money(o.totals.total, o.currency, v.lang))}</strong></p>${tracking}
<form method="post" action="${base(v)}/orders/${esc(o.id)}/reorder"><button type="submit">${esc(v.t.buyAgain)}</button></form>
${paid ? `<form method="post" action="${base(v)}/orders/${esc(o.id)}/receipt"><button type="submit" class="secondary">${esc(v.t.resendReceipt)}</button></form>` : ""}
${
  paid
    ? `<h2>${esc(v.t.refundTitle)}</h2><form method="post" action="${base(v)}/orders/${esc(o.id)}/refund"><label for="message">${esc(v.t.refundHelp)}</label><textarea id="message" name="message" required maxlength="10000"></textarea><button type="submit">${esc(v.t.refundTitle)}</button></form>`
    : ""
}`,
  );
}
