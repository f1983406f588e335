import { createExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLogs } from "../../../../schema/audit";
import { billingSubscriptions, billingWebhookEvents, invoices } from "../../../../schema/billing";
import { outboxMessages } from "../../../../schema/messaging";
import { BASE, callJson, signUp, type TestUser } from "../../../../test/helpers";
import worker from "../../../index";
import { getDb } from "../../../platform/db";
import { getConfig } from "../../../platform/env";
import { DAILY_BILLING_CRON, runBillingCron, USAGE_REPORT_CRON } from "../cron";
import { prorate } from "../proration";
import { billingNow, clockOffset, moveClockTo } from "../simulator-clock";
import { setSimulatorPaymentMethod } from "../simulator-cycle";
import { monthStart } from "../subscription.service";
import { setSimulatedPaymentMethod, subscribeViaSimulator } from "./billing-helpers";

/**
 * The payment simulator's test clock: advancing a workspace's simulated time runs what the
 * provider and the billing cron would have done by then, for that workspace only, through the
 * same signed webhooks; afterwards the real cron evaluates the workspace at its simulated time.
 */
const db = () => getDb(env.DB);
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
async function sub(u: TestUser) {
  const row = await db().select().from(billingSubscriptions).where(eq(billingSubscriptions.tenantId, u.tenantId)).get();
  if (!row) throw new Error(`${u.tenantId} has no subscription row`);
  return row;
}
const invoicesOf = async (u: TestUser) => db().select().from(invoices).where(eq(invoices.tenantId, u.tenantId));
const mails = async (u: TestUser, template: string) =>
  db()
    .select()
    .from(outboxMessages)
    .where(and(eq(outboxMessages.tenantId, u.tenantId), eq(outboxMessages.template, template)));
const as = (u: TestUser, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: u.accessToken, tenant: u.tenantId, body, ip: u.ip });
const clock = (u: TestUser) => as(u, "GET", "/api/v1/billing/simulator/clock");
const advance = (u: TestUser, body: { to: string; days?: number }) => as(u, "POST", "/api/v1/billing/simulator/clock/advance", body);

describe("test clock: renewals", () => {
  it("advance to renewal: a new paid invoice and the next period, this workspace only; the real cron does not renew it again", async () => {
    const u = await signUp();
    const other = await signUp();
    await subscribeViaSimulator(u, { plan: "starter", seats: 4 });
    await subscribeViaSimulator(other, { plan: "starter", seats: 4 });
    const before = await sub(u);
    const otherBefore = await sub(other);

    const c0 = await clock(u);
    expect(c0.status).toBe(200);
    expect(c0.body.offset_ms).toBe(0);
    expect(c0.body.payment_method).toBe("card");
    expect(Date.parse(c0.body.targets.renewal)).toBe(before.periodEnd);
    expect(c0.body.targets.trial_end).toBeNull();
    expect(c0.body.targets.grace_end).toBeNull();

    const r = await advance(u, { to: "renewal" });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.steps.map((s: { step: string }) => s.step)).toEqual(["renewed"]);
    expect(Date.parse(r.body.to)).toBe(before.periodEnd);
    expect(r.body.reached).toBe(true);
    expect(r.body.subscription).toMatchObject({ status: "active", current_period_start: new Date(before.periodEnd).toISOString() });
    expect(Date.parse(r.body.clock.now)).toBeGreaterThanOrEqual(before.periodEnd);
    expect(r.body.clock.offset_ms).toBeGreaterThan(0);

    const renewal = (await invoicesOf(u)).filter((i) => i.periodStart === before.periodEnd);
    expect(renewal.map((i) => [i.status, i.totalCents])).toEqual([["paid", 4_900 + 1_000]]);
    expect(await sub(u)).toMatchObject({ periodStart: before.periodEnd, periodEnd: monthStart(before.periodEnd, 1), status: "active" });
    const list = await as(u, "GET", "/api/v1/billing/invoices");
    expect(list.body.data.map((i: { status: string }) => i.status)).toEqual(["paid", "paid"]);

    // Another workspace's clock and subscription are untouched.
    expect((await clock(other)).body.offset_ms).toBe(0);
    expect(await sub(other)).toEqual(otherBefore);
    expect(await invoicesOf(other)).toHaveLength(1);

    // Audited, with what happened.
    const audit = await db()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, u.tenantId), eq(auditLogs.action, "billing.test_clock_advanced")));
    expect(audit).toHaveLength(1);

    // The real cron now, and when real time reaches the old period end: nothing is renewed or billed twice.
    const invCount = (await invoicesOf(u)).length;
    const events = (await db().select().from(billingWebhookEvents).where(eq(billingWebhookEvents.tenantId, u.tenantId))).length;
    await runBillingCron(USAGE_REPORT_CRON, env);
    await runBillingCron(DAILY_BILLING_CRON, env, before.periodEnd + MIN);
    expect(await sub(u)).toMatchObject({ periodStart: before.periodEnd, periodEnd: monthStart(before.periodEnd, 1) });
    expect(await invoicesOf(u)).toHaveLength(invCount);
    expect((await db().select().from(billingWebhookEvents).where(eq(billingWebhookEvents.tenantId, u.tenantId))).length).toBe(events);

    // The clock only moves forward and keeps running: the next renewal is a month later.
    const c1 = await clock(u);
    expect(Date.parse(c1.body.targets.renewal)).toBe(monthStart(before.periodEnd, 1));
    const days = await advance(u, { to: "days", days: 40 });
    expect(days.status).toBe(200);
    expect(days.body.steps.map((s: { step: string }) => s.step)).toEqual(["renewed"]);
    expect(Date.parse(days.body.to) - Date.parse(c1.body.now)).toBeGreaterThanOrEqual(40 * DAY);
    expect((await invoicesOf(u)).filter((i) => i.periodStart === monthStart(before.periodEnd, 1)).map((i) => i.status)).toEqual(["paid"]);
  });

  it("after the clock moved, plan changes are applied (not ignored as older than the clock's events) and prorated at the simulated time", async () => {
    const u = await signUp();
    await subscribeViaSimulator(u, { plan: "starter", seats: 3 });
    const before = await sub(u);
    expect((await advance(u, { to: "renewal" })).status).toBe(200);
    expect((await advance(u, { to: "days", days: 10 })).body.steps).toEqual([]);
    const periodEnd = monthStart(before.periodEnd, 1);
    const preview = await as(u, "GET", "/api/v1/billing/preview?plan=professional&interval=month&seats=10");
    // Ten simulated days into the new period: the unused two thirds are credited (from real time it would be the whole month).
    const now = Date.parse((await clock(u)).body.now);
    const credit = -preview.body.lines.find((l: { amountCents: number }) => l.amountCents < 0).amountCents;
    expect(Math.abs(credit - prorate(4_900, periodEnd - now, periodEnd - before.periodEnd))).toBeLessThanOrEqual(1);
    expect(credit).toBeLessThan(4_900 - 1_000);
    const change = await as(u, "POST", "/api/v1/billing/subscription/change", { plan: "professional", interval: "month", seats: 10 });
    expect(change.status, JSON.stringify(change.body)).toBe(200);
    expect(await sub(u)).toMatchObject({ plan: "professional", seats: 10, periodStart: before.periodEnd, periodEnd });
    expect((await as(u, "POST", "/api/v1/billing/subscription/cancel", {})).status).toBe(200);
    expect((await sub(u)).cancelAtPeriodEnd).toBe(true);
    // Advancing to the period end ends it.
    const end = await advance(u, { to: "renewal" });
    expect(end.body.steps.map((s: { step: string }) => s.step)).toEqual(["ended"]);
    expect(await sub(u)).toMatchObject({ plan: "free", provider: "none" });
    expect(end.body.clock.targets).toEqual({ renewal: null, trial_end: null, grace_end: null });
  });
});

describe("test clock: dunning", () => {
  it("declining card: renewal → past due + email; grace end → restricted; a working card → active again", async () => {
    const u = await signUp();
    await subscribeViaSimulator(u, { plan: "starter", seats: 3 });
    await setSimulatedPaymentMethod(u, "card_declines");
    const before = await sub(u);

    const failed = await advance(u, { to: "renewal" });
    expect(failed.body.steps.map((s: { step: string }) => s.step)).toEqual(["renewal_failed"]);
    expect(failed.body.subscription.status).toBe("past_due");
    const due = await sub(u);
    expect(due.graceEndsAt).toBe(before.periodEnd + 7 * DAY); // grace runs from the simulated failure
    expect(await mails(u, "billing.payment_failed")).toHaveLength(1);
    const summary = await as(u, "GET", "/api/v1/billing");
    expect(summary.body.dunning).toMatchObject({ status: "past_due" });
    expect(Date.parse(failed.body.clock.targets.grace_end)).toBe(Number(due.graceEndsAt) + 1000);
    expect(failed.body.clock.targets.renewal).toBe(new Date(due.periodEnd).toISOString());

    // Six days on: still past due (the grace period is measured in simulated time).
    expect((await advance(u, { to: "days", days: 6 })).body.steps).toEqual([]);
    expect((await sub(u)).status).toBe("past_due");

    const restricted = await advance(u, { to: "grace_end" });
    expect(restricted.body.steps.map((s: { step: string }) => s.step)).toEqual(["restricted"]);
    expect(await sub(u)).toMatchObject({ status: "restricted" });
    expect((await as(u, "GET", "/api/v1/billing")).body).toMatchObject({ effective_plan: "free", dunning: { status: "restricted" } });
    expect(await mails(u, "billing.restricted")).toHaveLength(1);
    expect(restricted.body.clock.targets).toEqual({ renewal: null, trial_end: null, grace_end: null });
    expect((await advance(u, { to: "grace_end" })).status).toBe(409);

    // Fixing the card in the portal collects the failed invoice at once (at the simulated time).
    const back = await setSimulatedPaymentMethod(u, "card");
    expect(back).toContain("collected=1");
    expect(await sub(u)).toMatchObject({ status: "active", graceEndsAt: null, periodStart: before.periodEnd });
    expect((await invoicesOf(u)).filter((i) => i.periodStart === before.periodEnd).map((i) => i.status)).toEqual(["paid"]);
    expect(await mails(u, "billing.payment_restored")).toHaveLength(1);
  });

  it("a card fixed without the portal's retry is collected at the next clock step", async () => {
    const u = await signUp();
    await subscribeViaSimulator(u, { plan: "starter", seats: 3 });
    await setSimulatedPaymentMethod(u, "card_declines");
    await advance(u, { to: "renewal" });
    expect((await sub(u)).status).toBe("past_due");
    await setSimulatorPaymentMethod(db(), u.tenantId, "card");
    const r = await advance(u, { to: "days", days: 1 });
    expect(r.body.steps.map((s: { step: string }) => s.step)).toEqual(["recovered"]);
    expect(await sub(u)).toMatchObject({ status: "active", graceEndsAt: null });
  });
});

describe("test clock: trials", () => {
  it("advance to trial end: warned 3 days before, then converted with a prorated paid invoice", async () => {
    const u = await signUp();
    await subscribeViaSimulator(u, { plan: "starter", seats: 3, trial: true });
    const trial = await sub(u);
    expect(trial.status).toBe("trialing");
    const trialEnd = Number(trial.trialEndsAt);
    const c = await clock(u);
    expect(Date.parse(c.body.targets.trial_end)).toBe(trialEnd);
    expect(c.body.targets.renewal).toBeNull();
    expect((await advance(u, { to: "renewal" })).status).toBe(409);

    const r = await advance(u, { to: "trial_end" });
    expect(r.status).toBe(200);
    expect(r.body.steps.map((s: { step: string; at: string }) => [s.step, Date.parse(s.at)])).toEqual([
      ["trial_warned", trialEnd - 3 * DAY],
      ["trial_converted", trialEnd],
    ]);
    expect(await mails(u, "billing.trial_ending")).toHaveLength(1);
    const periodStart = monthStart(trialEnd);
    const periodEnd = monthStart(trialEnd, 1);
    expect(await sub(u)).toMatchObject({ plan: "starter", status: "active", trialEndsAt: null, periodStart, periodEnd });
    expect((await invoicesOf(u)).map((i) => [i.periodStart, i.status, i.totalCents])).toEqual([
      [trialEnd, "paid", prorate(4_900, periodEnd - trialEnd, periodEnd - periodStart)],
    ]);
  });

  it("a trial without a working card ends on Free at the trial end", async () => {
    const u = await signUp();
    await subscribeViaSimulator(u, { plan: "professional", seats: 10, trial: true });
    await setSimulatedPaymentMethod(u, "none");
    const r = await advance(u, { to: "trial_end" });
    expect(r.body.steps.map((s: { step: string }) => s.step)).toEqual(["trial_warned", "trial_ended"]);
    expect(await sub(u)).toMatchObject({ plan: "free", provider: "none" });
    expect(await invoicesOf(u)).toHaveLength(0);
    // The workspace is no longer on the simulator: its clock is not offered any more.
    expect((await clock(u)).status).toBe(409);
  });
});

describe("test clock: the cron at simulated time, and errors", () => {
  it("the real cron evaluates a workspace with a clock at real time + its offset (renewal and dunning)", async () => {
    const u = await signUp();
    const plain = await signUp();
    await subscribeViaSimulator(u, { plan: "starter", seats: 3 });
    await subscribeViaSimulator(plain, { plan: "starter", seats: 3 });
    const before = await sub(u);
    // Put u's clock one hour before its period end (without running anything).
    const real = Date.now();
    await moveClockTo(db(), u.tenantId, before.periodEnd - HOUR, real);
    const offset = await clockOffset(db(), u.tenantId);
    expect(offset).toBe(before.periodEnd - HOUR - real);
    await runBillingCron(USAGE_REPORT_CRON, env, real + 10 * MIN);
    expect((await sub(u)).periodStart).toBe(before.periodStart);
    await runBillingCron(USAGE_REPORT_CRON, env, real + 2 * HOUR);
    expect(await sub(u)).toMatchObject({ periodStart: before.periodEnd, status: "active" });
    if ((await sub(plain)).periodEnd > real + 2 * HOUR) expect((await sub(plain)).periodStart).toBe(before.periodStart);

    // Dunning in simulated time too: a declined renewal's grace ends 7 simulated days later.
    await setSimulatedPaymentMethod(u, "card_declines");
    await advance(u, { to: "renewal" });
    const due = await sub(u);
    expect(due.status).toBe("past_due");
    const o = await clockOffset(db(), u.tenantId);
    await runBillingCron(DAILY_BILLING_CRON, env, Number(due.graceEndsAt) - o - HOUR);
    expect((await sub(u)).status).toBe("past_due");
    await runBillingCron(DAILY_BILLING_CRON, env, Number(due.graceEndsAt) - o + HOUR);
    expect((await sub(u)).status).toBe("restricted");
  });

  it("where the simulator cannot run (production) the routes are 404 and billing time is real time", async () => {
    const u = await signUp();
    await subscribeViaSimulator(u, { plan: "starter", seats: 3 });
    await moveClockTo(db(), u.tenantId, Date.now() + 30 * DAY);
    const local = getConfig(env);
    const prod = { ...env, ENVIRONMENT: "production", JWT_SECRET: local.JWT_SECRET, ENCRYPTION_KEY: local.ENCRYPTION_KEY } as typeof env;
    const inProd = (method: string, path: string, body?: unknown) =>
      worker.fetch(
        new Request(`${BASE}${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${u.accessToken}`,
            "X-Tenant-ID": u.tenantId,
            "CF-Connecting-IP": u.ip,
            "Content-Type": "application/json",
          },
          body: body ? JSON.stringify(body) : undefined,
        }),
        prod,
        createExecutionContext(),
      );
    const get = await inProd("GET", "/api/v1/billing/simulator/clock");
    expect(get.status).toBe(404);
    expect(get.headers.get("Content-Type")).toContain("application/problem+json");
    expect((await inProd("POST", "/api/v1/billing/simulator/clock/advance", { to: "days", days: 3 })).status).toBe(404);
    const real = Date.now();
    expect(await billingNow(prod, db(), u.tenantId, real)).toBe(real);
    expect(await billingNow(env, db(), u.tenantId, real)).toBe(real + (await clockOffset(db(), u.tenantId)));
  });

  it("the clock never goes back", async () => {
    const u = await signUp();
    const real = Date.now();
    await moveClockTo(db(), u.tenantId, real + 5 * DAY, real);
    await moveClockTo(db(), u.tenantId, real + 2 * DAY, real);
    expect(await clockOffset(db(), u.tenantId)).toBe(5 * DAY);
  });

  it("answers 409 off the simulator or for a target that does not apply, 400 for bad input, and changes nothing then", async () => {
    const u = await signUp();
    const free = await advance(u, { to: "days", days: 3 });
    expect(free.status).toBe(409);
    expect(free.res.headers.get("Content-Type")).toContain("application/problem+json");
    expect(free.body.type).toContain("not-on-simulator");
    expect((await clock(u)).status).toBe(409);

    await subscribeViaSimulator(u, { plan: "starter", seats: 3 });
    const missing = await advance(u, { to: "days" });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain("days");
    expect((await advance(u, { to: "days", days: 0 })).status).toBe(400);
    expect((await advance(u, { to: "days", days: 1000 })).status).toBe(400);
    expect((await advance(u, { to: "yesterday" })).status).toBe(400);
    const noTrial = await advance(u, { to: "trial_end" });
    expect(noTrial.status).toBe(409);
    expect(noTrial.body.type).toContain("clock-target-unavailable");
    expect((await sub(u)).periodStart).toBe(monthStart(Date.now()));
    expect(await clockOffset(db(), u.tenantId)).toBe(0);
  });
});
