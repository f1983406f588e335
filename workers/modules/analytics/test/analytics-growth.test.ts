import { describe, expect, it } from "vitest";
import { activityGrowth, movements, trialToPaid, upsellFromEvents } from "../query/expansion";
import { activation, activePeople, churnRisk } from "../query/growth";
import { db, DAY, ev, fakeTenant, store } from "./analytics-helpers";

const at = Date.UTC(2026, 11, 1, 12, 0, 0);
const back = (days: number, who: string, name = "opened_app", props: Record<string, unknown> = {}) => ({
  ...ev(who, name, 0, props),
  ts: at - days * DAY,
});

describe("growth metrics", () => {
  it("DAU / WAU / MAU, the daily series and stickiness; $identify and bots are not activity", async () => {
    const t = fakeTenant();
    await store(t, [back(0.5, "a"), back(0.2, "a"), back(3, "b"), back(20, "c"), back(40, "old"), back(0.1, "x", "$identify")]);
    await store(t, [back(0.3, "crawler")], { source: "web", userAgent: "Googlebot/2.1" });
    const r = await activePeople(db(), t, at);
    expect([r.dau, r.wau, r.mau]).toEqual([1, 2, 3]);
    expect(r.daily).toHaveLength(30);
    expect(r.daily.at(-1)?.dau).toBe(1); // the last 24 h: a
    expect(r.daily.reduce((n, d) => n + d.dau, 0)).toBe(3); // a, b and c on one day each
    expect(r.stickiness).toBeCloseTo(3 / 30 / 3, 10);
  });

  it("activation: share of the sign-up cohort reaching each milestone within its days, and all of them", async () => {
    const t = fakeTenant();
    const cfg = {
      signup_event: "signed_up",
      milestones: [
        { name: "Profile", event: "profile_completed", within_days: 2 },
        { name: "First lead", event: "lead_added", within_days: 7 },
      ],
    };
    await store(t, [back(10, "u1", "signed_up"), back(9, "u1", "profile_completed"), back(5, "u1", "lead_added")]); // both
    await store(t, [back(10, "u2", "signed_up"), back(6, "u2", "profile_completed")]); // profile too late (4 days)
    await store(t, [back(10, "u3", "signed_up"), back(9.5, "u3", "profile_completed"), back(1, "u3", "lead_added")]); // lead too late (9 days)
    await store(t, [back(10, "u4", "profile_completed"), back(10, "u4", "lead_added")]); // never signed up
    await store(t, [back(40, "u5", "signed_up"), back(39, "u5", "profile_completed")]); // signed up before the range
    const r = await activation(db(), t, cfg, at - 30 * DAY, at);
    expect(r.cohort_size).toBe(3);
    expect(r.milestones.map((m) => m.reached)).toEqual([2, 1]);
    expect(r.activated).toBe(1);
    expect(r.activation_rate).toBeCloseTo(1 / 3, 10);
  });

  it("churn risk: identified people whose activity fell, with the signals", async () => {
    const t = fakeTenant();
    const identify = (who: string) => ({ ...back(27, who, "$identify", { $set: { email: `${who}@x.example` } }) });
    // steady: 4 events in each fortnight; fading: 6 then 1 (10 days ago); gone: 5 then none; casual: 2 (no habit).
    await store(t, [identify("steady"), ...[20, 18, 16, 15, 10, 5, 3, 1].map((d) => back(d, "steady"))]);
    await store(t, [identify("fading"), ...[27, 25, 22, 20, 18, 16, 10].map((d) => back(d, "fading"))]);
    await store(t, [identify("gone"), ...[26, 24, 21, 19, 17].map((d) => back(d, "gone"))]);
    await store(t, [identify("casual"), back(20, "casual"), back(2, "casual")]);
    await store(t, [identify("one-visit"), back(20, "one-visit"), back(20.01, "one-visit"), back(20.02, "one-visit")]); // one day: no habit
    await store(t, [...[20, 18, 16].map((d) => back(d, "anonymous-visitor"))]); // never identified: not an account
    const r = await churnRisk(db(), t, at);
    expect(r.map((x) => x.person_id)).toEqual(["gone", "fading"]);
    expect(r[0]).toMatchObject({ score: 100, events_previous: 5, events_recent: 0, traits: { email: "gone@x.example" } });
    expect(r[0]?.signals).toEqual(["activity fell 100% (5 → 0 events, fortnight on fortnight)", "last seen 17 days ago"]);
    expect(r[1]?.score).toBe(Math.round(100 * (0.6 * (1 - 1 / 6) + 0.4 * ((10 - 2) / 12)))); // 77
  });
});

describe("expansion from a workspace's own events", () => {
  const at = Date.UTC(2026, 11, 1, 0, 0, 0);
  const from = at - 28 * DAY;
  const back = (days: number, who: string, name = "opened_app", props: Record<string, unknown> = {}) => ({
    ...ev(who, name, 0, props),
    ts: at - days * DAY,
  });

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
