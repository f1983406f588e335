import { env, exports } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { outboxMessages } from "../../../../schema/messaging";
import { runBillingCron, DAILY_BILLING_CRON } from "../cron";
import { consumeQuotaFor } from "../entitlements";
import { getDb } from "../../../platform/db";
import { BASE, call, callJson, signUp, type TestUser } from "../../../../test/helpers";
import { setSimulatedPaymentMethod } from "./billing-helpers";
import { planCatalogSchema } from "../schemas";

const db = () => getDb(env.DB);
const as = (u: TestUser, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: u.accessToken, tenant: u.tenantId, body, ip: u.ip });

/** Goes through the simulator like a browser: checkout → simulator page → approve/decline form post. */
async function simulatedCheckout(u: TestUser, body: Record<string, unknown>, decision: "approve" | "decline" = "approve") {
  const start = await as(u, "POST", "/api/v1/billing/checkout", body);
  expect(start.status, JSON.stringify(start.body)).toBe(200);
  expect(start.body.mode).toBe("simulator");
  const path = new URL(start.body.url).pathname;
  const page = await call(path);
  const html = await page.text();
  expect(page.status).toBe(200);
  expect(html).toContain("Payment simulator");
  const res = await exports.default.fetch(`${BASE}${path}/${decision}`, { method: "POST", redirect: "manual" });
  expect(res.status, await res.clone().text()).toBe(303);
  return res.headers.get("Location");
}

describe("billing: catalog and summary", () => {
  it("publishes the catalog with yearly prices at 20% off, in integer cents", async () => {
    const r = await callJson("/api/v1/billing/plans");
    expect(r.status).toBe(200);
    expect(planCatalogSchema.safeParse(r.body).error).toBeUndefined(); // the published OpenAPI shape
    const byId = Object.fromEntries(r.body.plans.map((p: any) => [p.id, p]));
    expect([byId.free.monthly_cents, byId.starter.monthly_cents, byId.professional.monthly_cents, byId.enterprise.monthly_cents]).toEqual([
      0, 4900, 29900, 99900,
    ]);
    expect([byId.starter.yearly_cents, byId.professional.yearly_cents, byId.enterprise.yearly_cents]).toEqual([47040, 287040, 959040]);
    expect([byId.free.limits.emails, byId.starter.limits.emails, byId.professional.limits.emails, byId.enterprise.limits.emails]).toEqual([
      100, 5000, 50000, 500000,
    ]);
    expect([byId.free.limits.leads, byId.starter.limits.leads, byId.professional.limits.leads, byId.enterprise.limits.leads]).toEqual([
      50, 1000, 10000, 100000,
    ]);
    expect([
      byId.free.limits.campaigns,
      byId.starter.limits.campaigns,
      byId.professional.limits.campaigns,
      byId.enterprise.limits.campaigns,
    ]).toEqual([1, 10, 100, null]);
    expect(byId.professional.features).toEqual(expect.arrayContaining(["salesboard", "knowledge_fusion", "workflows"]));
    expect(byId.enterprise.features).toEqual(expect.arrayContaining(["ai_safety_console", "voice_to_action", "custom_integrations"]));
    expect(byId.starter.trial_days).toBe(14);
  });

  it("a new workspace is on Free with usage and limits per meter", async () => {
    const u = await signUp();
    await consumeQuotaFor(env, u.tenantId, "emails", 12);
    const r = await as(u, "GET", "/api/v1/billing");
    expect(r.status).toBe(200);
    expect(r.body.subscription).toMatchObject({ plan: "free", status: "active", provider: "none" });
    expect(r.body.usage.find((m: any) => m.meter === "emails")).toMatchObject({ used: 12, limit: 100 });
    expect(r.body.usage.find((m: any) => m.meter === "seats")).toMatchObject({ used: 1, limit: 3 });
    expect(r.body.payment.simulator).toBe(true);
  });
});

describe("billing: upgrade through the payment simulator", () => {
  it("Free → Starter: approve posts signed webhooks; the plan, limits and first invoice follow", async () => {
    const u = await signUp();
    const loc = await simulatedCheckout(u, { plan: "starter", interval: "month", seats: 3, provider: "stripe" });
    expect(loc).toBe(`${BASE}/settings/billing?checkout=success`);
    const s = await as(u, "GET", "/api/v1/billing");
    expect(s.body.subscription).toMatchObject({ plan: "starter", status: "active", provider: "simulator", seats: 3 });
    expect(s.body.usage.find((m: any) => m.meter === "emails").limit).toBe(5000);
    const inv = await as(u, "GET", "/api/v1/billing/invoices");
    expect(inv.body.data).toHaveLength(1);
    expect(inv.body.data[0]).toMatchObject({ status: "paid", plan: "starter" });
    expect(inv.body.data[0].total_cents).toBeGreaterThan(0);
    expect(inv.body.data[0].total_cents).toBeLessThanOrEqual(4900);
    const detail = await as(u, "GET", `/api/v1/billing/invoices/${inv.body.data[0].id}`);
    expect(detail.body.lines[0]).toMatchObject({ kind: "proration" });
    // A second checkout is refused: change the plan instead.
    expect((await as(u, "POST", "/api/v1/billing/checkout", { plan: "professional", seats: 3 })).status).toBe(409);
  });

  it("declining changes nothing", async () => {
    const u = await signUp();
    const loc = await simulatedCheckout(u, { plan: "starter", seats: 3, provider: "paypal" }, "decline");
    expect(loc).toContain("checkout=declined");
    expect((await as(u, "GET", "/api/v1/billing")).body.subscription.plan).toBe("free");
  });

  it("PayPal flavour: activation and payment arrive as RSA-signed PayPal events", async () => {
    const u = await signUp();
    await simulatedCheckout(u, { plan: "professional", interval: "year", seats: 12, provider: "paypal" });
    const s = await as(u, "GET", "/api/v1/billing");
    expect(s.body.subscription).toMatchObject({ plan: "professional", interval: "year", seats: 12, provider: "simulator" });
    expect(s.body.features).toContain("workflows");
    const inv = await as(u, "GET", "/api/v1/billing/invoices");
    expect(inv.body.data[0].status).toBe("paid");
  });

  it("starts a 14-day trial once; nothing is charged while trialing", async () => {
    const u = await signUp();
    await simulatedCheckout(u, { plan: "starter", seats: 3, provider: "stripe", trial: true });
    const s = await as(u, "GET", "/api/v1/billing");
    expect(s.body.subscription.status).toBe("trialing");
    expect(s.body.trial_available).toBe(false);
    const days = (Date.parse(s.body.trial.ends_at) - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.9);
    expect(days).toBeLessThanOrEqual(14);
    expect((await as(u, "GET", "/api/v1/billing/invoices")).body.data).toHaveLength(0);
  });

  it("upgrade with proration, seat change, then cancel at period end", async () => {
    const u = await signUp();
    await simulatedCheckout(u, { plan: "starter", seats: 3, provider: "stripe" });
    const preview = await as(u, "GET", "/api/v1/billing/preview?plan=professional&interval=month&seats=10");
    expect(preview.status).toBe(200);
    expect(preview.body.lines.map((l: any) => Math.sign(l.amountCents))).toEqual([-1, 1]);
    const change = await as(u, "POST", "/api/v1/billing/subscription/change", { plan: "professional", interval: "month", seats: 10 });
    expect(change.status, JSON.stringify(change.body)).toBe(200);
    expect(change.body.subscription).toMatchObject({ plan: "professional", seats: 10 });
    const s = await as(u, "GET", "/api/v1/billing");
    expect(s.body.pending_items_cents).toBe(preview.body.due_now_cents);
    const cancel = await as(u, "POST", "/api/v1/billing/subscription/cancel", {});
    expect(cancel.body.cancel_at_period_end).toBe(true);
    const resume = await as(u, "POST", "/api/v1/billing/subscription/cancel", { resume: true });
    expect(resume.body.cancel_at_period_end).toBe(false);
  });

  it("refuses fewer seats than members and more than the plan allows", async () => {
    const u = await signUp();
    const r = await as(u, "POST", "/api/v1/billing/checkout", { plan: "starter", seats: 11 });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].path).toBe("seats");
  });
});

describe("billing: dunning", () => {
  it("failed payment → past due with email → restricted to Free after grace → restored when paid", async () => {
    const u = await signUp();
    await simulatedCheckout(u, { plan: "starter", seats: 3, provider: "stripe" });
    // The simulated card now declines; the cron renews at the start of next month and the charge fails.
    await setSimulatedPaymentMethod(u, "card_declines");
    const renewal = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth() + 1, 1, 0, 15);
    await runBillingCron(DAILY_BILLING_CRON, env, renewal);
    const fail = await as(u, "GET", "/api/v1/billing");
    expect(fail.body.subscription.status).toBe("past_due");
    const mails = await db()
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.tenantId, u.tenantId), eq(outboxMessages.template, "billing.payment_failed")));
    expect(mails).toHaveLength(1);
    let s = await as(u, "GET", "/api/v1/billing");
    expect(s.body.dunning.status).toBe("past_due");
    expect(s.body.effective_plan).toBe("starter");
    // Grace runs from the failed charge (the renewal), whatever day the suite runs on.
    expect(Date.parse(s.body.dunning.grace_ends_at)).toBe(renewal + 7 * 86_400_000);
    await runBillingCron(DAILY_BILLING_CRON, env, renewal + 6 * 86_400_000);
    expect((await as(u, "GET", "/api/v1/billing")).body.subscription.status).toBe("past_due");

    // Grace over: the daily cron restricts the workspace to Free limits.
    await runBillingCron(DAILY_BILLING_CRON, env, renewal + 8 * 86_400_000);
    s = await as(u, "GET", "/api/v1/billing");
    expect(s.body.subscription.status).toBe("restricted");
    expect(s.body.effective_plan).toBe("free");
    expect(s.body.usage.find((m: any) => m.meter === "emails").limit).toBe(100);
    expect((await consumeQuotaFor(env, u.tenantId, "emails", 101)).granted).toBe(false);

    const pay = await as(u, "POST", "/api/v1/billing/simulator/payment", { outcome: "paid" });
    expect(pay.body.subscription.status).toBe("active");
    s = await as(u, "GET", "/api/v1/billing");
    expect(s.body.dunning).toBeNull();
    expect(s.body.effective_plan).toBe("starter");
    expect((await consumeQuotaFor(env, u.tenantId, "emails", 101)).granted).toBe(true);

    // Everything is paid now: the simulator says so instead of silently doing nothing.
    const none = await as(u, "POST", "/api/v1/billing/simulator/payment", { outcome: "failed" });
    expect(none.status).toBe(409);
    expect(none.body.type).toContain("no-open-invoice");
    expect((await as(u, "GET", "/api/v1/billing")).body.subscription.status).toBe("active");
  });
});
