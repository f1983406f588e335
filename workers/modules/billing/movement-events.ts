import type { Env } from "../../platform/env";
import { recordProductEvent } from "../../platform/product-events";
import { monthlyRecurringCents } from "./expansion";
import { planRank } from "./plans";
import type { SubscriptionRow } from "./subscription.service";

/**
 * Weft's own expansion events (house analytics, modules/analytics expansion report): a trial, the
 * first paid subscription (also when a trial converts), and each later change of plan, interval or
 * seats with its monthly-revenue delta. `before` is the paid subscription it replaces, null for a new one.
 */
export async function recordSubscriptionMovement(
  env: Env,
  tenantId: string,
  at: number,
  before: SubscriptionRow | null,
  next: SubscriptionRow,
) {
  if (next.plan === "free") return;
  const mrr = monthlyRecurringCents(next.plan, next.interval, next.seats);
  const base = { plan: next.plan, interval: next.interval, seats: next.seats, provider: next.provider, mrr_cents: mrr };
  if (!before && next.status === "trialing") {
    await recordProductEvent(env, { name: "trial_started", tenantId, props: base, key: `trial_started:${tenantId}` });
    return;
  }
  if (next.status === "trialing") return; // changes during a trial are not revenue yet
  if (!before || before.status === "trialing") {
    await recordProductEvent(env, {
      name: "subscription_started",
      tenantId,
      props: { ...base, from_trial: !!before },
      key: `subscription_started:${tenantId}:${at}`,
    });
    return;
  }
  const mrrFrom = monthlyRecurringCents(before.plan, before.interval, before.seats);
  if (before.plan === next.plan && before.interval === next.interval && before.seats === next.seats) return;
  const rank = planRank(next.plan) - planRank(before.plan);
  await recordProductEvent(env, {
    name: "subscription_changed",
    tenantId,
    props: {
      ...base,
      from_plan: before.plan,
      seats_from: before.seats,
      mrr_from_cents: mrrFrom,
      direction: rank > 0 || (rank === 0 && mrr > mrrFrom) ? "upgrade" : rank < 0 || mrr < mrrFrom ? "downgrade" : "change",
    },
    key: `subscription_changed:${tenantId}:${at}`,
  });
}
