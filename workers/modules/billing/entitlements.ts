import type { Context } from "hono";
import type { AppEnv } from "../../platform/context";
import { getDb, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { Problem } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { recordProductEvent } from "../../platform/product-events";
import { appOrigin } from "../../platform/request";
import { getTenant, listMembers, memberCount } from "../../platform/directory";
import { send } from "../messaging";
import { FEATURES, METER_NAMES, METERS, PLAN_ORDER, PLANS, meterLimit, OVERAGE_PRICES, type Feature, type MeterName } from "./plans";
import { effectivePlan, getSubscription } from "./subscription.service";
import { applyBatch, counterPeriod, currentUsage, currentUsages, insertEventWithinLimit } from "./usage.store";
import { quotaExceeded, upgradeLink } from "./quota-problem";

export type { Feature, MeterName } from "./plans";
const log = createLogger({ component: "billing" });
export { BILLING_PATH } from "./quota-problem";

export interface QuotaState {
  tenantId: string;
  meter: MeterName;
  plan: string;
  used: number;
  limit: number | null; // null = unlimited
  /** Paid plans with overage switched on are billed per unit above the limit instead of refused. */
  overage: boolean;
}
export interface QuotaCheck extends QuotaState {
  allowed: boolean;
}

/** Seats in use: the workspace's members (one COUNT through the platform directory). */
const seatsUsed = (db: Db, tenantId: string): Promise<number> => memberCount(db, tenantId);

/** Current use and limit of a meter for a workspace (no side effects). */
export async function quotaState(db: Db, d1: D1Database, tenantId: string, meter: MeterName, at = Date.now()): Promise<QuotaState> {
  const sub = await getSubscription(db, tenantId, at);
  const plan = effectivePlan(sub, at);
  const limit = meterLimit(plan, meter, sub.seats);
  const used = meter === "seats" ? await seatsUsed(db, tenantId) : await currentUsage(d1, tenantId, meter, at);
  const overage = plan !== "free" && sub.allowOverage && !!OVERAGE_PRICES[meter];
  return { tenantId, meter, plan, used, limit, overage };
}

/**
 * quotaState of every meter at once, in three parallel reads (the subscription, the workspace's
 * counters for this period and for all time, the member count) instead of two sequential reads per
 * meter: the billing summary (and the usage banner on every dashboard page) reads all of them.
 */
export async function quotaStates(db: Db, d1: D1Database, tenantId: string, at = Date.now()): Promise<QuotaState[]> {
  const [sub, counters, seats] = await Promise.all([
    getSubscription(db, tenantId, at),
    currentUsages(d1, tenantId, at),
    seatsUsed(db, tenantId),
  ]);
  const plan = effectivePlan(sub, at);
  return METER_NAMES.map((meter) => ({
    tenantId,
    meter,
    plan,
    used: meter === "seats" ? seats : (counters.get(`${meter} ${counterPeriod(meter, at)}`) ?? 0),
    limit: meterLimit(plan, meter, sub.seats),
    overage: plan !== "free" && sub.allowOverage && !!OVERAGE_PRICES[meter],
  }));
}

/** Would `n` more units fit? Non-throwing, non-consuming; usable from queue consumers. */
export async function checkQuota(db: Db, d1: D1Database, tenantId: string, meter: MeterName, n: number): Promise<QuotaCheck> {
  const s = await quotaState(db, d1, tenantId, meter);
  return { ...s, allowed: s.overage || s.limit === null || n <= 0 || s.used + n <= s.limit };
}

export { quotaExceeded, upgradeLink } from "./quota-problem";

export interface ConsumeOptions {
  /** Idempotency: consuming twice with the same id counts once. Defaults to a fresh id. */
  eventId?: string;
  userId?: string | null;
  /** Origin for the upgrade link and warning emails (defaults to APP_URL). */
  origin?: string;
}
export interface ConsumeResult extends QuotaState {
  granted: boolean;
  duplicate: boolean;
}

/**
 * Consumes `n` units atomically: the event is written only if the counter stays within the
 * limit (checked in the same statement), and counters update in the same transaction. Not HTTP
 * bound, so queue consumers and workflows use it too. Returns granted=false instead of throwing.
 */
export async function consumeQuotaFor(
  env: Env,
  tenantId: string,
  meter: MeterName,
  n: number,
  opts: ConsumeOptions = {},
): Promise<ConsumeResult> {
  if (!Number.isInteger(n) || n === 0) throw new Error(`consumeQuota: quantity must be a non-zero integer, got ${n}`);
  const db = getDb(env.DB);
  const now = Date.now();
  const state = await quotaState(db, env.DB, tenantId, meter, now);
  if (meter === "seats") {
    // Seats are members, not events: this is only a read-time check. The enforcing (atomic) check
    // lives in the statements that add members and invitations (tenancy, with billing/seats.ts).
    const granted = state.limit === null || n <= 0 || state.used + n <= state.limit;
    return { ...state, granted, duplicate: false };
  }
  const limit = state.overage ? null : state.limit;
  const batchId = newId("ub");
  const eventId = opts.eventId ?? newId("use");
  const [ins] = await env.DB.batch([
    insertEventWithinLimit(env.DB, { t: tenantId, e: eventId, m: meter, q: n, u: opts.userId ?? null, at: now }, limit, batchId, now),
    ...applyBatch(env.DB, batchId, [tenantId], now),
  ]);
  if (ins!.meta.changes === 1) {
    const after = { ...state, used: state.used + n };
    await warnIfCrossed(env, db, after, state.used, opts.origin).catch((e) =>
      log.error("quota_warning_failed", { tenant_id: tenantId, error: String(e) }),
    );
    return { ...after, granted: true, duplicate: false };
  }
  const dup = await env.DB.prepare(`SELECT 1 FROM usage_events WHERE tenant_id = ?1 AND event_id = ?2`).bind(tenantId, eventId).first();
  const used = await currentUsage(env.DB, tenantId, meter, now);
  return { ...state, used, granted: !!dup, duplicate: !!dup };
}

/** Non-HTTP variant that throws the 402 Problem when over the limit. */
export async function consumeQuotaOrThrow(
  env: Env,
  tenantId: string,
  meter: MeterName,
  n: number,
  opts: ConsumeOptions = {},
): Promise<ConsumeResult> {
  const r = await consumeQuotaFor(env, tenantId, meter, n, opts);
  if (!r.granted) throw quotaExceeded(r, n, opts.origin ?? env.APP_URL);
  return r;
}

/**
 * For route handlers: consumes `n` units of `meter` for the request's workspace, or throws 402
 * problem+json with the limit, the current use and an upgrade link.
 */
export async function consumeQuota(
  c: Context<AppEnv>,
  meter: MeterName,
  n: number,
  opts: Omit<ConsumeOptions, "origin"> = {},
): Promise<ConsumeResult> {
  const p = c.get("principal");
  const userId = opts.userId !== undefined ? opts.userId : p?.kind === "user" ? p.userId : null;
  return consumeQuotaOrThrow(c.env, c.get("tenant").id, meter, n, { ...opts, userId, origin: appOrigin(c) });
}

/** Gives units back (deleting a lead, a file…): running-total meters only. */
export async function releaseQuota(env: Env, tenantId: string, meter: MeterName, n: number, eventId?: string): Promise<void> {
  if (METERS[meter].aggregation !== "total") throw new Error(`releaseQuota: ${meter} resets each period and cannot be released`);
  await consumeQuotaFor(env, tenantId, meter, -Math.abs(n), { eventId });
}

/** The lowest plan that includes a feature. */
export const planWithFeature = (feature: Feature) => PLAN_ORDER.find((p) => PLANS[p].features.includes(feature)) ?? "enterprise";

export async function hasFeature(db: Db, tenantId: string, feature: Feature): Promise<boolean> {
  const sub = await getSubscription(db, tenantId);
  return PLANS[effectivePlan(sub)].features.includes(feature);
}

/** For route handlers: 402 problem+json unless the workspace's plan includes `feature`. */
export async function requireFeature(c: Context<AppEnv>, feature: Feature): Promise<void> {
  const db = getDb(c.env.DB);
  const sub = await getSubscription(db, c.get("tenant").id);
  const plan = effectivePlan(sub);
  if (PLANS[plan].features.includes(feature)) return;
  const needed = planWithFeature(feature);
  throw new Problem(
    402,
    "feature-not-in-plan",
    "Upgrade required",
    `${FEATURES[feature]} is not included in the ${PLANS[plan].name} plan; it is available from ${PLANS[needed].name}.`,
    { feature, plan, required_plan: needed, upgrade_url: upgradeLink(appOrigin(c)) },
  );
}

/** 80% / 100% thresholds crossed by going from `before` to `after.used`. */
export function crossedThresholds(before: number, after: number, limit: number | null): (80 | 100)[] {
  if (limit === null || limit <= 0) return [];
  const out: (80 | 100)[] = [];
  for (const pct of [80, 100] as const) {
    const at = Math.ceil((limit * pct) / 100);
    if (before < at && after >= at) out.push(pct);
  }
  return out;
}

/**
 * Emails owners and admins through the outbox when usage crosses 80% or 100% of a limit. The
 * idempotency key (tenant, meter, period, threshold) makes it one email per threshold and period.
 */
export async function warnIfCrossed(env: Env, db: Db, s: QuotaState, before: number, origin?: string): Promise<number> {
  const crossed = crossedThresholds(before, s.used, s.limit);
  if (!crossed.length) return 0;
  const tenant = await getTenant(db, s.tenantId);
  const recipients = await billingContacts(db, s.tenantId);
  const period = counterPeriod(s.meter, Date.now());
  const label = METERS[s.meter].label.toLowerCase();
  let sent = 0;
  for (const pct of crossed) {
    // Weft's own upsell signal (house analytics): the workspace neared or reached a plan limit.
    await recordProductEvent(env, {
      name: "limit_approached",
      tenantId: s.tenantId,
      props: { meter: s.meter, used: s.used, limit: s.limit, percent: pct, plan: s.plan },
      key: `limit_approached:${s.tenantId}:${s.meter}:${period}:${pct}`,
    });
    for (const email of recipients) {
      const ids = await send(db, env.OUTBOX, {
        tenantId: s.tenantId,
        to: { email },
        channels: ["email"],
        template: pct === 100 ? "billing.quota_reached" : "billing.quota_warning",
        data: {
          workspace: tenant.name,
          meter: label,
          used: s.used,
          limit: s.limit,
          percent: pct,
          plan: PLANS[s.plan as keyof typeof PLANS]?.name ?? s.plan,
          link: upgradeLink(origin ?? env.APP_URL),
        },
        category: "transactional",
        idempotencyKey: `billing.quota:${s.tenantId}:${s.meter}:${period}:${pct}:${email}`,
      });
      sent += ids.length;
    }
  }
  return sent;
}

/** Owners and admins: who billing emails go to. */
export async function billingContacts(db: Db, tenantId: string): Promise<string[]> {
  const out: string[] = [];
  for (const role of ["owner", "admin"] as const) {
    const page = await listMembers(db, tenantId, { limit: 100, role });
    out.push(...page.data.map((m) => m.email));
  }
  return out;
}
