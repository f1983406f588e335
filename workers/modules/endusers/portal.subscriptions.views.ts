import { esc } from "./portal.markup";
import { money } from "./portal.orders.views";
import { subscriptionStrings, type SubscriptionStrings } from "./portal.subscriptions.i18n";
import { alert, base, notice, shell, when, type View } from "./portal.views";

/** The portal's subscriptions pages: the list, and one subscription with its charges, cancel and resume. */
interface SubscriptionItem {
  id: string;
  status: string;
  title: string;
  variant_title: string;
  quantity: number;
  currency: string;
  amount: number;
  interval: "month" | "year";
  interval_count: number;
  cancel_at_period_end: boolean;
  current_period_end: string | null;
  trial_end: string | null;
  ended_at: string | null;
}
interface SubscriptionDetail extends SubscriptionItem {
  invoices: { id: string; kind: string; status: string; amount: number; currency: string; created_at: string }[];
}

const period = (s: SubscriptionStrings, x: SubscriptionItem) => {
  const n = x.interval_count;
  if (n === 1) return s.period[x.interval];
  return x.interval === "month" ? s.period.months(n) : s.period.years(n);
};
const price = (v: View, s: SubscriptionStrings, x: SubscriptionItem) => `${money(x.amount, x.currency, v.lang)} ${s.every(period(s, x))}`;

/** What happens next: renews / ends / ended on, or the trial's end. */
function next(v: View, s: SubscriptionStrings, x: SubscriptionItem): string {
  if (x.status === "canceled") return x.ended_at ? `${esc(s.ended)} ${when(x.ended_at, v.lang)}` : "";
  if (x.status === "trialing" && x.trial_end) return `${esc(s.trialEnds)} ${when(x.trial_end, v.lang)}`;
  if (!x.current_period_end) return "";
  return `${esc(x.cancel_at_period_end ? s.ends : s.renews)} ${when(x.current_period_end, v.lang)}`;
}
const badge = (s: SubscriptionStrings, x: SubscriptionItem) =>
  `<span class="badge${x.status === "active" || x.status === "trialing" ? " open" : ""}">${esc(s.status[x.status] ?? x.status)}</span>`;
const name = (x: SubscriptionItem) =>
  `${x.title}${x.variant_title ? ` · ${x.variant_title}` : ""}${x.quantity > 1 ? ` × ${x.quantity}` : ""}`;

export function subscriptionsView(v: View, items: SubscriptionItem[]) {
  const s = subscriptionStrings(v.lang);
  const rows = items
    .map(
      (x) =>
        `<li><a href="${base(v)}/subscriptions/${esc(x.id)}">${esc(name(x))}</a>${badge(s, x)}<span class="meta">${esc(price(v, s, x))}</span><span class="meta">${next(v, s, x)}</span></li>`,
    )
    .join("");
  return shell(
    v,
    "orders",
    s.subscriptions,
    `<h1>${esc(s.subscriptions)}</h1>${items.length ? `<ul class="rows">${rows}</ul>` : `<p class="muted">${esc(s.none)}</p>`}<p><a href="${base(v)}/orders">${esc(v.t.allOrders)}</a></p>`,
  );
}

/**
 * One subscription. Cancelling takes two steps without script: "Cancel subscription" opens the
 * confirmation (`?confirm=cancel`) that says what will happen, and only its button posts.
 */
export function subscriptionView(v: View, x: SubscriptionDetail, o: { confirm?: boolean; notice?: string; error?: string } = {}) {
  const s = subscriptionStrings(v.lang);
  const path = `${base(v)}/subscriptions/${esc(x.id)}`;
  const running = x.status !== "canceled";
  const charges = x.invoices.length
    ? `<ul class="rows">${x.invoices
        .map(
          (i) =>
            `<li>${esc(s.chargeKind[i.kind] ?? i.kind)} <span class="badge">${esc(s.chargeStatus[i.status] ?? i.status)}</span><span class="meta">${esc(
              money(i.amount, i.currency, v.lang),
            )} · ${when(i.created_at, v.lang)}</span></li>`,
        )
        .join("")}</ul>`
    : `<p class="muted">${esc(s.noCharges)}</p>`;
  let actions = "";
  if (running && x.cancel_at_period_end)
    actions = `<form method="post" action="${path}/resume"><button type="submit">${esc(s.resume)}</button></form>`;
  else if (running && o.confirm)
    actions = `<div role="group" aria-labelledby="cancel-title"><h2 id="cancel-title">${esc(s.cancel)}</h2><p>${esc(s.cancelHelp)}</p>
<form method="post" action="${path}/cancel"><button type="submit">${esc(s.confirmCancel)}</button></form><p><a href="${path}">${esc(s.resume)}</a></p></div>`;
  else if (running) actions = `<p><a href="${path}?confirm=cancel">${esc(s.cancel)}</a></p>`;
  return shell(
    v,
    "orders",
    name(x),
    `<h1>${esc(name(x))}</h1>${notice(o.notice)}${alert(o.error)}<p class="meta">${badge(s, x)} · ${esc(price(v, s, x))}</p><p>${next(v, s, x)}</p>
${x.status === "past_due" ? `<p class="alert" role="alert">${esc(s.pastDueHelp)}</p>` : ""}${actions}
<h2>${esc(s.charges)}</h2>${charges}<p><a href="${base(v)}/subscriptions">${esc(s.all)}</a></p>`,
  );
}
