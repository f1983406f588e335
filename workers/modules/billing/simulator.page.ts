import { Hono, type Context } from "hono";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { SIMULATOR_PAYMENT_METHODS, type SimulatorPaymentMethod } from "../../../schema/billing";
import { badRequest, notFound, Problem } from "../../platform/errors";
import { appOrigin } from "../../platform/request";
import { billingConfig } from "./config";
import { PLANS, extraSeats, platformFeeCents, seatPriceCents } from "./plans";
import { approveSimulatorCheckout, declineSimulatorCheckout, getSimulatorCheckout, simulatorPrice } from "./simulator";
import { retryFailedInvoices, setSimulatorPaymentMethod, simulatorPaymentMethod } from "./simulator-cycle";
import { billingNow } from "./simulator-clock";
import { portalTenant } from "./simulator-portal";
import { getSubscription } from "./subscription.service";
import { SIMULATOR_CERT_PATH, simulatorCertPem } from "./simulator.keys";

const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
const usd = (cents: number) => `$${(cents / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;

const page = (
  title: string,
  body: string,
) => `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)} · Payment simulator · Weft</title>
<style>:root{color-scheme:light dark;--b:#8884}body{font:15px/1.5 system-ui,sans-serif;max-width:560px;margin:32px auto;padding:0 16px}
.banner{background:#fef3c7;color:#78350f;padding:10px 12px;border-radius:8px;font-weight:600}
.card{border:1px solid var(--b);border-radius:12px;padding:16px 20px;margin:16px 0}table{width:100%;border-collapse:collapse}td{padding:4px 0}td:last-child{text-align:right}
.total td{border-top:1px solid var(--b);font-weight:700;padding-top:8px}.row{display:flex;gap:12px;margin-top:16px}
button{font:inherit;padding:10px 18px;border-radius:8px;border:1px solid var(--b);cursor:pointer}button.primary{background:#4f46e5;color:#fff;border-color:#4f46e5}
button:focus-visible{outline:3px solid #818cf8;outline-offset:2px}.muted{opacity:.75;font-size:13px}</style></head>
<body><p class="banner" role="note">Payment simulator — local development only. No real payment is made; approving sends correctly signed webhook events to this app's /webhooks endpoints.</p>${body}</body></html>`;

/** Local-only pages of the payment simulator (mounted at /dev/payment-simulator). */
export const simulatorPages = new Hono<AppEnv>();
simulatorPages.use("*", async (c, next) => {
  if (!(await billingConfig(c.env)).simulatorSecret) throw notFound("Page");
  await next();
});

simulatorPages.get("/paypal-cert.pem", async (c) => c.text(await simulatorCertPem(), 200, { "Content-Type": "application/x-pem-file" }));
void SIMULATOR_CERT_PATH;

simulatorPages.get("/checkout/:id", async (c) => {
  const co = await getSimulatorCheckout(getDb(c.env.DB), c.req.param("id"));
  if (!co) throw notFound("Checkout");
  const plan = PLANS[co.plan];
  const extra = extraSeats(co.plan, co.seats);
  const provider = co.provider === "stripe" ? "Stripe (card)" : "PayPal";
  const rows = `<tr><td>${esc(plan.name)} plan, ${co.interval === "month" ? "monthly" : "yearly"}</td><td>${usd(platformFeeCents(co.plan, co.interval))}</td></tr>${
    extra
      ? `<tr><td>${extra} additional seat${extra > 1 ? "s" : ""} × ${usd(seatPriceCents(co.plan, co.interval))}</td><td>${usd(extra * seatPriceCents(co.plan, co.interval))}</td></tr>`
      : ""
  }<tr class="total"><td>Total per ${co.interval}</td><td>${usd(simulatorPrice(co))}</td></tr>`;
  const state =
    co.status === "open"
      ? `<form method="post" class="row"><button class="primary" formaction="/dev/payment-simulator/checkout/${esc(co.id)}/approve" type="submit">${co.trial ? "Start trial with a card" : "Approve payment"}</button>${
          co.trial
            ? `<button formaction="/dev/payment-simulator/checkout/${esc(co.id)}/approve?payment_method=none" type="submit">Start trial without a card</button>`
            : ""
        }<button formaction="/dev/payment-simulator/checkout/${esc(co.id)}/decline" type="submit">Decline payment</button></form>`
      : `<p>This checkout was already <strong>${esc(co.status)}</strong>. <a href="${esc(co.returnUrl)}">Back to billing</a></p>`;
  return c.html(
    page(
      "Checkout",
      `<h1>Simulated ${esc(provider)} checkout</h1><div class="card"><table>${rows}</table>${co.trial ? `<p>Includes a ${plan.trialDays}-day free trial: nothing is charged today.</p>` : ""}<p class="muted">Seats: ${co.seats}. Paying with a simulated ${co.provider === "stripe" ? "Visa card ending 4242" : "PayPal account"}.</p></div>${state}`,
    ),
  );
});

simulatorPages.post("/checkout/:id/approve", async (c) => {
  const db = getDb(c.env.DB);
  const pm = c.req.query("payment_method") === "none" ? "none" : "card";
  const co = await approveSimulatorCheckout(c.env, db, appOrigin(c), c.req.param("id"), pm);
  if (!co) throw notFound("Open checkout");
  return c.redirect(`${co.returnUrl}?checkout=success`, 303);
});

simulatorPages.post("/checkout/:id/decline", async (c) => {
  const co = await declineSimulatorCheckout(getDb(c.env.DB), c.req.param("id"));
  if (!co) throw notFound("Open checkout");
  return c.redirect(`${co.returnUrl}?checkout=declined`, 303);
});

const PM_LABEL: Record<SimulatorPaymentMethod, string> = {
  card: "Visa •••• 4242 (simulated)",
  card_declines: "Visa •••• 0002 — declines every charge (simulated)",
  none: "none",
};

/** The portal session in the link (`?session=`), and the workspace it was minted for. */
async function portalSession(c: Context<AppEnv>): Promise<{ session: string; tenant: string }> {
  const session = c.req.query("session") ?? "";
  const tenant = await portalTenant((await billingConfig(c.env)).simulatorSecret!, session);
  if (!tenant)
    throw new Problem(
      401,
      "portal-session-invalid",
      "Portal link expired",
      "This portal link is invalid or has expired; open it again from the billing page.",
    );
  return { session, tenant };
}

/** The simulated customer portal: payment method on file; switching to a working card retries failed invoices. */
simulatorPages.get("/portal", async (c) => {
  const { session, tenant } = await portalSession(c);
  const back = `${appOrigin(c)}/settings/billing`;
  const pm = await simulatorPaymentMethod(getDb(c.env.DB), tenant);
  const collected = Number(c.req.query("collected") ?? 0);
  const button = (to: SimulatorPaymentMethod, label: string) =>
    pm === to
      ? ""
      : `<button formaction="/dev/payment-simulator/portal/payment-method?method=${to}&amp;session=${esc(encodeURIComponent(session))}" type="submit">${esc(label)}</button>`;
  return c.html(
    page(
      "Payment method",
      `<h1>Simulated customer portal</h1>${collected > 0 ? `<p class="card" role="status">The new card was charged for ${collected} failed invoice${collected === 1 ? "" : "s"}; the subscription is active again.</p>` : ""}<div class="card"><p>Payment method on file: <strong>${esc(PM_LABEL[pm])}</strong></p><p class="muted">The simulator renews subscriptions and converts trials on the billing cron with this payment method: a declining card puts renewals into dunning; without a payment method a trial ends on Free. Switching to a working card retries failed invoices at once. With Stripe configured this link opens the Stripe Customer Portal instead.</p></div><form method="post" class="row">${button("card", "Use a working card")}${button("card_declines", "Use a card that declines")}${button("none", "Remove the payment method")}</form><p><a href="${esc(back)}">Back to billing</a></p>`,
    ),
  );
});

simulatorPages.post("/portal/payment-method", async (c) => {
  const { session, tenant } = await portalSession(c);
  const method = c.req.query("method");
  if (!(SIMULATOR_PAYMENT_METHODS as readonly string[]).includes(method ?? "")) throw badRequest("Unknown payment method.");
  const db = getDb(c.env.DB);
  if (!(await setSimulatorPaymentMethod(db, tenant, method as SimulatorPaymentMethod))) throw notFound("Simulated subscription");
  const sub = await getSubscription(db, tenant);
  const collected =
    method === "card" && sub.provider === "simulator"
      ? await retryFailedInvoices(c.env, db, appOrigin(c), sub, await billingNow(c.env, db, tenant))
      : 0;
  return c.redirect(
    `/dev/payment-simulator/portal?session=${encodeURIComponent(session)}${collected ? `&collected=${collected}` : ""}`,
    303,
  );
});
