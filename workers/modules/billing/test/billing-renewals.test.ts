import { createExecutionContext, createScheduledController, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { billingSubscriptions, billingWebhookEvents, invoices } from "../../../../schema/billing";
import { outboxMessages } from "../../../../schema/messaging";
import worker from "../../../index";
import { SignJWT } from "jose";
import { billingConfig } from "../config";
import { runBillingCron, USAGE_REPORT_CRON, DAILY_BILLING_CRON } from "../cron";
import { setSimulatorPaymentMethod, simulatorPaymentMethod } from "../simulator-cycle";
import { prorate } from "../proration";
import { monthStart } from "../subscription.service";
import { getDb } from "../../../platform/db";
import { setSimulatedPaymentMethod, subscribeViaSimulator } from "./billing-helpers";
import { BASE, callJson, signUp, type TestUser } from "../../../../test/helpers";

/**
 * The payment simulator renews subscriptions and converts trials by itself on the billing cron,
 * through the same signed webhooks a provider sends. Time is controlled: the cron runs with an
 * explicit `now` (or through the Worker's `scheduled` export with a chosen scheduledTime).
 */
const db = () => getDb(env.DB);
const MIN = 60_000;
const DAY = 86_400_000;
const sub = async (u: TestUser) =>
  (await db().select().from(billingSubscriptions).where(eq(billingSubscriptions.tenantId, u.tenantId)).get())!;
const invoicesOf = async (u: TestUser) => db().select().from(invoices).where(eq(invoices.tenantId, u.tenantId));
const eventsOf = async (u: TestUser) => db().select().from(billingWebhookEvents).where(eq(billingWebhookEvents.tenantId, u.tenantId));
const setPaymentMethod = async (u: TestUser, method: "card" | "card_declines" | "none") => setSimulatedPaymentMethod(u, method);

describe("simulator: renewals on the cron", () => {
  it("a monthly subscription renews at period end: period advanced once, one paid invoice, idempotent when the cron runs twice", async () => {
    const u = await signUp();
    await subscribeViaSimulator(u, { plan: "starter", seats: 4 });
    const before = await sub(u);
    const invBefore = (await invoicesOf(u)).length; // the activation invoice
    const at = before.periodEnd + MIN;

    await runBillingCron(USAGE_REPORT_CRON, env, at);
    const after = await sub(u);
    expect(after).toMatchObject({
      plan: "starter",
      status: "active",
      seats: 4,
      periodStart: before.periodEnd,
      periodEnd: monthStart(before.periodEnd, 1),
    });
    const renewal = (await invoicesOf(u)).filter((i) => i.periodStart === before.periodEnd);
    expect(renewal).toHaveLength(1);
    expect(renewal[0]).toMatchObject({ status: "paid", totalCents: 4_900 + 1_000, provider: "simulator" }); // fee + 1 extra seat, in advance
    const events = (await eventsOf(u)).map((e) => e.type).sort();

    // The same tick again, and the daily cron ten minutes later: nothing moves, nothing is billed twice.
    await runBillingCron(USAGE_REPORT_CRON, env, at);
    await runBillingCron(DAILY_BILLING_CRON, env, at + 10 * MIN);
    expect(await sub(u)).toMatchObject({ periodStart: after.periodStart, periodEnd: after.periodEnd, status: "active" });
    expect(await invoicesOf(u)).toHaveLength(invBefore + 1);
    expect((await eventsOf(u)).map((e) => e.type).sort()).toEqual(events);
    expect(events).toEqual(expect.arrayContaining(["invoice.paid", "customer.subscription.updated"]));
  });

  it("the daily cron does not invoice again what activation and renewals already charged", async () => {
    const u = await signUp();
    await subscribeViaSimulator(u, { plan: "starter", seats: 3 });
    const before = await sub(u);
    await runBillingCron(DAILY_BILLING_CRON, env, Date.now() + MIN);
    expect(await invoicesOf(u)).toHaveLength(1); // only the activation invoice for the rest of this month
    await runBillingCron(USAGE_REPORT_CRON, env, before.periodEnd + MIN);
    await runBillingCron(DAILY_BILLING_CRON, env, before.periodEnd + 15 * MIN);
    expect((await invoicesOf(u)).map((i) => i.status)).toEqual(["paid", "paid"]);
  });

  it("through the Worker's scheduled export with a controlled scheduledTime", async () => {
    const u = await signUp();
    await subscribeViaSimulator(u, { plan: "professional", seats: 10 });
    const before = await sub(u);
    const at = before.periodEnd + 5 * MIN;
    for (let i = 0; i < 2; i++) {
      const ctx = createExecutionContext();
      await worker.scheduled!(createScheduledController({ scheduledTime: at, cron: USAGE_REPORT_CRON }), env, ctx);
      await waitOnExecutionContext(ctx);
    }
    expect(await sub(u)).toMatchObject({ periodStart: before.periodEnd, periodEnd: monthStart(before.periodEnd, 1), status: "active" });
    const renewal = (await invoicesOf(u)).filter((i) => i.periodStart === before.periodEnd);
    expect(renewal.map((i) => [i.status, i.totalCents])).toEqual([["paid", 29_900]]);
  });

  it("PayPal-flavoured simulated subscriptions renew too (PAYMENT.SALE.COMPLETED + BILLING.SUBSCRIPTION.UPDATED)", async () => {
    const u = await signUp();
    await subscribeViaSimulator(u, { plan: "starter", seats: 3, provider: "paypal" });
    const before = await sub(u);
    await runBillingCron(USAGE_REPORT_CRON, env, before.periodEnd + MIN);
    await runBillingCron(USAGE_REPORT_CRON, env, before.periodEnd + 2 * MIN);
    expect(await sub(u)).toMatchObject({ periodStart: before.periodEnd, periodEnd: monthStart(before.periodEnd, 1), status: "active" });
    expect((await invoicesOf(u)).filter((i) => i.periodStart === before.periodEnd).map((i) => i.status)).toEqual(["paid"]);
    expect((await eventsOf(u)).filter((e) => e.type === "PAYMENT.SALE.COMPLETED")).toHaveLength(2); // activation + renewal
  });

  it("a declining card: the renewal invoice fails and the subscription is past due (dunning), once", async () => {
    const u = await signUp();
    await subscribeViaSimulator(u, { plan: "starter", seats: 3 });
    await setPaymentMethod(u, "card_declines");
    const before = await sub(u);
    await runBillingCron(USAGE_REPORT_CRON, env, before.periodEnd + MIN);
    await runBillingCron(USAGE_REPORT_CRON, env, before.periodEnd + 2 * MIN);
    const after = await sub(u);
    expect(after).toMatchObject({ status: "past_due", periodStart: before.periodEnd });
    expect(after.graceEndsAt).not.toBeNull();
    expect((await invoicesOf(u)).filter((i) => i.periodStart === before.periodEnd).map((i) => i.status)).toEqual(["payment_failed"]);
    const mails = await db()
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.tenantId, u.tenantId), eq(outboxMessages.template, "billing.payment_failed")));
    expect(mails).toHaveLength(1);
  });

  it("cancelled at period end: the subscription ends at period end and the workspace is on Free", async () => {
    const u = await signUp();
    await subscribeViaSimulator(u, { plan: "starter", seats: 3 });
    expect(
      (await callJson("/api/v1/billing/subscription/cancel", { token: u.accessToken, tenant: u.tenantId, body: {}, ip: u.ip })).status,
    ).toBe(200);
    const before = await sub(u);
    expect(before.cancelAtPeriodEnd).toBe(true);
    await runBillingCron(USAGE_REPORT_CRON, env, before.periodEnd - MIN);
    expect((await sub(u)).plan).toBe("starter");
    await runBillingCron(USAGE_REPORT_CRON, env, before.periodEnd + MIN);
    await runBillingCron(USAGE_REPORT_CRON, env, before.periodEnd + 2 * MIN);
    expect(await sub(u)).toMatchObject({ plan: "free", provider: "none", status: "active" });
    expect((await invoicesOf(u)).filter((i) => i.periodStart >= before.periodEnd)).toHaveLength(0);
  });
});

describe("simulator: trials on the cron", () => {
  it("warns 3 days before the trial ends (once), then converts: prorated first charge, active, then regular renewals", async () => {
    const u = await signUp();
    await subscribeViaSimulator(u, { plan: "starter", seats: 3, trial: true });
    const trial = await sub(u);
    expect(trial.status).toBe("trialing");
    const trialEnd = trial.trialEndsAt!;

    await runBillingCron(USAGE_REPORT_CRON, env, trialEnd - 4 * DAY);
    expect((await eventsOf(u)).filter((e) => e.type === "customer.subscription.trial_will_end")).toHaveLength(0);
    await runBillingCron(USAGE_REPORT_CRON, env, trialEnd - 3 * DAY + MIN);
    await runBillingCron(USAGE_REPORT_CRON, env, trialEnd - 2 * DAY);
    expect((await eventsOf(u)).filter((e) => e.type === "customer.subscription.trial_will_end")).toHaveLength(1);
    const warned = await db()
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.tenantId, u.tenantId), eq(outboxMessages.template, "billing.trial_ending")));
    expect(warned).toHaveLength(1);
    expect((await sub(u)).status).toBe("trialing");

    await runBillingCron(USAGE_REPORT_CRON, env, trialEnd + MIN);
    await runBillingCron(USAGE_REPORT_CRON, env, trialEnd + 11 * MIN);
    const converted = await sub(u);
    const periodStart = monthStart(trialEnd);
    const periodEnd = monthStart(trialEnd, 1);
    expect(converted).toMatchObject({ plan: "starter", status: "active", trialEndsAt: null, periodStart, periodEnd });
    const first = (await invoicesOf(u)).filter((i) => i.periodStart === trialEnd);
    expect(first.map((i) => [i.status, i.totalCents])).toEqual([["paid", prorate(4_900, periodEnd - trialEnd, periodEnd - periodStart)]]);
    expect(await invoicesOf(u)).toHaveLength(1); // nothing was charged during the trial

    await runBillingCron(USAGE_REPORT_CRON, env, periodEnd + MIN);
    expect(await sub(u)).toMatchObject({ periodStart: periodEnd, periodEnd: monthStart(periodEnd, 1) });
    expect((await invoicesOf(u)).filter((i) => i.periodStart === periodEnd).map((i) => [i.status, i.totalCents])).toEqual([
      ["paid", 4_900],
    ]);
  });

  it("a trial started without a card ends on Free at trial end", async () => {
    const u = await signUp();
    const start = await callJson("/api/v1/billing/checkout", {
      method: "POST",
      token: u.accessToken,
      tenant: u.tenantId,
      body: { plan: "professional", seats: 10, provider: "stripe", trial: true },
      ip: u.ip,
    });
    const path = new URL(start.body.url).pathname;
    const page = await (await worker.fetch(new Request(`${BASE}${path}`), env, createExecutionContext())).text();
    expect(page).toContain("Start trial without a card");
    const ok = await worker.fetch(
      new Request(`${BASE}${path}/approve?payment_method=none`, { method: "POST", redirect: "manual" }),
      env,
      createExecutionContext(),
    );
    expect(ok.status).toBe(303);
    const trial = await sub(u);
    expect(trial).toMatchObject({ plan: "professional", status: "trialing" });
    await runBillingCron(USAGE_REPORT_CRON, env, trial.trialEndsAt! + MIN);
    await runBillingCron(USAGE_REPORT_CRON, env, trial.trialEndsAt! + 2 * MIN);
    expect(await sub(u)).toMatchObject({ plan: "free", provider: "none" });
    expect(await invoicesOf(u)).toHaveLength(0);
    expect((await eventsOf(u)).filter((e) => e.type === "customer.subscription.deleted")).toHaveLength(1);
  });

  it("a trial whose card declines at conversion ends on Free too", async () => {
    const u = await signUp();
    await subscribeViaSimulator(u, { plan: "starter", seats: 3, trial: true });
    await setPaymentMethod(u, "card_declines");
    const trial = await sub(u);
    await runBillingCron(USAGE_REPORT_CRON, env, trial.trialEndsAt! + MIN);
    expect(await sub(u)).toMatchObject({ plan: "free", provider: "none" });
  });
});

describe("simulator: dunning recovery and the portal link", () => {
  const declinedRenewal = async () => {
    const u = await signUp();
    await subscribeViaSimulator(u, { plan: "starter", seats: 3 });
    await setPaymentMethod(u, "card_declines");
    const before = await sub(u);
    await runBillingCron(USAGE_REPORT_CRON, env, before.periodEnd + MIN);
    expect((await sub(u)).status).toBe("past_due");
    const failed = (await invoicesOf(u)).find((i) => i.status === "payment_failed")!;
    expect(failed).toBeDefined();
    return { u, failed, periodEnd: before.periodEnd };
  };

  it("switching to a working card in the portal collects the failed invoice at once; later cron runs charge nothing again", async () => {
    const { u, failed, periodEnd } = await declinedRenewal();
    const back = await setPaymentMethod(u, "card");
    expect(back).toContain("collected=1");
    const after = await sub(u);
    expect(after).toMatchObject({ status: "active", graceEndsAt: null });
    expect((await invoicesOf(u)).find((i) => i.id === failed.id)!.status).toBe("paid");
    await runBillingCron(USAGE_REPORT_CRON, env, periodEnd + 2 * MIN);
    await runBillingCron(USAGE_REPORT_CRON, env, periodEnd + 3 * MIN);
    const paidEvents = (await eventsOf(u)).filter((e) => e.type === "invoice.paid");
    expect(paidEvents).toHaveLength(2); // activation + the recovered renewal, nothing more
    expect((await sub(u)).status).toBe("active");
    const restored = await db()
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.tenantId, u.tenantId), eq(outboxMessages.template, "billing.payment_failed")));
    expect(restored).toHaveLength(1);
  });

  it("the cron retries failed invoices once a working card is on file, also for a workspace already restricted to Free", async () => {
    const { u, failed, periodEnd } = await declinedRenewal();
    // Grace over: restricted. A card that still declines is not charged again (nothing would change).
    const grace = (await sub(u)).graceEndsAt!;
    await runBillingCron(DAILY_BILLING_CRON, env, grace + MIN);
    expect((await sub(u)).status).toBe("restricted");
    await runBillingCron(USAGE_REPORT_CRON, env, grace + 2 * MIN);
    expect((await invoicesOf(u)).find((i) => i.id === failed.id)!.status).toBe("payment_failed");
    // The card on file works again (changed where the portal's own retry did not run): the next cron run collects.
    await setSimulatorPaymentMethod(db(), u.tenantId, "card");
    await runBillingCron(USAGE_REPORT_CRON, env, grace + 3 * MIN);
    expect(await sub(u)).toMatchObject({ status: "active", graceEndsAt: null, periodStart: periodEnd });
    expect((await invoicesOf(u)).find((i) => i.id === failed.id)!.status).toBe("paid");
  });

  it("the simulated portal opens only with a signed, unexpired session minted for the workspace", async () => {
    const u = await signUp();
    await subscribeViaSimulator(u, { plan: "starter", seats: 3 });
    const portal = await callJson("/api/v1/billing/portal", { method: "POST", token: u.accessToken, tenant: u.tenantId, ip: u.ip });
    const session = new URL(portal.body.url).searchParams.get("session")!;
    const post = (q: string) =>
      worker.fetch(
        new Request(`${BASE}/dev/payment-simulator/portal/payment-method?method=none${q}`, { method: "POST", redirect: "manual" }),
        env,
        createExecutionContext(),
      );
    expect((await post("")).status).toBe(401);
    const forged = await new SignJWT({ typ: "simulator-portal" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("weft")
      .setSubject(u.tenantId)
      .setAudience("weft:simulator-portal")
      .setExpirationTime("1h")
      .sign(new TextEncoder().encode("not-the-secret"));
    expect((await post(`&session=${forged}`)).status).toBe(401);
    const cfg = await billingConfig(env);
    const expired = await new SignJWT({ typ: "simulator-portal" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("weft")
      .setSubject(u.tenantId)
      .setAudience("weft:simulator-portal")
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(new TextEncoder().encode(cfg.simulatorSecret!));
    expect((await post(`&session=${expired}`)).status).toBe(401);
    const problem = await (await post(`&session=${expired}`)).json<{ type: string }>();
    expect(problem.type).toContain("portal-session-invalid");
    // The old unauthenticated path by tenant id is gone.
    const old = await worker.fetch(
      new Request(`${BASE}/dev/payment-simulator/portal/${u.tenantId}/payment-method?method=none`, { method: "POST", redirect: "manual" }),
      env,
      createExecutionContext(),
    );
    expect(old.status).toBe(404);
    expect(await simulatorPaymentMethod(db(), u.tenantId)).toBe("card");
    // The real session works.
    expect((await post(`&session=${session}`)).status).toBe(303);
    expect(await simulatorPaymentMethod(db(), u.tenantId)).toBe("none");
  });
});
