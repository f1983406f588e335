import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { commerceCouponRedemptions } from "../../../../schema/commerce";
import { signUp } from "../../../../test/helpers";
import { getDb } from "../../../platform/db";
import { couponProblem } from "../coupon-rules";
import { getCoupon, type CouponRow } from "../coupons.service";
import { commitRedemptions, redeemCoupon, releaseRedemptions } from "../redemptions.service";
import { runCommerceCron } from "../cron";
import { as } from "./commerce-helpers";

const db = () => getDb(env.DB);

async function coupon(u: Awaited<ReturnType<typeof signUp>>, input: Record<string, unknown>) {
  const r = await as(u)("POST", "/api/v1/commerce/coupons", {
    code: `C${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`,
    kind: "percent",
    percent_off_bps: 1000,
    ...input,
  });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; code: string };
}
const liveRows = async (tenantId: string, couponId: string) =>
  (
    await db()
      .select()
      .from(commerceCouponRedemptions)
      .where(and(eq(commerceCouponRedemptions.tenantId, tenantId), eq(commerceCouponRedemptions.couponId, couponId)))
  ).filter((r) => r.status !== "released");

describe("coupon limits, enforced atomically in D1", () => {
  it("50 concurrent redemptions of a code limited to 10 → exactly 10", async () => {
    const u = await signUp();
    const c = await coupon(u, { max_redemptions: 10 });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, (_, i) =>
        redeemCoupon(db(), u.tenantId, { couponId: c.id, customerKey: `email:buyer${i}@example.test`, checkoutId: `chk_${i}` }),
      ),
    );
    const ok = results.filter((r) => r.status === "fulfilled");
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === "rejected");
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(40);
    for (const r of refused) expect(r.reason).toMatchObject({ status: 409, reason: "usage_limit" });
    expect((await getCoupon(db(), u.tenantId, c.id)).redeemedCount).toBe(10);
    expect(await liveRows(u.tenantId, c.id)).toHaveLength(10);
    // The counts each winner saw are 1…10, each once.
    expect(ok.map((r) => (r as PromiseFulfilledResult<{ redeemedCount: number }>).value.redeemedCount).sort((a, b) => a - b)).toEqual([
      1, 2, 3, 4, 5, 6, 7, 8, 9, 10,
    ]);
  });

  it("per-customer limit under concurrency; the same checkout redeeming twice gets its redemption back", async () => {
    const u = await signUp();
    const c = await coupon(u, { max_per_customer: 1, max_redemptions: 100 });
    const same = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) =>
        redeemCoupon(db(), u.tenantId, { couponId: c.id, customerKey: "email:alice@example.test", checkoutId: `chk_a${i}` }),
      ),
    );
    expect(same.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    expect((same.find((r) => r.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ reason: "customer_limit" });
    // Bob is not Alice.
    const bob = await redeemCoupon(db(), u.tenantId, { couponId: c.id, customerKey: "email:bob@example.test", checkoutId: "chk_b" });
    const bobAgain = await redeemCoupon(db(), u.tenantId, { couponId: c.id, customerKey: "email:bob@example.test", checkoutId: "chk_b" });
    expect(bobAgain.redemptionId).toBe(bob.redemptionId);
    expect((await getCoupon(db(), u.tenantId, c.id)).redeemedCount).toBe(2);
    // Two pays of one checkout at once (no per-customer limit to stop the twin): one use, shared.
    const open = await coupon(u, { max_redemptions: 100 });
    const twins = await Promise.all(
      Array.from({ length: 6 }, () =>
        redeemCoupon(db(), u.tenantId, { couponId: open.id, customerKey: "email:carol@example.test", checkoutId: "chk_twin" }),
      ),
    );
    expect(new Set(twins.map((t) => t.redemptionId)).size).toBe(1);
    expect((await getCoupon(db(), u.tenantId, open.id)).redeemedCount).toBe(1);
    expect(await liveRows(u.tenantId, open.id)).toHaveLength(1);
  });

  it("a released use frees its place exactly once; a committed one keeps it; held uses expire with the cron", async () => {
    const u = await signUp();
    const c = await coupon(u, { max_redemptions: 2 });
    const now = Date.now();
    await redeemCoupon(db(), u.tenantId, {
      couponId: c.id,
      customerKey: "email:a@example.test",
      checkoutId: "chk_1",
      expiresAt: now + 60_000,
    });
    await redeemCoupon(db(), u.tenantId, {
      couponId: c.id,
      customerKey: "email:b@example.test",
      checkoutId: "chk_2",
      expiresAt: now + 60_000,
    });
    await expect(
      redeemCoupon(db(), u.tenantId, { couponId: c.id, customerKey: "email:c@example.test", checkoutId: "chk_3" }),
    ).rejects.toMatchObject({
      reason: "usage_limit",
    });
    // Two racing releases of the same checkout: the count drops by one.
    const released = await Promise.all([releaseRedemptions(db(), u.tenantId, "chk_1"), releaseRedemptions(db(), u.tenantId, "chk_1")]);
    expect(released[0] + released[1]).toBe(1);
    expect((await getCoupon(db(), u.tenantId, c.id)).redeemedCount).toBe(1);
    await redeemCoupon(db(), u.tenantId, {
      couponId: c.id,
      customerKey: "email:c@example.test",
      checkoutId: "chk_3",
      expiresAt: now + 60_000,
    });
    // chk_2 is paid: committed, no expiry. chk_3 expires.
    expect(await commitRedemptions(db(), u.tenantId, "chk_2")).toBe(1);
    const swept = await runCommerceCron(env, now + 61_000);
    expect(swept.redemptions).toBeGreaterThanOrEqual(1);
    expect((await runCommerceCron(env, now + 61_000)).redemptions).toBe(0);
    expect((await getCoupon(db(), u.tenantId, c.id)).redeemedCount).toBe(1);
    expect((await liveRows(u.tenantId, c.id)).map((r) => [r.checkoutId, r.status])).toEqual([["chk_2", "redeemed"]]);
  });

  it("an inactive coupon is refused, and another workspace's coupon id redeems nothing", async () => {
    const u = await signUp();
    const other = await signUp();
    const c = await coupon(u, { active: false });
    await expect(
      redeemCoupon(db(), u.tenantId, { couponId: c.id, customerKey: "email:a@example.test", checkoutId: "x" }),
    ).rejects.toMatchObject({ reason: "inactive" });
    // The date window is part of the atomic statement too.
    const past = await coupon(u, { ends_at: new Date(Date.now() - 1000).toISOString() });
    const future = await coupon(u, { starts_at: new Date(Date.now() + 3_600_000).toISOString() });
    const use = (couponId: string) => redeemCoupon(db(), u.tenantId, { couponId, customerKey: "email:a@example.test", checkoutId: "x" });
    await expect(use(past.id)).rejects.toMatchObject({ reason: "expired" });
    await expect(use(future.id)).rejects.toMatchObject({ reason: "not_started" });
    expect((await getCoupon(db(), u.tenantId, past.id)).redeemedCount).toBe(0);
    await expect(
      redeemCoupon(db(), other.tenantId, { couponId: c.id, customerKey: "email:a@example.test", checkoutId: "x" }),
    ).rejects.toMatchObject({
      status: 404,
    });
  });
});

describe("coupon rules", () => {
  const base: CouponRow = {
    tenantId: "t",
    id: "cpn",
    code: "X",
    name: "",
    kind: "percent",
    percentOffBps: 1000,
    amountOff: null,
    currency: null,
    appliesTo: "order",
    productIds: [],
    minSubtotal: null,
    startsAt: null,
    endsAt: null,
    firstOrderOnly: false,
    maxRedemptions: null,
    maxPerCustomer: null,
    redeemedCount: 0,
    active: true,
    createdAt: 0,
    updatedAt: 0,
  };
  const ctx = { currency: "USD", lines: [{ productId: "p1", unitAmount: 1000, quantity: 2 }], now: 1_000_000, paidOrders: 0 };
  it("checks dates, currency, minimum, scope, first order and limits", () => {
    expect(couponProblem(base, ctx)).toBeNull();
    expect(couponProblem({ ...base, active: false }, ctx)).toBe("inactive");
    expect(couponProblem({ ...base, startsAt: 1_000_001 }, ctx)).toBe("not_started");
    expect(couponProblem({ ...base, startsAt: 1_000_000 }, ctx)).toBeNull();
    expect(couponProblem({ ...base, endsAt: 1_000_000 }, ctx)).toBe("expired");
    expect(couponProblem({ ...base, currency: "EUR" }, ctx)).toBe("currency");
    expect(couponProblem({ ...base, currency: "USD", minSubtotal: 2001 }, ctx)).toBe("min_subtotal");
    expect(couponProblem({ ...base, currency: "USD", minSubtotal: 2000 }, ctx)).toBeNull();
    expect(couponProblem({ ...base, appliesTo: "products", productIds: ["p2"] }, ctx)).toBe("not_applicable");
    expect(couponProblem({ ...base, appliesTo: "products", productIds: ["p1"] }, ctx)).toBeNull();
    expect(couponProblem({ ...base, firstOrderOnly: true }, ctx)).toBeNull();
    expect(couponProblem({ ...base, firstOrderOnly: true }, { ...ctx, paidOrders: 1 })).toBe("first_order_only");
    expect(couponProblem({ ...base, maxRedemptions: 3, redeemedCount: 3 }, ctx)).toBe("usage_limit");
    expect(couponProblem({ ...base, maxPerCustomer: 1 }, { ...ctx, customerUses: 1 })).toBe("customer_limit");
  });

  it("staff API: the kind's field is required, money needs a currency, codes are unique case-insensitively, used coupons are kept", async () => {
    const u = await signUp();
    const bad = await as(u)("POST", "/api/v1/commerce/coupons", { code: "BAD1", kind: "amount", percent_off_bps: 500, min_subtotal: 100 });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["amount_off", "currency", "percent_off_bps"]);
    const ends = await as(u)("POST", "/api/v1/commerce/coupons", {
      code: "BAD2",
      kind: "percent",
      percent_off_bps: 500,
      starts_at: "2030-01-02T00:00:00Z",
      ends_at: "2030-01-01T00:00:00Z",
    });
    expect(ends.body.errors).toEqual([{ path: "ends_at", message: "must be after starts_at" }]);
    const ok = await as(u)("POST", "/api/v1/commerce/coupons", { code: "spring-10", kind: "amount", amount_off: 500, currency: "usd" });
    expect([ok.status, ok.body.code, ok.body.currency]).toEqual([201, "SPRING-10", "USD"]);
    expect((await as(u)("POST", "/api/v1/commerce/coupons", { code: "Spring-10", kind: "percent", percent_off_bps: 1 })).status).toBe(409);
    await redeemCoupon(db(), u.tenantId, { couponId: ok.body.id, customerKey: "email:a@example.test", checkoutId: "chk" });
    expect((await as(u)("GET", `/api/v1/commerce/coupons/${ok.body.id}`)).body.redeemed_count).toBe(1);
    expect((await as(u)("DELETE", `/api/v1/commerce/coupons/${ok.body.id}`)).status).toBe(409);
    expect((await as(u)("PATCH", `/api/v1/commerce/coupons/${ok.body.id}`, { active: false })).body.active).toBe(false);
    const unused = await as(u)("POST", "/api/v1/commerce/coupons", { code: "UNUSED", kind: "percent", percent_off_bps: 1 });
    expect((await as(u)("DELETE", `/api/v1/commerce/coupons/${unused.body.id}`)).status).toBe(204);
  });
});
