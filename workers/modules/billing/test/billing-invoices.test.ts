import { env } from "cloudflare:workers";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { billingSubscriptions } from "../../../../schema/billing";
import { consumeQuotaFor, requireFeature } from "../entitlements";
import { generateMonthlyInvoice, getInvoice } from "../invoices.service";
import { intervalPrice, recurringCents } from "../plans";
import { overageLine, planChangeProration, prorate, sumCents } from "../proration";
import { getSubscription } from "../subscription.service";
import { writeEvents } from "../usage.consumer";
import type { AppEnv } from "../../../platform/context";
import { getDb } from "../../../platform/db";
import { handleError } from "../../../platform/errors";
import { signUp } from "../../../../test/helpers";

const GB = 1024 ** 3;
const NOV1 = Date.UTC(2026, 10, 1);
const DEC1 = Date.UTC(2026, 11, 1);
const JAN1 = Date.UTC(2027, 0, 1);

describe("money arithmetic (integer cents)", () => {
  it("prorates linearly, rounding half up", () => {
    expect(prorate(4900, 15 * 86_400_000, 30 * 86_400_000)).toBe(2450);
    expect(prorate(29900, 10 * 86_400_000, 30 * 86_400_000)).toBe(9967); // 9966.67
    expect(prorate(1, 1, 2)).toBe(1); // 0.5 → 1
    expect(prorate(1, 1, 3)).toBe(0);
    expect(prorate(-4900, 15, 30)).toBe(-2450);
    expect(prorate(4900, 40, 30)).toBe(4900); // clamped to the period
    expect(prorate(4900, -5, 30)).toBe(0);
  });

  it("prices yearly at 20% off and seats on top of the included ones", () => {
    expect(intervalPrice(4900, "year")).toBe(47040);
    expect(recurringCents("starter", "month", 3)).toBe(4900);
    expect(recurringCents("starter", "month", 5)).toBe(6900);
    expect(recurringCents("starter", "year", 5)).toBe(47040 + 2 * 9600);
    expect(recurringCents("professional", "month", 12)).toBe(29900 + 2 * 2000);
    expect(recurringCents("enterprise", "year", 25)).toBe(959040);
  });

  it("Starter (3 seats) → Professional (10 seats) halfway through November: credit and charge", () => {
    const at = Date.UTC(2026, 10, 16);
    const lines = planChangeProration(
      { plan: "starter", interval: "month", seats: 3 },
      { plan: "professional", interval: "month", seats: 10 },
      at,
      { start: NOV1, end: DEC1 },
      { start: NOV1, end: DEC1 },
    );
    expect(lines.map((l) => l.amountCents)).toEqual([-2450, 14950]);
    expect(sumCents(lines)).toBe(12500);
  });

  it("seat increase mid-period charges only the extra seats' remaining time; monthly → yearly starts a new year", () => {
    const at = Date.UTC(2026, 10, 21); // 10 of 30 days left
    const seats = planChangeProration(
      { plan: "starter", interval: "month", seats: 3 },
      { plan: "starter", interval: "month", seats: 6 },
      at,
      { start: NOV1, end: DEC1 },
      { start: NOV1, end: DEC1 },
    );
    expect(sumCents(seats)).toBe(prorate(7900, 10, 30) - prorate(4900, 10, 30)); // 2633 - 1633
    expect(sumCents(seats)).toBe(1000);
    const yearly = planChangeProration(
      { plan: "starter", interval: "month", seats: 3 },
      { plan: "starter", interval: "year", seats: 3 },
      at,
      { start: NOV1, end: DEC1 },
      { start: NOV1, end: Date.UTC(2027, 10, 1) },
    );
    const yearMs = Date.UTC(2027, 10, 1) - NOV1;
    expect(yearly.map((l) => l.amountCents)).toEqual([-1633, prorate(47040, Date.UTC(2027, 10, 1) - at, yearMs)]);
    expect(yearly[1]!.amountCents).toBe(44462); // 47040 × 345/365 = 44462.47
  });

  it("bills overage per started block", () => {
    expect(overageLine("emails", 5_000, 5_000)).toBeNull();
    expect(overageLine("emails", 5_001, 5_000)).toMatchObject({ quantity: 1, amountCents: 100 });
    expect(overageLine("emails", 7_000, 5_000)).toMatchObject({ quantity: 2_000, amountCents: 200 });
    expect(overageLine("ai_tokens", 3_500_001, 1_000_000)).toMatchObject({ quantity: 2_500_001, amountCents: 600 });
    expect(overageLine("storage_bytes", 10 * GB + 1, 10 * GB)).toMatchObject({ amountCents: 10 });
    expect(overageLine("leads", 2_000, 1_000)).toBeNull(); // no overage price: a hard limit
  });
});

describe("monthly invoice", () => {
  it("platform fee + seats in advance, last month's overage in arrears, pending prorations — exact totals, generated once", async () => {
    const u = await signUp();
    const db = getDb(env.DB);
    await db.insert(billingSubscriptions).values({
      tenantId: u.tenantId,
      plan: "starter",
      interval: "month",
      status: "active",
      seats: 5,
      provider: "simulator",
      providerSubscriptionId: "sub_sim_x",
      periodStart: NOV1,
      periodEnd: DEC1,
      allowOverage: true,
      stateAt: 1,
      createdAt: NOV1,
      updatedAt: NOV1,
    });
    const inNov = Date.UTC(2026, 10, 20);
    await writeEvents(env, [
      { t: u.tenantId, e: "n1", m: "emails", q: 5_400, u: null, at: inNov },
      { t: u.tenantId, e: "n2", m: "ai_tokens", q: 3_500_001, u: null, at: inNov },
      { t: u.tenantId, e: "n3", m: "bandwidth_bytes", q: 50 * GB, u: null, at: inNov }, // exactly included
    ]);
    const sub = await getSubscription(db, u.tenantId);
    const inv = await generateMonthlyInvoice(db, env.DB, sub, DEC1);
    expect(inv).not.toBeNull();
    const detail = await getInvoice(db, u.tenantId, inv!.id);
    expect(detail.lines.map((l) => [l.kind, l.meter, l.quantity, l.unit_amount_cents, l.amount_cents])).toEqual([
      ["platform_fee", null, 1, 4900, 4900],
      ["seats", null, 2, 1000, 2000],
      ["overage", "emails", 400, 100, 100],
      ["overage", "ai_tokens", 2_500_001, 200, 600],
    ]);
    expect(detail.total_cents).toBe(7600);
    expect(detail.period_start).toBe(new Date(DEC1).toISOString());
    const again = await generateMonthlyInvoice(db, env.DB, sub, DEC1);
    expect(again!.id).toBe(inv!.id);
    // Nothing in January's invoice from November: only the fee and seats.
    const jan = await generateMonthlyInvoice(db, env.DB, sub, JAN1);
    expect(jan!.totalCents).toBe(6900);
  });
});

describe("requireFeature", () => {
  const app = new Hono<AppEnv>();
  app.onError(handleError);
  app.get("/t/:tenant/workflows", async (c) => {
    c.set("tenant", { id: c.req.param("tenant"), role: "owner" });
    await requireFeature(c, "workflows");
    return c.text("ok");
  });

  it("402 with the plan that includes the feature and an upgrade link; passes after upgrading", async () => {
    const u = await signUp();
    const res = await app.request(`http://weft.test/t/${u.tenantId}/workflows`, {}, env);
    expect(res.status).toBe(402);
    expect(res.headers.get("Content-Type")).toBe("application/problem+json");
    expect(await res.json()).toMatchObject({
      type: "https://weft.dev/problems/feature-not-in-plan",
      feature: "workflows",
      plan: "free",
      required_plan: "professional",
      upgrade_url: "http://weft.test/settings/billing",
    });
    const now = Date.now();
    await getDb(env.DB)
      .insert(billingSubscriptions)
      .values({
        tenantId: u.tenantId,
        plan: "professional",
        interval: "month",
        status: "active",
        seats: 10,
        provider: "simulator",
        periodStart: now,
        periodEnd: now + 1e9,
        stateAt: now,
        createdAt: now,
        updatedAt: now,
      });
    expect((await app.request(`http://weft.test/t/${u.tenantId}/workflows`, {}, env)).status).toBe(200);
    expect((await consumeQuotaFor(env, u.tenantId, "campaigns", 100)).granted).toBe(true);
    expect((await consumeQuotaFor(env, u.tenantId, "campaigns", 1)).granted).toBe(false);
  });
});
