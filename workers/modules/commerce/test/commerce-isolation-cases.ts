import { expect } from "vitest";
import { exports } from "cloudflare:workers";
import { BASE, call, callJson, type TestUser } from "../../../../test/helpers";
import { insertOrder } from "./order-rows";
import { ORDER_CASES } from "./orders-isolation-cases";
import { SUBSCRIPTION_CASES } from "./subscriptions-isolation-cases";

/**
 * Tenant-isolation cases for the commerce staff routes, spread into CASES in
 * tenant-isolation.test.ts. A gets a product (two variants), a collection, a tax rate, a shipping
 * rate and a coupon (created once, lazily); B tries them through B's own workspace and must get
 * 404 or only B's data, and A's records must be unchanged afterwards. (The storefront's cart ids
 * are covered in carts.test.ts: another shop's cart id is 404 on every cart route.)
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const MARK = "Zebracorn tee";

interface Fixture {
  product: string;
  variant: string;
  sku: string;
  collection: string;
  tax: string;
  shipping: string;
  coupon: string;
  code: string;
}
let fixture: Promise<Fixture> | null = null;
export function aCommerce(w: AB): Promise<Fixture> {
  fixture ??= (async () => {
    const asA = (method: string, path: string, body?: unknown) =>
      callJson(path, { method, token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip, body });
    const sku = `ZEBRA-${Date.now().toString(36)}`.toUpperCase();
    const col = await asA("POST", "/api/v1/commerce/collections", { title: `${MARK} collection` });
    const p = await asA("POST", "/api/v1/commerce/products", {
      title: MARK,
      options: ["Size"],
      collection_ids: [col.body.id],
      variants: [
        { sku, options: { Size: "S" }, prices: { USD: 1500 }, on_hand: 5 },
        { sku: `${sku}-M`, options: { Size: "M" }, prices: { USD: 1500 }, on_hand: 5 },
      ],
    });
    const tax = await asA("POST", "/api/v1/commerce/tax-rates", { country: "ZW", rate_ppm: 150_000, name: "Zebra VAT" });
    const ship = await asA("POST", "/api/v1/commerce/shipping-rates", { name: "Zebra post", currency: "USD", kind: "flat", amount: 700 });
    const code = `ZEBRA${Date.now().toString(36)}`.toUpperCase();
    const coupon = await asA("POST", "/api/v1/commerce/coupons", { code, kind: "percent", percent_off_bps: 1000 });
    expect([col.status, p.status, tax.status, ship.status, coupon.status]).toEqual([201, 201, 201, 201, 201]);
    return {
      product: p.body.id,
      variant: p.body.variants[0].id,
      sku,
      collection: col.body.id,
      tax: tax.body.id,
      shipping: ship.body.id,
      coupon: coupon.body.id,
      code,
    };
  })();
  return fixture;
}

const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const asA = (w: AB, path: string) => callJson(path, { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip });
const noneOfA = async (w: AB, payload: unknown) => {
  const f = await aCommerce(w);
  const text = JSON.stringify(payload);
  // Not the SKU or the code: B may legitimately use the same ones (they are per workspace).
  for (const s of [f.product, f.variant, f.collection, f.tax, f.shipping, f.coupon, MARK]) expect(text, `leaked ${s}`).not.toContain(s);
};
const is404 =
  (method: string, path: (f: Fixture) => string, body?: unknown): Case =>
  async (w) => {
    const f = await aCommerce(w);
    const r = await asB(w, method, path(f), body);
    expect(r.status, `${method} ${path(f)}`).toBe(404);
  };
/** A's product, untouched: same title, stock and prices as created. */
const aUnchanged = async (w: AB) => {
  const f = await aCommerce(w);
  const p = await asA(w, `/api/v1/commerce/products/${f.product}`);
  expect(p.body).toMatchObject({ title: MARK, status: "active" });
  expect(p.body.variants[0]).toMatchObject({ sku: f.sku, prices: { USD: 1500 }, inventory: { on_hand: 5, reserved: 0 } });
};

/** A paid order of A's (written straight into D1), for the customers and sales views. */
const ORDER_EMAIL = "zebracorn-buyer@example.test";
let order: Promise<{ id: string }> | null = null;
const aOrder = (w: AB) => {
  order ??= insertOrder(w.a.tenantId, { email: ORDER_EMAIL, name: MARK, total: 4321, currency: "USD" });
  return order;
};

export const COMMERCE_CASES: Record<string, Case> = {
  "GET /api/v1/commerce/products": async (w) => {
    await noneOfA(w, (await asB(w, "GET", "/api/v1/commerce/products?limit=100")).body);
    await noneOfA(w, (await asB(w, "GET", "/api/v1/commerce/products?q=zebracorn")).body);
    const f = await aCommerce(w);
    await noneOfA(w, (await asB(w, "GET", `/api/v1/commerce/products?collection=${f.collection}`)).body);
  },
  "POST /api/v1/commerce/products": async (w) => {
    const f = await aCommerce(w);
    // B may use A's SKU (SKUs are per workspace) but not A's collection.
    const own = await asB(w, "POST", "/api/v1/commerce/products", { title: "B tee", variants: [{ sku: f.sku, prices: { USD: 1 } }] });
    expect(own.status).toBe(201);
    const cross = await asB(w, "POST", "/api/v1/commerce/products", {
      title: "B tee 2",
      collection_ids: [f.collection],
      variants: [{ sku: `${f.sku}-B2`, prices: { USD: 1 } }],
    });
    expect(cross.status).toBe(400);
    await aUnchanged(w);
  },
  "GET /api/v1/commerce/products/export": async (w) => {
    const res = await call("/api/v1/commerce/products/export", { token: w.b.accessToken, tenant: w.b.tenantId, ip: w.b.ip });
    expect(res.status).toBe(200);
    await noneOfA(w, await res.text());
  },
  "POST /api/v1/commerce/products/import": async (w) => {
    const f = await aCommerce(w);
    // A's handle in B's import creates B's own product; A's stays as it was.
    const res = await exports.default.fetch(`${BASE}/api/v1/commerce/products/import`, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${w.b.accessToken}`,
        "X-Tenant-ID": w.b.tenantId,
        "Content-Type": "text/csv",
        "CF-Connecting-IP": w.b.ip,
      },
      body: `handle,title,sku,on_hand,price_USD\nzebracorn-tee,Pwned,${f.sku}-IMP,0,0.01\n`,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ products_created: 1, errors: [] });
    await aUnchanged(w);
  },
  "GET /api/v1/commerce/products/{id}": is404("GET", (f) => `/api/v1/commerce/products/${f.product}`),
  "PATCH /api/v1/commerce/products/{id}": async (w) => {
    await is404("PATCH", (f) => `/api/v1/commerce/products/${f.product}`, { title: "pwned" })(w);
    await aUnchanged(w);
  },
  "DELETE /api/v1/commerce/products/{id}": async (w) => {
    await is404("DELETE", (f) => `/api/v1/commerce/products/${f.product}`)(w);
    await aUnchanged(w);
  },
  "POST /api/v1/commerce/products/{id}/variants": is404("POST", (f) => `/api/v1/commerce/products/${f.product}/variants`, {
    sku: "B-INTO-A",
    options: { Size: "XL" },
    prices: { USD: 1 },
  }),
  "PATCH /api/v1/commerce/variants/{id}": async (w) => {
    await is404("PATCH", (f) => `/api/v1/commerce/variants/${f.variant}`, { prices: { USD: 1 } })(w);
    await aUnchanged(w);
  },
  "DELETE /api/v1/commerce/variants/{id}": async (w) => {
    await is404("DELETE", (f) => `/api/v1/commerce/variants/${f.variant}`)(w);
    await aUnchanged(w);
  },
  "POST /api/v1/commerce/variants/{id}/inventory": async (w) => {
    await is404("POST", (f) => `/api/v1/commerce/variants/${f.variant}/inventory`, { on_hand: 0 })(w);
    await aUnchanged(w);
  },
  "GET /api/v1/commerce/collections": async (w) => {
    await noneOfA(w, (await asB(w, "GET", "/api/v1/commerce/collections")).body);
  },
  "POST /api/v1/commerce/collections": async (w) => {
    const f = await aCommerce(w);
    expect((await asB(w, "POST", "/api/v1/commerce/collections", { title: "B's", product_ids: [f.product] })).status).toBe(400);
    expect((await asB(w, "POST", "/api/v1/commerce/collections", { title: "B's" })).status).toBe(201);
  },
  "GET /api/v1/commerce/collections/{id}": is404("GET", (f) => `/api/v1/commerce/collections/${f.collection}`),
  "PATCH /api/v1/commerce/collections/{id}": is404("PATCH", (f) => `/api/v1/commerce/collections/${f.collection}`, { title: "pwned" }),
  "DELETE /api/v1/commerce/collections/{id}": async (w) => {
    await is404("DELETE", (f) => `/api/v1/commerce/collections/${f.collection}`)(w);
    const f = await aCommerce(w);
    expect((await asA(w, `/api/v1/commerce/collections/${f.collection}`)).body.product_count).toBe(1);
  },
  "GET /api/v1/commerce/settings": async (w) => {
    expect((await asB(w, "GET", "/api/v1/commerce/settings")).body.currencies).toEqual(["USD"]);
  },
  "PUT /api/v1/commerce/settings": async (w) => {
    await aCommerce(w);
    const r = await asB(w, "PUT", "/api/v1/commerce/settings", { currencies: ["EUR"], default_currency: "EUR", reservation_minutes: 5 });
    expect(r.status).toBe(200);
    expect((await asA(w, "/api/v1/commerce/settings")).body).toEqual({
      currencies: ["USD"],
      default_currency: "USD",
      reservation_minutes: 15,
    });
  },
  "GET /api/v1/commerce/tax-rates": async (w) => {
    await noneOfA(w, (await asB(w, "GET", "/api/v1/commerce/tax-rates")).body);
  },
  "POST /api/v1/commerce/tax-rates": async (w) => {
    await aCommerce(w);
    // Same destination as A's rate: B's own (destinations are unique per workspace).
    expect((await asB(w, "POST", "/api/v1/commerce/tax-rates", { country: "ZW", rate_ppm: 1 })).status).toBe(201);
  },
  "PATCH /api/v1/commerce/tax-rates/{id}": is404("PATCH", (f) => `/api/v1/commerce/tax-rates/${f.tax}`, { rate_ppm: 0 }),
  "DELETE /api/v1/commerce/tax-rates/{id}": is404("DELETE", (f) => `/api/v1/commerce/tax-rates/${f.tax}`),
  "GET /api/v1/commerce/shipping-rates": async (w) => {
    await noneOfA(w, (await asB(w, "GET", "/api/v1/commerce/shipping-rates")).body);
  },
  "POST /api/v1/commerce/shipping-rates": async (w) => {
    expect(
      (await asB(w, "POST", "/api/v1/commerce/shipping-rates", { name: "B post", currency: "USD", kind: "flat", amount: 1 })).status,
    ).toBe(201);
  },
  "PATCH /api/v1/commerce/shipping-rates/{id}": is404("PATCH", (f) => `/api/v1/commerce/shipping-rates/${f.shipping}`, { amount: 0 }),
  "DELETE /api/v1/commerce/shipping-rates/{id}": is404("DELETE", (f) => `/api/v1/commerce/shipping-rates/${f.shipping}`),
  "GET /api/v1/commerce/coupons": async (w) => {
    await noneOfA(w, (await asB(w, "GET", "/api/v1/commerce/coupons?limit=100")).body);
  },
  "POST /api/v1/commerce/coupons": async (w) => {
    const f = await aCommerce(w);
    // A's code is free in B (codes are per workspace).
    expect((await asB(w, "POST", "/api/v1/commerce/coupons", { code: f.code, kind: "percent", percent_off_bps: 10_000 })).status).toBe(201);
  },
  "GET /api/v1/commerce/coupons/{id}": is404("GET", (f) => `/api/v1/commerce/coupons/${f.coupon}`),
  "PATCH /api/v1/commerce/coupons/{id}": is404("PATCH", (f) => `/api/v1/commerce/coupons/${f.coupon}`, { percent_off_bps: 10_000 }),
  "DELETE /api/v1/commerce/coupons/{id}": async (w) => {
    await is404("DELETE", (f) => `/api/v1/commerce/coupons/${f.coupon}`)(w);
    const f = await aCommerce(w);
    expect((await asA(w, `/api/v1/commerce/coupons/${f.coupon}`)).body).toMatchObject({
      code: f.code,
      percent_off_bps: 1000,
      active: true,
    });
  },
  "GET /api/v1/commerce/customers": async (w) => {
    const o = await aOrder(w);
    const text = JSON.stringify((await asB(w, "GET", "/api/v1/commerce/customers?limit=100")).body);
    for (const leak of [ORDER_EMAIL, MARK, o.id]) expect(text).not.toContain(leak);
    expect((await asB(w, "GET", "/api/v1/commerce/customers?q=zebracorn")).body.data).toEqual([]);
  },
  "GET /api/v1/commerce/customers/{key}": async (w) => {
    await aOrder(w);
    expect((await asB(w, "GET", `/api/v1/commerce/customers/${encodeURIComponent(`email:${ORDER_EMAIL}`)}`)).status).toBe(404);
    expect((await asA(w, `/api/v1/commerce/customers/${encodeURIComponent(`email:${ORDER_EMAIL}`)}`)).body.customer.orders).toBe(1);
  },
  "GET /api/v1/commerce/sales": async (w) => {
    await aOrder(w);
    expect((await asB(w, "GET", "/api/v1/commerce/sales?currency=USD")).body.totals).toEqual({
      revenue: 0,
      orders: 0,
      average_order_value: 0,
      refunds: 0,
    });
    expect((await asA(w, "/api/v1/commerce/sales?currency=USD")).body.totals.revenue).toBe(4321);
  },
  // Orders and payment providers (orders-isolation-cases.ts).
  ...ORDER_CASES,
  ...SUBSCRIPTION_CASES,
};
