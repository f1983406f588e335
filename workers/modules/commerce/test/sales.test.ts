import { describe, expect, it } from "vitest";
import { signUp } from "../../../../test/helpers";
import { as } from "./commerce-helpers";
import { insertOrder } from "./order-rows";

/**
 * The staff's read-only views over orders: sales figures (GET /commerce/sales) and customers
 * (GET /commerce/customers[/{key}]). Orders are written straight into D1 so every figure below is
 * known in advance.
 */
const at = (isoTime: string) => Date.parse(isoTime);

describe("sales figures", () => {
  it("sums paid orders per UTC day net of refunds, zero-fills, rounds the average half up and skips other currencies and unpaid orders", async () => {
    const u = await signUp({ workspace: "Sales days" });
    const api = as(u);
    // 2026-11-02 (Mon): two paid orders, 1000 + 1001 → AOV 1000.5 → 1001.
    await insertOrder(u.tenantId, { email: "a@example.test", total: 1000, createdAt: at("2026-11-02T08:00:00Z") });
    await insertOrder(u.tenantId, { email: "b@example.test", total: 1001, createdAt: at("2026-11-02T23:59:59Z") });
    // 2026-11-03: a partial refund (5000 − 1500) and a full refund (counts only as a refund).
    await insertOrder(u.tenantId, {
      email: "a@example.test",
      total: 5000,
      refunded: 1500,
      status: "partially_refunded",
      createdAt: at("2026-11-03T10:00:00Z"),
    });
    await insertOrder(u.tenantId, {
      email: "c@example.test",
      total: 700,
      refunded: 700,
      status: "refunded",
      createdAt: at("2026-11-03T11:00:00Z"),
    });
    // 2026-11-05: fulfilled; paid just after midnight UTC although created the evening before.
    await insertOrder(u.tenantId, {
      email: "d@example.test",
      total: 2500,
      status: "fulfilled",
      createdAt: at("2026-11-04T23:50:00Z"),
      paidAt: at("2026-11-05T00:10:00Z"),
    });
    // Not counted: pending / failed (never paid), another currency, outside the range.
    await insertOrder(u.tenantId, { email: "e@example.test", total: 9999, status: "pending", createdAt: at("2026-11-02T12:00:00Z") });
    await insertOrder(u.tenantId, {
      email: "e@example.test",
      total: 9999,
      status: "payment_failed",
      createdAt: at("2026-11-03T12:00:00Z"),
    });
    await insertOrder(u.tenantId, { email: "f@example.test", total: 4242, currency: "EUR", createdAt: at("2026-11-02T12:00:00Z") });
    await insertOrder(u.tenantId, { email: "g@example.test", total: 8888, createdAt: at("2026-11-08T00:00:00Z") });
    await insertOrder(u.tenantId, { email: "g@example.test", total: 7777, createdAt: at("2026-10-31T23:59:59Z") });

    const r = await api("GET", "/api/v1/commerce/sales?from=2026-11-01&to=2026-11-07&interval=day&currency=usd");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body).toMatchObject({ currency: "USD", interval: "day", from: "2026-11-01T00:00:00.000Z", to: "2026-11-08T00:00:00.000Z" });
    expect(r.body.series).toEqual([
      { period: "2026-11-01", revenue: 0, orders: 0, average_order_value: 0, refunds: 0 },
      { period: "2026-11-02", revenue: 2001, orders: 2, average_order_value: 1001, refunds: 0 },
      { period: "2026-11-03", revenue: 3500, orders: 1, average_order_value: 3500, refunds: 2200 },
      { period: "2026-11-04", revenue: 0, orders: 0, average_order_value: 0, refunds: 0 },
      { period: "2026-11-05", revenue: 2500, orders: 1, average_order_value: 2500, refunds: 0 },
      { period: "2026-11-06", revenue: 0, orders: 0, average_order_value: 0, refunds: 0 },
      { period: "2026-11-07", revenue: 0, orders: 0, average_order_value: 0, refunds: 0 },
    ]);
    // 8001 / 4 = 2000.25 → 2000.
    expect(r.body.totals).toEqual({ revenue: 8001, orders: 4, average_order_value: 2000, refunds: 2200 });

    // The other currency on its own.
    const eur = await api("GET", "/api/v1/commerce/sales?from=2026-11-01&to=2026-11-07&currency=EUR");
    expect(eur.body.totals).toEqual({ revenue: 4242, orders: 1, average_order_value: 4242, refunds: 0 });
  });

  it("buckets by Monday-start weeks and calendar months in UTC", async () => {
    const u = await signUp({ workspace: "Sales weeks" });
    const api = as(u);
    // 2026-11-01 is a Sunday: it belongs to the week of Monday 2026-10-26.
    await insertOrder(u.tenantId, { email: "a@example.test", total: 100, createdAt: at("2026-11-01T23:00:00Z") });
    await insertOrder(u.tenantId, { email: "a@example.test", total: 200, createdAt: at("2026-11-02T00:00:00Z") });
    await insertOrder(u.tenantId, { email: "b@example.test", total: 300, createdAt: at("2026-11-08T12:00:00Z") });
    await insertOrder(u.tenantId, { email: "b@example.test", total: 400, createdAt: at("2026-12-01T00:00:00Z") });

    const weeks = await api("GET", "/api/v1/commerce/sales?from=2026-11-01&to=2026-11-15&interval=week");
    expect(weeks.status).toBe(200);
    expect(weeks.body.series.map((s: { period: string; revenue: number }) => [s.period, s.revenue])).toEqual([
      ["2026-10-26", 100],
      ["2026-11-02", 500],
      ["2026-11-09", 0],
    ]);

    const months = await api("GET", "/api/v1/commerce/sales?from=2026-10-15&to=2026-12-31&interval=month");
    expect(months.body.series.map((s: { period: string; orders: number }) => [s.period, s.orders])).toEqual([
      ["2026-10-01", 0],
      ["2026-11-01", 3],
      ["2026-12-01", 1],
    ]);
    expect(months.body.totals).toMatchObject({ revenue: 1000, orders: 4, average_order_value: 250 });
  });

  it("defaults to the last 30 days in the workspace's default currency and refuses a backwards or oversized range", async () => {
    const u = await signUp({ workspace: "Sales defaults" });
    const api = as(u);
    expect(
      (await api("PUT", "/api/v1/commerce/settings", { currencies: ["USD", "GBP"], default_currency: "GBP", reservation_minutes: 15 }))
        .status,
    ).toBe(200);
    await insertOrder(u.tenantId, { email: "a@example.test", total: 1234, currency: "GBP", createdAt: Date.now() - 60_000 });
    const r = await api("GET", "/api/v1/commerce/sales");
    expect(r.status).toBe(200);
    expect(r.body.currency).toBe("GBP");
    expect(r.body.series).toHaveLength(30);
    expect(r.body.series.at(-1)).toMatchObject({ period: new Date().toISOString().slice(0, 10), revenue: 1234, orders: 1 });

    const backwards = await api("GET", "/api/v1/commerce/sales?from=2026-11-10&to=2026-11-01");
    expect(backwards.status).toBe(400);
    expect(backwards.body.errors).toEqual([expect.objectContaining({ path: "from" })]);
    const tooMany = await api("GET", "/api/v1/commerce/sales?from=2020-01-01&to=2026-01-01&interval=day");
    expect(tooMany.status).toBe(400);
    expect((await api("GET", "/api/v1/commerce/sales?from=2020-01-01&to=2026-01-01&interval=month")).body.series).toHaveLength(73);
    expect((await api("GET", "/api/v1/commerce/sales?interval=hour")).status).toBe(400);
    expect((await api("GET", "/api/v1/commerce/sales?from=yesterday")).status).toBe(400);
  });
});

describe("customers", () => {
  it("lists each buyer once with paid orders, lifetime value per currency net of refunds and last order, newest buyer first", async () => {
    const u = await signUp({ workspace: "Customers" });
    const api = as(u);
    const t0 = at("2026-10-01T00:00:00Z");
    const h = 3_600_000;
    await insertOrder(u.tenantId, { email: "ada@example.test", name: "Ada Lovelace", total: 2000, createdAt: t0 });
    await insertOrder(u.tenantId, {
      email: "ada@example.test",
      name: "Ada Lovelace",
      total: 3000,
      refunded: 500,
      status: "partially_refunded",
      createdAt: t0 + h,
    });
    await insertOrder(u.tenantId, { email: "ada@example.test", total: 1500, currency: "EUR", status: "fulfilled", createdAt: t0 + 2 * h });
    // Not counted for Ada: failed and fully refunded orders.
    await insertOrder(u.tenantId, { email: "ada@example.test", total: 9000, status: "payment_failed", createdAt: t0 + 3 * h });
    await insertOrder(u.tenantId, { email: "ada@example.test", total: 800, refunded: 800, status: "refunded", createdAt: t0 + 4 * h });
    await insertOrder(u.tenantId, { email: "bob@example.test", name: "Bob Builder", total: 100, createdAt: t0 + 5 * h });
    await insertOrder(u.tenantId, { email: "cy@example.test", total: 700, endUserId: "eu_cy", createdAt: t0 + 6 * h });
    // Only a pending order: not a customer in the list.
    await insertOrder(u.tenantId, { email: "dee@example.test", total: 100, status: "pending", createdAt: t0 + 7 * h });

    const r = await api("GET", "/api/v1/commerce/customers");
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.data.map((c: { key: string }) => c.key)).toEqual(["user:eu_cy", "email:bob@example.test", "email:ada@example.test"]);
    expect(r.body.data[2]).toEqual({
      key: "email:ada@example.test",
      email: "ada@example.test",
      name: "Ada Lovelace",
      end_user_id: null,
      orders: 3,
      lifetime_value: [
        { currency: "USD", amount: 4500 },
        { currency: "EUR", amount: 1500 },
      ],
      first_order_at: new Date(t0).toISOString(),
      last_order_at: new Date(t0 + 2 * h).toISOString(),
    });
    expect(r.body.data[0]).toMatchObject({ end_user_id: "eu_cy", orders: 1, lifetime_value: [{ currency: "USD", amount: 700 }] });

    // Search by part of the email or the name (case-insensitive; LIKE wildcards are literal).
    const byName = await api("GET", "/api/v1/commerce/customers?q=LOVELACE");
    expect(byName.body.data.map((c: { key: string }) => c.key)).toEqual(["email:ada@example.test"]);
    expect((await api("GET", "/api/v1/commerce/customers?q=bob@")).body.data).toHaveLength(1);
    expect((await api("GET", "/api/v1/commerce/customers?q=%25")).body.data).toHaveLength(0);

    // Detail: the customer and every order of theirs, newest first, any status.
    const ada = await api("GET", `/api/v1/commerce/customers/${encodeURIComponent("email:ada@example.test")}`);
    expect(ada.status).toBe(200);
    expect(ada.body.customer).toEqual(r.body.data[2]);
    expect(ada.body.orders.map((o: { status: string; total: number }) => [o.status, o.total])).toEqual([
      ["refunded", 800],
      ["payment_failed", 9000],
      ["fulfilled", 1500],
      ["partially_refunded", 3000],
      ["paid", 2000],
    ]);
    expect(ada.body.orders[4]).toMatchObject({ item_count: 1, refunded: 0, paid_at: new Date(t0).toISOString() });
    expect(ada.body.orders[1].paid_at).toBeNull();

    // Someone with only an unpaid order: found, with no paid orders; nobody at all: 404.
    const dee = await api("GET", `/api/v1/commerce/customers/${encodeURIComponent("email:dee@example.test")}`);
    expect(dee.body.customer).toMatchObject({ email: "dee@example.test", orders: 0, lifetime_value: [], last_order_at: null });
    expect(dee.body.orders).toHaveLength(1);
    expect((await api("GET", "/api/v1/commerce/customers/email:nobody@example.test")).status).toBe(404);
    expect((await api("GET", "/api/v1/commerce/customers/not-a-key")).status).toBe(400);
  });

  it("pages with a cursor through customers that share a last-order time, each exactly once", async () => {
    const u = await signUp({ workspace: "Customer pages" });
    const api = as(u);
    const t = at("2026-09-01T00:00:00Z");
    // Seven customers; three share the same last-order instant (the cursor breaks ties by key).
    for (let i = 0; i < 7; i++)
      await insertOrder(u.tenantId, { email: `c${i}@example.test`, total: 100 + i, createdAt: i < 3 ? t : t + i * 1000 });
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const r: { status: number; body: { data: { key: string }[]; next_cursor: string | null } } = await api(
        "GET",
        `/api/v1/commerce/customers?limit=2${cursor ? `&cursor=${cursor}` : ""}`,
      );
      expect(r.status).toBe(200);
      seen.push(...r.body.data.map((c) => c.key));
      cursor = r.body.next_cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(pages).toBe(4);
    expect(seen).toEqual(["c6", "c5", "c4", "c3", "c2", "c1", "c0"].map((c) => `email:${c}@example.test`));
    expect((await api("GET", "/api/v1/commerce/customers?cursor=bm9wZQ")).status).toBe(400);
  });
});
