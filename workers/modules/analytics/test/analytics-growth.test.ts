import { describe, expect, it } from "vitest";
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
