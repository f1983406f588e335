import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../../../platform/context";
import { Problem } from "../../../platform/errors";
import { enforceRateLimit } from "../../../platform/ratelimit";
import { appOrigin, clientIp } from "../../../platform/request";
import { capturePaypalReturn, payCheckout } from "../checkouts.pay";
import { createCheckout, getCheckoutRow, updateCheckout, type CheckoutPatch } from "../checkouts.service";
import { buyerOrder } from "../orders.read";
import { fileLinkOn } from "../../files";
import { getCartRow } from "../carts.service";
import { hostedEndUserOf } from "../../../platform/hosted-end-user";
import { getOrderRow } from "../orders.service";
import type { CheckoutView, FormState } from "./checkout.markup";
import { problemFields, readDetails, type Fields } from "./checkout.form";
import {
  checkoutPath,
  crossSite,
  expiredPage,
  form,
  orderPath,
  render,
  shopOf,
  soldOutPage,
  startProblem,
  view,
  type Ctx,
} from "./checkout.context";
import { messagePage, notFoundPage } from "./layout";
import { orderPage } from "./order.markup";

/**
 * The hosted checkout (mounted at /checkout; wrangler.toml routes /checkout/* to the Worker):
 * server-rendered pages that work without JavaScript — plain forms posting to these routes, which
 * call the checkout service and answer 303 (post/redirect/get) or the page again with its errors.
 * A checkout id is a capability (160 random bits), an order page needs the order's access token.
 * Like the portal's pages: a strict CSP (no script at all), cross-site posts refused, per-IP rate
 * limit, no-store. Nothing here marks an order paid: the provider's signed webhook or a verified
 * PayPal capture does (docs/commerce-api.md).
 */
export const checkoutPages = new Hono<AppEnv>();
const CSP =
  "default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self' https:; frame-ancestors 'none'";

checkoutPages.use("*", async (c, next) => {
  await enforceRateLimit(c, "RL_IP", clientIp(c));
  if (c.req.method === "POST" && crossSite(c)) return c.text("Cross-site form posts are refused.", 403);
  await next();
  c.header("Content-Security-Policy", CSP);
  c.header("Cache-Control", "no-store");
  c.header("Referrer-Policy", "no-referrer"); // order pages carry their access token in the query string
  c.header("X-Content-Type-Options", "nosniff");
});

checkoutPages.onError((err, c) => {
  if (err instanceof Problem && err.status === 404) return c.html(notFoundPage(), 404);
  throw err;
});

// The checkout link / Buy button: one variant → a new checkout.
checkoutPages.get("/:slug/buy", async (c) => {
  const x = await shopOf(c);
  const variant = (c.req.query("variant") ?? "").trim();
  const quantity = Number(c.req.query("quantity") ?? "1");
  const currency = (c.req.query("currency") ?? "").trim().toUpperCase() || undefined;
  if (
    !/^[\w-]{1,64}$/.test(variant) ||
    !Number.isInteger(quantity) ||
    quantity < 1 ||
    quantity > 99 ||
    (currency && !/^[A-Z]{3}$/.test(currency))
  )
    return c.html(
      messagePage(x.shop, "This link is not valid", "The Buy link names no product, or a quantity from 1 to 99.", undefined, "error"),
      400,
    );
  try {
    const me = await hostedEndUserOf(c, x.shop.slug);
    const { checkout } = await createCheckout(c.env, x.db, x.tenantId, {
      lines: [{ variant_id: variant, quantity }],
      currency,
      end_user_id: me?.id,
      email: me?.email,
    });
    return c.redirect(checkoutPath(x.shop, checkout.id), 303);
  } catch (e) {
    return startProblem(c, x, e);
  }
});

// A cart from the shop's site (buy.js, the demo shop): its checkout (the same one if already started).
checkoutPages.get("/:slug/cart/:cartId", async (c) => {
  const x = await shopOf(c);
  try {
    // A customer signed in to the portal (its cookies reach this origin) makes the order theirs; a
    // cart that already belongs to an end user answers only to them (404, as the storefront API does).
    const me = await hostedEndUserOf(c, x.shop.slug);
    const cartId = c.req.param("cartId").slice(0, 64);
    const owner = (await getCartRow(x.db, x.tenantId, cartId)).endUserId;
    if (owner && owner !== me?.id) throw new Problem(404, "not-found", "Not found", "Cart was not found.");
    const { checkout } = await createCheckout(c.env, x.db, x.tenantId, { cart_id: cartId, end_user_id: me?.id });
    return c.redirect(checkoutPath(x.shop, checkout.id), 303);
  } catch (e) {
    return startProblem(c, x, e);
  }
});

checkoutPages.get("/:slug/orders/:orderId", async (c) => {
  const x = await shopOf(c);
  const order = await buyerOrder(c.env, x.db, x.tenantId, c.req.param("orderId"), c.req.query("token") ?? "");
  // buyerOrder signs download links on APP_URL (what the emailed receipt needs); on this page they
  // go on the origin the buyer is using. A /f/ link's signature covers the file, expiry and
  // disposition, not the host, so the same link works there.
  const origin = appOrigin(c);
  order.lines = order.lines.map((l) => (l.download_url ? { ...l, download_url: fileLinkOn(l.download_url, origin) } : l));
  let retry: string | null = null;
  if (order.status === "payment_failed") {
    const row = await getOrderRow(x.db, x.tenantId, order.id);
    retry = checkoutPath(x.shop, row.checkoutId);
  }
  return c.html(orderPage(x.shop, order, { checkoutUrl: retry }));
});

checkoutPages.get("/:slug/:id", async (c) => {
  const x = await shopOf(c);
  // Back from a provider's cancel or decline (the simulator adds payment=declined): say so.
  const declined = c.req.query("payment") === "declined";
  const s: FormState = declined
    ? { message: "Your payment was declined and nothing was charged. Try again or choose another method." }
    : {};
  return render(c, x, await getCheckoutRow(x.db, x.tenantId, c.req.param("id")), s);
});

/** Saves the form (when the checkout is still editable); returns the checkout, or the page with the form's errors. */
async function save(c: Context<AppEnv>, x: Ctx, f: Fields, extra: CheckoutPatch = {}) {
  const co = await getCheckoutRow(x.db, x.tenantId, c.req.param("id") ?? "");
  if (co.status !== "open") return { co };
  const ships = (co.lines as { type: string }[]).some((l) => l.type === "physical");
  const { patch, errors } = readDetails(f, { ships });
  if (Object.keys(errors).length)
    return { co, page: await render(c, x, co, { values: f, errors, message: "Check the highlighted fields." }, 400) };
  try {
    return { co: await updateCheckout(x.db, x.tenantId, co.id, { ...patch, ...extra }) };
  } catch (e) {
    if (e instanceof Problem && e.status === 400)
      return { co, page: await render(c, x, co, { values: f, errors: problemFields(e), message: "Check the highlighted fields." }, 400) };
    if (e instanceof Problem && e.status === 409) return { co, page: expiredPage(c, x, co) };
    throw e;
  }
}

checkoutPages.post("/:slug/:id/details", async (c) => {
  const x = await shopOf(c);
  const saved = await save(c, x, await form(c));
  return saved.page ?? c.redirect(checkoutPath(x.shop, saved.co.id), 303);
});

checkoutPages.post("/:slug/:id/coupon", async (c) => {
  const x = await shopOf(c);
  const f = await form(c);
  const code = (f.coupon_code ?? "").trim().slice(0, 40);
  if (!code) {
    const co = await getCheckoutRow(x.db, x.tenantId, c.req.param("id"));
    return render(c, x, co, { values: f, errors: { coupon_code: "Enter a discount code." } }, 400);
  }
  const saved = await save(c, x, f, { coupon_code: code });
  if (saved.page) return saved.page;
  const v = await view(c, x, saved.co);
  const problem = v.coupon_problem;
  if (!problem) return c.redirect(checkoutPath(x.shop, saved.co.id), 303);
  // A refused code is not kept on the checkout (it would block paying); the buyer sees why.
  const co = await updateCheckout(x.db, x.tenantId, saved.co.id, { coupon_code: null });
  const message = (v as CheckoutView & { coupon_message?: string | null }).coupon_message ?? "This code cannot be used on this order.";
  return render(c, x, co, { values: { ...f, coupon_code: code }, errors: { coupon_code: `${code.toUpperCase()}: ${message}` } }, 400);
});

checkoutPages.post("/:slug/:id/coupon/remove", async (c) => {
  const x = await shopOf(c);
  const saved = await save(c, x, await form(c), { coupon_code: null });
  return saved.page ?? c.redirect(checkoutPath(x.shop, saved.co.id), 303);
});

checkoutPages.post("/:slug/:id/pay", async (c) => {
  const x = await shopOf(c);
  const f = await form(c);
  const provider = f.provider;
  if (provider !== "stripe" && provider !== "paypal" && provider !== "simulator") {
    const co = await getCheckoutRow(x.db, x.tenantId, c.req.param("id"));
    return render(c, x, co, { values: f, message: "Choose a payment method." }, 400);
  }
  const saved = await save(c, x, f);
  if (saved.page) return saved.page;
  try {
    const r = await payCheckout(c.env, x.db, x.tenantId, saved.co.id, { provider, origin: appOrigin(c) });
    return c.redirect(r.redirect_url, 303);
  } catch (e) {
    if (!(e instanceof Problem)) throw e;
    const co = await getCheckoutRow(x.db, x.tenantId, saved.co.id);
    if (e.slug === "coupon-refused")
      return render(c, x, co, { values: f, errors: { coupon_code: e.detail ?? "This code cannot be used." }, message: e.detail }, 409);
    if (e.slug === "insufficient-stock") return soldOutPage(c, x, e);
    if (e.slug === "checkout-expired") return expiredPage(c, x, co);
    if (e.status === 400) return render(c, x, co, { values: f, errors: problemFields(e), message: "Check the highlighted fields." }, 400);
    if (e.status === 409 && co.orderId) {
      const order = await getOrderRow(x.db, x.tenantId, co.orderId);
      return c.redirect(orderPath(x.shop, order.id, order.accessToken), 303);
    }
    throw e;
  }
});

// Back from the provider. PayPal: capture now (a verified COMPLETED answer is what makes it paid);
// Stripe and the simulator: only their signed webhook does, so just show the order.
checkoutPages.get("/:slug/:id/return", async (c) => {
  const x = await shopOf(c);
  const co = await getCheckoutRow(x.db, x.tenantId, c.req.param("id"));
  const paypalOrder = c.req.query("token");
  if (c.req.query("provider") === "paypal" && paypalOrder) {
    const r = await capturePaypalReturn(c.env, x.db, x.tenantId, co.id, paypalOrder.slice(0, 64));
    return c.redirect(orderPath(x.shop, r.order_id, r.access_token), 303);
  }
  if (!co.orderId) return c.redirect(checkoutPath(x.shop, co.id), 303);
  const order = await getOrderRow(x.db, x.tenantId, co.orderId);
  return c.redirect(orderPath(x.shop, order.id, order.accessToken), 303);
});
