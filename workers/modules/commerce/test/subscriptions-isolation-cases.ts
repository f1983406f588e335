import { env } from "cloudflare:workers";
import { expect } from "vitest";
import { commerceSubscriptions } from "../../../../schema/commerce-subscriptions";
import { getDb } from "../../../platform/db";
import { newId } from "../../../platform/ids";
import { callJson, type TestUser } from "../../../../test/helpers";
import { insertOrder } from "./order-rows";

/**
 * Tenant-isolation cases for the staff subscription routes (spread into COMMERCE_CASES): A has a
 * product and a running subscription; B addressing A's ids gets 404 on every route, B's list never
 * shows A's, and A's rows are unchanged afterwards.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;

const MARK = "narwhal-subscriber@example.test";
let fixture: Promise<{ sub: string; product: string }> | null = null;
const asA = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip, body });
const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, ip: w.b.ip, body });

/** A running simulator subscription of A's, written straight into D1 (a row is all the routes read). */
export async function insertSubscription(tenantId: string, o: { email: string; endUserId?: string | null; title?: string }) {
  const order = await insertOrder(tenantId, { email: o.email, total: 900, endUserId: o.endUserId ?? null });
  const id = newId("sub");
  const now = Date.now();
  await getDb(env.DB)
    .insert(commerceSubscriptions)
    .values({
      tenantId,
      id,
      checkoutId: newId("chk"),
      orderId: order.id,
      productId: "prod_test",
      variantId: "var_test",
      title: o.title ?? "Narwhal club",
      endUserId: o.endUserId ?? null,
      email: o.email,
      customerKey: o.endUserId ? `user:${o.endUserId}` : `email:${o.email}`,
      currency: "USD",
      amount: 900,
      interval: "month",
      status: "active",
      provider: "simulator",
      providerSubscriptionId: `sub_sim_${id.slice(4)}`,
      currentPeriodStart: now,
      currentPeriodEnd: now + 30 * 86_400_000,
      idempotencyKey: `weft-subscription-${order.id}`,
      createdAt: now,
      updatedAt: now,
    });
  return { id, orderId: order.id };
}

function aSubs(w: AB) {
  fixture ??= (async () => {
    const s = await insertSubscription(w.a.tenantId, { email: MARK });
    const p = await asA(w, "POST", "/api/v1/commerce/products", {
      title: "Narwhal club",
      type: "digital",
      variants: [{ sku: `NARWHAL-${Date.now().toString(36)}`.toUpperCase(), prices: { USD: 900 }, track_inventory: false }],
    });
    expect(p.status).toBe(201);
    expect((await asA(w, "PUT", `/api/v1/commerce/products/${p.body.id}/recurring`, { interval: "month" })).status).toBe(200);
    return { sub: s.id, product: p.body.id as string };
  })();
  return fixture;
}

async function aUnchanged(w: AB) {
  const f = await aSubs(w);
  const d = await asA(w, "GET", `/api/v1/commerce/subscriptions/${f.sub}`);
  expect(d.body).toMatchObject({ status: "active", cancel_at_period_end: false, invoices: [] });
  expect((await asA(w, "GET", `/api/v1/commerce/products/${f.product}`)).body.recurring).toMatchObject({ interval: "month" });
}

const subIs404 =
  (method: string, suffix: string, body?: unknown): Case =>
  async (w) => {
    const f = await aSubs(w);
    const r = await asB(w, method, `/api/v1/commerce/subscriptions/${f.sub}${suffix}`, body);
    expect(r.status, `${method} …${suffix}`).toBe(404);
    await aUnchanged(w);
  };
const productIs404 =
  (method: string, body?: unknown): Case =>
  async (w) => {
    const f = await aSubs(w);
    expect((await asB(w, method, `/api/v1/commerce/products/${f.product}/recurring`, body)).status).toBe(404);
    await aUnchanged(w);
  };

export const SUBSCRIPTION_CASES: Record<string, Case> = {
  "GET /api/v1/commerce/subscriptions": async (w) => {
    const f = await aSubs(w);
    const text = JSON.stringify((await asB(w, "GET", "/api/v1/commerce/subscriptions?limit=100")).body);
    for (const leak of [f.sub, MARK]) expect(text).not.toContain(leak);
  },
  "GET /api/v1/commerce/subscriptions/{id}": subIs404("GET", ""),
  "POST /api/v1/commerce/subscriptions/{id}/cancel": subIs404("POST", "/cancel", { mode: "now" }),
  "POST /api/v1/commerce/subscriptions/{id}/resume": subIs404("POST", "/resume", {}),
  "POST /api/v1/commerce/subscriptions/{id}/simulate-renewal": subIs404("POST", "/simulate-renewal", { outcome: "paid" }),
  "PUT /api/v1/commerce/products/{id}/recurring": productIs404("PUT", { interval: "year" }),
  "DELETE /api/v1/commerce/products/{id}/recurring": productIs404("DELETE"),
};
