import { describe, expect, it } from "vitest";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { analyticsDaily, analyticsEvents } from "../../../../schema/analytics";
import { effectiveRetentionDays, pruneRawEvents } from "../cron";
import { toDataPoint, writeToAnalyticsEngine } from "../engine";
import { updateAnalyticsSettings } from "../settings.service";
import { runRetention } from "../query/retention";
import { overview, runTrends, topValues } from "../query/trends";
import { BASE_TS, db, DAY, ev, fakeTenant, store } from "./analytics-helpers";

const D = 86_400; // seconds

describe("retention cohorts", () => {
  it("draws the triangle: cohort by first start event, returns per later period", async () => {
    const t = fakeTenant();
    // BASE_TS is Monday 2026-11-02. Week 0 cohort: a, b, c; week 1 cohort: d (a's second sign-up does not move a).
    await store(t, [
      ev("a", "signed_up", 0),
      ev("a", "login", 8 * D),
      ev("a", "login", 9 * D),
      ev("a", "login", 15 * D),
      ev("a", "signed_up", 8 * D),
    ]);
    await store(t, [ev("b", "signed_up", 1 * D), ev("b", "login", 2 * D), ev("b", "login", 16 * D)]); // same-week login is not a return
    await store(t, [ev("c", "signed_up", 2 * D)]);
    await store(t, [ev("d", "signed_up", 7 * D), ev("d", "login", 14 * D)]);
    await store(t, [ev("e", "login", 8 * D)]); // never started: in no cohort
    const r = await runRetention(db(), t, {
      start_event: "signed_up",
      return_event: "login",
      period: "week",
      from: BASE_TS - 12 * 3600_000,
      to: BASE_TS + 21 * DAY - 12 * 3600_000,
    });
    expect(r.cohorts).toEqual([
      { period: "2026-11-02", size: 3, returned: [3, 1, 2] }, // week+1: a; week+2: a, b
      { period: "2026-11-09", size: 1, returned: [1, 1] }, // d returns the week after
      { period: "2026-11-16", size: 0, returned: [0] },
    ]);
  });

  it("refuses more cohorts than a triangle can show", async () => {
    await expect(
      runRetention(db(), fakeTenant(), { start_event: "a", return_event: "b", period: "day", from: BASE_TS, to: BASE_TS + 200 * DAY }),
    ).rejects.toThrow(RangeError);
  });
});

describe("trends and the overview", () => {
  it("counts and unique people per day, filtered and broken down; top pages; overview against the previous period", async () => {
    const t = fakeTenant();
    const pv = (who: string, sec: number, path: string, plan: string) =>
      ev(who, "$pageview", sec, { $current_url: `https://s.example${path}`, plan, $session_id: `${who}-${Math.floor(sec / D)}` });
    await store(t, [
      pv("a", 0, "/", "pro"),
      pv("a", 60, "/pricing", "pro"),
      pv("b", 120, "/", "free"),
      pv("c", D + 10, "/pricing", "free"),
    ]);
    await store(t, [pv("old", -D - 10, "/", "free")]); // previous period
    const from = BASE_TS - 12 * 3600_000; // midnight UTC
    const to = from + 2 * DAY;
    const r = await runTrends(db(), t, { event: "$pageview", interval: "day", from, to });
    expect(r.series).toHaveLength(1);
    expect(r.series[0]?.points.map((p) => [p.count, p.uniques])).toEqual([
      [3, 2],
      [1, 1],
    ]);
    const f = await runTrends(db(), t, {
      event: "$pageview",
      interval: "day",
      from,
      to,
      filters: [{ property: "path", op: "eq", value: "/pricing" }],
    });
    expect(f.series[0]?.total_count).toBe(2);
    const b = await runTrends(db(), t, { event: "$pageview", interval: "week", from, to, breakdown: "props.plan" });
    expect(Object.fromEntries(b.series.map((s) => [s.breakdown_value, [s.total_count, s.total_uniques]]))).toEqual({
      pro: [2, 1],
      free: [2, 2],
    });

    expect(await topValues(db(), t, "page", from, to)).toEqual([
      { value: "/", pageviews: 2, visitors: 2 },
      { value: "/pricing", pageviews: 2, visitors: 2 },
    ]);
    const o = await overview(db(), t, from, to);
    expect(o.current).toEqual({ pageviews: 4, visitors: 3, events: 4, sessions: 3 });
    expect(o.previous.pageviews).toBe(1);
    expect(o.daily.map((d) => d.pageviews)).toEqual([3, 1]); // from the rollups
  });
});

describe("Analytics Engine adapter", () => {
  it("writes one data point per event in the documented layout", () => {
    const points: AnalyticsEngineDataPoint[] = [];
    const dataset = { writeDataPoint: (p?: AnalyticsEngineDataPoint) => p && points.push(p) } as AnalyticsEngineDataset;
    const e = {
      id: "evt_1",
      name: "$pageview",
      distinct_id: "anon",
      person_id: "user-1",
      ts: BASE_TS,
      path: "/pricing",
      referrer_host: "google.com",
      utm_source: "mail",
      country: "DE",
      device: "mobile",
      browser: "Safari",
      os: "iOS",
      is_bot: 0 as const,
      source: "web" as const,
      props: { big: "x".repeat(5000) },
    };
    writeToAnalyticsEngine(dataset, "ten_1", [e, { ...e, id: "evt_2", is_bot: 1 }]);
    expect(points).toHaveLength(2);
    const [p, second] = points;
    if (!p || !second) throw new Error("no data points");
    expect(p.indexes).toEqual(["ten_1"]);
    expect(p.blobs?.slice(0, 12)).toEqual([
      "evt_1",
      "$pageview",
      "user-1",
      "anon",
      "/pricing",
      "google.com",
      "mail",
      "DE",
      "mobile",
      "Safari",
      "iOS",
      "web",
    ]);
    expect(String(p.blobs?.[12]).length).toBe(4096);
    expect(p.doubles).toEqual([BASE_TS, 0, 1]);
    expect(second.doubles?.[1]).toBe(1);
    // Analytics Engine's limits: ≤ 20 blobs, ≤ 20 doubles, 1 index of ≤ 96 bytes.
    expect(toDataPoint("t".repeat(96), e).blobs?.length).toBeLessThanOrEqual(20);
  });
});

describe("raw-event retention", () => {
  it("deletes raw events past the plan's period (or the workspace's shorter one) and keeps the rollups", async () => {
    expect(effectiveRetentionDays("free", null)).toBe(90);
    expect(effectiveRetentionDays("free", 400)).toBe(90); // a setting cannot extend the plan
    expect(effectiveRetentionDays("enterprise", 30)).toBe(30);
    const now = Date.now();
    const t = fakeTenant();
    await store(t, [
      { ...ev("p", "old", 0), ts: now - 120 * DAY },
      { ...ev("p", "mid", 0), ts: now - 40 * DAY },
      { ...ev("p", "new", 0), ts: now - DAY },
    ]);
    await pruneRawEvents(env, now);
    const names = async () =>
      (await db().select({ name: analyticsEvents.name }).from(analyticsEvents).where(eq(analyticsEvents.tenantId, t)))
        .map((r) => r.name)
        .sort();
    expect(await names()).toEqual(["mid", "new"]);
    await updateAnalyticsSettings(db(), t, { retentionDays: 30 });
    await pruneRawEvents(env, now);
    expect(await names()).toEqual(["new"]);
    const rollup = await db()
      .select()
      .from(analyticsDaily)
      .where(and(eq(analyticsDaily.tenantId, t), eq(analyticsDaily.key, "old")));
    expect(rollup.map((r) => r.count)).toEqual([1]);
  });
});
