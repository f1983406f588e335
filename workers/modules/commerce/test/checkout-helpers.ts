import { env, exports } from "cloudflare:workers";
import { expect } from "vitest";
import { BASE, call, freshIp } from "../../../../test/helpers";
import { signStripePayload } from "../../billing";
import { simulatorSecret } from "../providers.service";
import { as, newProduct, shop, storefront } from "./commerce-helpers";

/** Fixtures of the checkout / payments / orders tests. */

export const ADDRESS = { name: "Ada Buyer", line1: "1 Main St", city: "New York", region: "NY", postal_code: "10001", country: "US" };

let buyerCounter = 0;
/** A buyer's email unique to this run (tests share one dev mailbox). */
export const buyerEmail = (tag = "ada") => `${tag}-${Date.now().toString(36)}-${++buyerCounter}@example.test`;

/** A shop selling a shirt (10 in stock) with US tax (NY 8.875 %) and a flat 8.00 shipping rate. */
export async function sellingShop(name = "Checkout shop", productInput: Record<string, unknown> = {}) {
  const s = await shop(name);
  const product = await newProduct(s.u, productInput);
  await as(s.u)("POST", "/api/v1/commerce/tax-rates", { country: "US", region: "NY", rate_ppm: 88_750 });
  const rate = await as(s.u)("POST", "/api/v1/commerce/shipping-rates", { name: "Standard", currency: "USD", kind: "flat", amount: 800 });
  expect(rate.status).toBe(201);
  return { ...s, product, variantId: product.variants[0]?.id ?? "", sf: storefront(s.key), rateId: rate.body.id as string };
}

/** A Buy-link checkout with the buyer's details filled in. */
export async function readyCheckout(
  sf: ReturnType<typeof storefront>,
  variantId: string,
  quantity = 1,
  extra: Record<string, unknown> = {},
) {
  const r = await sf("POST", "/public/v1/commerce/checkouts", {
    lines: [{ variant_id: variantId, quantity }],
    email: buyerEmail(),
    shipping_address: ADDRESS,
    ...extra,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body;
}

/** Pays with the simulator and follows its page's Approve (or Decline) button. */
export async function payWithSimulator(sf: ReturnType<typeof storefront>, checkoutId: string, decision: "approve" | "decline" = "approve") {
  const pay = await sf("POST", `/public/v1/commerce/checkouts/${checkoutId}/pay`, { provider: "simulator" });
  expect(pay.status, JSON.stringify(pay.body)).toBe(200);
  const url = new URL(pay.body.redirect_url);
  const page = await call(`${url.pathname}${url.search}`);
  expect(page.status).toBe(200);
  const post = await exports.default.fetch(`${BASE}${url.pathname}/${decision}${url.search}`, {
    method: "POST",
    redirect: "manual",
    headers: { "CF-Connecting-IP": freshIp() },
  });
  expect(post.status, await post.clone().text()).toBe(303);
  return { pay: pay.body, location: post.headers.get("Location") ?? "" };
}

/** A Stripe-shaped event signed with the workspace's simulator secret (what the simulator sends). */
export async function simulatorSigned(tenantId: string, event: unknown, secret?: string) {
  const body = JSON.stringify(event);
  const sig = await signStripePayload(body, secret ?? (await simulatorSecret(env, tenantId)) ?? "");
  return postRaw(`/webhooks/commerce/${tenantId}/stripe`, body, { "Stripe-Signature": sig });
}

/** A raw POST (webhook bodies are verified byte for byte). */
export async function postRaw(path: string, body: string, headers: Record<string, string>) {
  const res = await exports.default.fetch(`${BASE}${path}`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": freshIp(), ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

export const stockOf = async (u: Parameters<typeof as>[0], productId: string) =>
  (await as(u)("GET", `/api/v1/commerce/products/${productId}`)).body.variants[0].inventory as {
    on_hand: number;
    reserved: number;
    available: number | null;
  };
