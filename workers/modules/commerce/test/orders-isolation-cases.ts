import { expect } from "vitest";
import { callJson, type TestUser } from "../../../../test/helpers";
import { insertOrder } from "./order-rows";

/**
 * Tenant-isolation cases for the staff orders and payment-provider routes (spread into
 * COMMERCE_CASES): B addressing A's order id gets 404 on every route and changes nothing; B's
 * provider settings never show A's and B's writes never touch A's.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;

const MARK_EMAIL = "okapi-buyer@example.test";
const A_PK = "pk_test_okapiAAAAAAAAAAAA";
let fixture: Promise<{ order: string }> | null = null;
const asA = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip, body });
const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, ip: w.b.ip, body });

function aOrders(w: AB) {
  fixture ??= (async () => {
    const o = await insertOrder(w.a.tenantId, { email: MARK_EMAIL, name: "Okapi", total: 2500 });
    const put = await asA(w, "PUT", "/api/v1/commerce/payment-providers/stripe", {
      secret_key: "sk_test_okapi0000000000",
      publishable_key: A_PK,
      webhook_secret: "whsec_okapi000000",
    });
    expect(put.status).toBe(200);
    return { order: o.id };
  })();
  return fixture;
}

/** A's order, as it was: paid, nothing refunded, shipped, noted or cancelled. */
async function aOrderUnchanged(w: AB) {
  const f = await aOrders(w);
  const d = await asA(w, "GET", `/api/v1/commerce/orders/${f.order}`);
  expect(d.body).toMatchObject({ status: "paid", refunded: 0, fulfilment_status: "unfulfilled" });
  expect(d.body.events.filter((e: { type: string }) => e.type === "note")).toEqual([]);
  expect(d.body.fulfilments).toEqual([]);
}

const orderIs404 =
  (method: string, suffix: string, body?: unknown): Case =>
  async (w) => {
    const f = await aOrders(w);
    const r = await asB(w, method, `/api/v1/commerce/orders/${f.order}${suffix}`, body);
    expect(r.status, `${method} …${suffix}`).toBe(404);
    await aOrderUnchanged(w);
  };

async function aStripeUnchanged(w: AB) {
  const p = await asA(w, "GET", "/api/v1/commerce/payment-providers");
  expect(p.body.stripe).toMatchObject({ configured: true, publishable_key: A_PK, webhook_configured: true });
}

export const ORDER_CASES: Record<string, Case> = {
  "GET /api/v1/commerce/orders": async (w) => {
    const f = await aOrders(w);
    const text = JSON.stringify((await asB(w, "GET", "/api/v1/commerce/orders?limit=100")).body);
    for (const leak of [f.order, MARK_EMAIL]) expect(text).not.toContain(leak);
    expect((await asB(w, "GET", `/api/v1/commerce/orders?q=okapi`)).body.data).toEqual([]);
    expect((await asB(w, "GET", `/api/v1/commerce/orders?customer=${MARK_EMAIL}`)).body.data).toEqual([]);
  },
  "GET /api/v1/commerce/orders/{id}": orderIs404("GET", ""),
  "POST /api/v1/commerce/orders/{id}/refunds": orderIs404("POST", "/refunds", { amount: 100 }),
  "POST /api/v1/commerce/orders/{id}/fulfilments": orderIs404("POST", "/fulfilments", { tracking_number: "X" }),
  "POST /api/v1/commerce/orders/{id}/cancel": orderIs404("POST", "/cancel", {}),
  "POST /api/v1/commerce/orders/{id}/notes": orderIs404("POST", "/notes", { body: "B was here" }),
  "POST /api/v1/commerce/orders/{id}/resend-receipt": orderIs404("POST", "/resend-receipt"),
  "GET /api/v1/commerce/payment-providers": async (w) => {
    await aOrders(w);
    const b = await asB(w, "GET", "/api/v1/commerce/payment-providers");
    expect(b.body.stripe).toMatchObject({ configured: false, publishable_key: null });
    expect(JSON.stringify(b.body)).not.toContain(w.a.tenantId);
  },
  "PUT /api/v1/commerce/payment-providers/stripe": async (w) => {
    await aOrders(w);
    const r = await asB(w, "PUT", "/api/v1/commerce/payment-providers/stripe", {
      secret_key: "sk_test_bbbbbbbbbbbb",
      publishable_key: "pk_test_bbbbbbbbbbbb",
    });
    expect(r.status).toBe(200);
    expect(r.body.stripe.publishable_key).toBe("pk_test_bbbbbbbbbbbb");
    await aStripeUnchanged(w);
    await asB(w, "DELETE", "/api/v1/commerce/payment-providers/stripe");
  },
  "PUT /api/v1/commerce/payment-providers/paypal": async (w) => {
    await aOrders(w);
    const r = await asB(w, "PUT", "/api/v1/commerce/payment-providers/paypal", { client_id: "b-client", client_secret: "b-secret" });
    expect(r.status).toBe(200);
    expect((await asA(w, "GET", "/api/v1/commerce/payment-providers")).body.paypal.configured).toBe(false);
    await asB(w, "DELETE", "/api/v1/commerce/payment-providers/paypal");
  },
  "DELETE /api/v1/commerce/payment-providers/{provider}": async (w) => {
    await aOrders(w);
    expect((await asB(w, "DELETE", "/api/v1/commerce/payment-providers/stripe")).status).toBe(404);
    await aStripeUnchanged(w);
  },
  "POST /api/v1/commerce/payment-providers/{provider}/test": async (w) => {
    await aOrders(w);
    expect((await asB(w, "POST", "/api/v1/commerce/payment-providers/stripe/test")).status).toBe(404);
    await aStripeUnchanged(w);
  },
};
