import { Hono, type Context } from "hono";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { getTenant } from "../../platform/directory";
import { notFound } from "../../platform/errors";
import { appOrigin } from "../../platform/request";
import { timingSafeEqual } from "../../platform/crypto";
import { formatMajor } from "./money";
import { getOrderRow, orderLines, type OrderRow } from "./orders.service";
import { postSimulatorEvent, simulatorDeclinedEvent, simulatorPaidEvent } from "./payments/simulator";
import { simulatorSecret } from "./providers.service";
import { simulatorSubscriptionStart } from "./payments/simulator-subscriptions";
import { subscriptionOfOrder } from "./subscriptions.service";
import { commerceBenchRoutes } from "./bench.routes";

/**
 * The commerce payment simulator's approval page (outside production only; mounted at
 * /dev/commerce-simulator): what a buyer sees instead of Stripe Checkout when a shop has no
 * provider yet. Approve / Decline send a Stripe-shaped event signed with the workspace's simulator
 * secret to the workspace's webhook endpoint — the order is paid by that verified webhook, exactly
 * as with Stripe — then redirect to the hosted return page. Addressed by tenant + order id and the
 * order's access token (the buyer's capability).
 */
export const commerceSimulatorPages = new Hono<AppEnv>();
// The checkout bench's baseline route (local only): /dev/commerce-simulator/bench/insert.
commerceSimulatorPages.route("/bench", commerceBenchRoutes);

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch] ?? ch);

const page = (
  title: string,
  body: string,
) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)} · Payment simulator</title>
<style>:root{color-scheme:light dark;--b:#8884}body{font:15px/1.5 system-ui,sans-serif;max-width:560px;margin:32px auto;padding:0 16px}
.banner{background:#fef3c7;color:#78350f;padding:10px 12px;border-radius:8px;font-weight:600}
.card{border:1px solid var(--b);border-radius:12px;padding:16px 20px;margin:16px 0}table{width:100%;border-collapse:collapse}td{padding:4px 0}td:last-child{text-align:right}
.total td{border-top:1px solid var(--b);font-weight:700;padding-top:8px}.row{display:flex;gap:12px;margin-top:16px;flex-wrap:wrap}
button{font:inherit;padding:10px 18px;border-radius:8px;border:1px solid var(--b);cursor:pointer}button.primary{background:#4f46e5;color:#fff;border-color:#4f46e5}
button:focus-visible{outline:3px solid #818cf8;outline-offset:2px}.muted{opacity:.75;font-size:13px}</style></head>
<body><p class="banner" role="note">Payment simulator — not a real payment. Approving sends a signed webhook event to this shop's payment endpoint, as Stripe would.</p>${body}</body></html>`;

async function load(c: Context<AppEnv>): Promise<OrderRow> {
  const tenantId = c.req.param("tenant") ?? "";
  if (!(await simulatorSecret(c.env, tenantId))) throw notFound("Page");
  const db = getDb(c.env.DB);
  const order = await getOrderRow(db, tenantId, c.req.param("order") ?? "");
  const token = c.req.query("token") ?? "";
  if (order.provider !== "simulator" || !timingSafeEqual(token, order.accessToken)) throw notFound("Order");
  return order;
}

/** Only our own hosted pages (or the shop's checkout URLs) are redirect targets. */
async function safeReturn(c: Context<AppEnv>, name: "return_url" | "cancel_url", order: OrderRow): Promise<string> {
  const origin = appOrigin(c);
  const u = c.req.query(name);
  if (u?.startsWith(`${origin}/`)) return u;
  const slug = (await getTenant(getDb(c.env.DB), order.tenantId)).slug;
  return `${origin}/checkout/${slug}/orders/${order.id}?token=${order.accessToken}`;
}

const query = (c: Context<AppEnv>) => new URL(c.req.url).search;

commerceSimulatorPages.get("/:tenant/:order", async (c) => {
  const order = await load(c);
  const db = getDb(c.env.DB);
  const [lines, t] = await Promise.all([orderLines(db, order.tenantId, order.id), getTenant(db, order.tenantId)]);
  const m = (n: number) => `${formatMajor(n, order.currency)} ${order.currency}`;
  const rows = `${lines.map((l) => `<tr><td>${l.quantity} × ${esc(l.title)}${l.variantTitle ? ` (${esc(l.variantTitle)})` : ""}</td><td>${m(l.total)}</td></tr>`).join("")}${
    order.discount ? `<tr><td>Discount</td><td>−${m(order.discount)}</td></tr>` : ""
  }${order.shipping ? `<tr><td>Shipping</td><td>${m(order.shipping)}</td></tr>` : ""}${order.tax ? `<tr><td>Tax</td><td>${m(order.tax)}</td></tr>` : ""}<tr class="total"><td>Total</td><td>${m(order.total)}</td></tr>`;
  const action = `/dev/commerce-simulator/${esc(order.tenantId)}/${esc(order.id)}`;
  const state =
    order.status === "pending" || order.status === "payment_failed"
      ? `<form method="post" class="row"><button class="primary" formaction="${action}/approve${esc(query(c))}" type="submit">Approve payment</button><button formaction="${action}/decline${esc(query(c))}" type="submit">Decline payment</button></form>`
      : `<p>This order is already <strong>${esc(order.status)}</strong>. <a href="${esc(await safeReturn(c, "return_url", order))}">Continue</a></p>`;
  return c.html(
    page(
      "Pay",
      `<h1>Pay ${esc(t.name)}</h1><div class="card"><p class="muted">Order #${order.number} · ${esc(order.email)}</p><table>${rows}</table><p class="muted">Paying with a simulated Visa card ending 4242.</p></div>${state}${
        order.failureReason ? `<p role="alert">Last attempt: ${esc(order.failureReason)}</p>` : ""
      }`,
    ),
  );
});

commerceSimulatorPages.post("/:tenant/:order/approve", async (c) => {
  const order = await load(c);
  // A subscription's order: the session completes and the subscription starts (Stripe Billing's events).
  const sub = await subscriptionOfOrder(getDb(c.env.DB), order.tenantId, order.id);
  const events = sub
    ? simulatorSubscriptionStart(sub, order.providerPaymentId ?? "", order.total)
    : [simulatorPaidEvent(order.tenantId, order.id, order.providerPaymentId ?? "", order.total, order.currency)];
  for (const ev of events) {
    const res = await postSimulatorEvent(c.env, order.tenantId, appOrigin(c), ev);
    if (res.status !== 200) throw new Error(`the simulated webhook was refused: ${res.status} ${res.body.slice(0, 200)}`);
  }
  return c.redirect(await safeReturn(c, "return_url", order), 303);
});

commerceSimulatorPages.post("/:tenant/:order/decline", async (c) => {
  const order = await load(c);
  const res = await postSimulatorEvent(c.env, order.tenantId, appOrigin(c), simulatorDeclinedEvent(order.tenantId, order.id));
  if (res.status !== 200) throw new Error(`the simulated webhook was refused: ${res.status} ${res.body.slice(0, 200)}`);
  const back = await safeReturn(c, "cancel_url", order);
  return c.redirect(`${back}${back.includes("?") ? "&" : "?"}payment=declined`, 303);
});
