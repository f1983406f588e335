import { describe, expect, it } from "vitest";
import { activityGrowth, movements, trialToPaid, upsellFromEvents } from "../query/expansion";
import { db, DAY, ev, fakeTenant, store } from "./analytics-helpers";

const at = Date.UTC(2026, 11, 1, 0, 0, 0);
const from = at - 28 * DAY;
const back = (days: number, who: string, name = "opened_app", props: Record<string, unknown> = {}) => ({
  ...ev(who, name, 0, props),
  ts: at - days * DAY,
});

describe("expansion from a workspace's own events", () => {
  it("trial → paid: trials started in the range, converted at any later time, median days", async () => {
    const t = fakeTenant();
    await store(t, [back(20, "a", "trial_started"), back(16, "a", "subscription_started")]); // 4 days
    await store(t, [back(10, "b", "trial_started"), back(2, "b", "subscription_started")]); // 8 days
    await store(t, [back(5, "c", "trial_started")]); // not (yet) converted
    await store(t, [back(40, "d", "trial_started"), back(20, "d", "subscription_started")]); // trial before the range
    await store(t, [back(9, "e", "subscription_started"), back(8, "e", "trial_started")]); // paid before the trial: not a conversion
    const r = await trialToPaid(db(), t, from, at);
    expect(r).toEqual({ trials: 4, converted: 2, rate: 0.5, median_days_to_convert: 6 });
  });

  it("movements by week, revenue and seats; direction from the prop, else from revenue or seats", async () => {
    const t = fakeTenant();
    await store(t, [
      back(27, "a", "subscription_started", { plan: "basic", seats: 2, mrr_cents: 2000 }),
      back(20, "a", "subscription_changed", { direction: "upgrade", seats_from: 2, seats: 5, mrr_from_cents: 2000, mrr_cents: 5000 }),
      back(13, "b", "subscription_changed", { mrr_from_cents: 9000, mrr_cents: 6000 }), // a downgrade by revenue
      back(12, "c", "subscription_changed", { seats_from: 4, seats: 6 }), // an upgrade by seats, no revenue given
      back(6, "d", "subscription_canceled", { plan: "basic", seats: 1, mrr_cents: 1500 }),
      back(40, "z", "subscription_started", { mrr_cents: 99_999 }), // before the range
    ]);
    await store(t, [back(3, "bot", "subscription_started", { mrr_cents: 1 })], { source: "web", userAgent: "Googlebot/2.1" });
    const r = await movements(db(), t, from, at);
    expect(r.counts).toEqual({ new: 1, upgrades: 2, downgrades: 1, cancellations: 1 });
    expect(r.weekly.map((w) => [w.new, w.upgrades, w.downgrades, w.cancellations])).toEqual([
      [1, 0, 0, 0], // days 28–21 before
      [0, 1, 0, 0],
      [0, 1, 1, 0],
      [0, 0, 0, 1],
    ]);
    expect(r.mrr).toEqual({
      tracked: true,
      new_cents: 2000,
      expansion_cents: 3000,
      contraction_cents: 3000,
      churned_cents: 1500,
      net_new_cents: 500,
    });
    expect(r.seats).toEqual({ added: 2 + 3 + 2, removed: 1, net: 6 });
  });

  it("activity growth: each person against the window before; newcomers are not expansion", async () => {
    const t = fakeTenant();
    const days = (who: string, list: number[]) => list.map((d) => back(d, who));
    await store(t, [
      ...days("grower", [50, 40, 20, 15, 10, 5, 1]),
      { ...back(48, "grower", "$identify", { $set: { email: "g@x.example" } }) },
    ]);
    await store(t, [...days("shrinker", [50, 45, 40, 35, 2])]);
    await store(t, [...days("steady", [50, 30, 20, 3])]);
    await store(t, [...days("newcomer", [10, 5])]);
    const r = await activityGrowth(db(), t, from, at);
    expect(r).toMatchObject({
      accounts_growing: 1,
      accounts_shrinking: 1,
      accounts_steady: 1,
      events_current: 5 + 1 + 2 + 2,
      events_previous: 2 + 4 + 2,
    });
    expect(r.top_growing).toEqual([{ person_id: "grower", traits: { email: "g@x.example" }, previous: 2, current: 5 }]);
  });

  it("upsell candidates: the newest limit_approached per meter in the last 30 days, unless upgraded since", async () => {
    const t = fakeTenant();
    await store(t, [
      { ...back(25, "a", "$identify", { $set: { name: "Acme" } }) },
      back(20, "a", "limit_approached", { meter: "projects", used: 8, limit: 10, percent: 80 }),
      back(4, "a", "limit_approached", { meter: "projects", used: 10, limit: 10, percent: 100 }),
      back(3, "b", "limit_approached", { meter: "seats", used: 9, limit: 10 }), // percent derived: 90
      back(10, "c", "limit_approached", { meter: "projects", percent: 85 }),
      back(2, "c", "subscription_changed", { direction: "upgrade" }), // upgraded since: not a candidate
      back(45, "d", "limit_approached", { meter: "projects", percent: 95 }), // too old
    ]);
    const r = await upsellFromEvents(db(), t, at);
    expect(r.map((x) => [x.account_id, x.name, x.meter, x.percent])).toEqual([
      ["a", "Acme", "projects", 100],
      ["b", "b", "seats", 90],
    ]);
  });
});
