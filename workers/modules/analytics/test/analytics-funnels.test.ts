import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { analyticsTimelines } from "../../../../schema/analytics-timelines";
import { pruneRawEvents } from "../cron";
import type { QueuedEvent } from "../events";
import { timelineFunnel } from "../query/funnel-timeline";
import { FUNNEL_ORDERS, runFunnel, runRawFunnel, type FunnelQuery } from "../query/funnels";
import { BASE_TS, db, DAY, ev, fakeTenant, S, store } from "./analytics-helpers";

/**
 * Funnel semantics on hand-built people (window 60 s, steps A → B → C). Per person, the level
 * each order mode must give (worked out by hand from the PostHog definitions):
 *
 * | person | events (seconds)                          | sequential | strict | any |
 * |--------|-------------------------------------------|-----------:|-------:|----:|
 * | u1     | A0 B10 C20                                | 3          | 3      | 3   |
 * | u2     | A0 X5 B10 C20 (X: another event)          | 3          | 1      | 3   |
 * | u3     | B0 A10 C20                                | 1          | 1      | 3   |
 * | u4     | A0 B100 A200 B210 C300 (two windows)      | 2          | 2      | 2   |
 * | u5     | A0 B10 · A1000 B1010 C1020 (converts in the 2nd window) | 3 | 3  | 3   |
 * | u6     | C20 B10 A0, stored in reverse time order  | 3          | 3      | 3   |
 * | u7     | A0 A5 A50 B70 C80 (repeated first step)   | 3          | 3      | 3   |
 * | u8     | B0 C10 (never does A)                     | 0          | 0      | 2   |
 * | u9     | A before `from`, B10 C20                  | 0          | 0      | 2   |
 */
const t = fakeTenant();
const FROM = BASE_TS - 60 * S;
const TO = BASE_TS + 2 * DAY;

beforeAll(async () => {
  const e = ev;
  await store(t, [e("u1", "A", 0), e("u1", "B", 10), e("u1", "C", 20)]);
  await store(t, [e("u2", "A", 0), e("u2", "X", 5), e("u2", "B", 10), e("u2", "C", 20)]);
  await store(t, [e("u3", "B", 0), e("u3", "A", 10), e("u3", "C", 20)]);
  await store(t, [e("u4", "A", 0), e("u4", "B", 100), e("u4", "A", 200), e("u4", "B", 210), e("u4", "C", 300)]);
  await store(t, [e("u5", "A", 0), e("u5", "B", 10), e("u5", "A", 1000), e("u5", "B", 1010), e("u5", "C", 1020)]);
  await store(t, [e("u6", "C", 20)]);
  await store(t, [e("u6", "B", 10)]);
  await store(t, [e("u6", "A", 0)]);
  await store(t, [e("u7", "A", 0), e("u7", "A", 5), e("u7", "A", 50), e("u7", "B", 70), e("u7", "C", 80)]);
  await store(t, [e("u8", "B", 0), e("u8", "C", 10)]);
  await store(t, [e("u9", "A", -120), e("u9", "B", 10), e("u9", "C", 20)]);
});

const q = (order: FunnelQuery["order"], extra: Partial<FunnelQuery> = {}): FunnelQuery => ({
  steps: [{ event: "A" }, { event: "B" }, { event: "C" }],
  window_seconds: 60,
  order,
  from: FROM,
  to: TO,
  ...extra,
});
const counts = async (query: FunnelQuery) => (await runFunnel(db(), t, query)).steps.map((s) => s.count);

describe("funnels on hand-built sequences", () => {
  it("sequential: steps in order, other events allowed between, any attempt, furthest step", async () => {
    // levels 3,3,1,2,3,3,3 → ≥1: 7, ≥2: 6, ≥3: 5
    const r = await runFunnel(db(), t, q("sequential"));
    expect(r.steps.map((s) => s.count)).toEqual([7, 6, 5]);
    expect(r.steps[1]?.conversion_from_start).toBeCloseTo(6 / 7, 10);
    expect(r.steps[2]?.conversion_from_previous).toBeCloseTo(5 / 6, 10);
    expect(r.steps[2]?.dropped).toBe(1);
    // B−A per person: u1 10, u2 10, u4 10, u5 10, u6 10, u7 20 → median 10; C from start: 20,20,20,20,30 → 20
    expect(r.steps[1]?.median_seconds_from_previous).toBe(10);
    expect(r.steps[2]?.median_seconds_from_previous).toBe(10);
    expect(r.steps[2]?.median_seconds_from_start).toBe(20);
  });

  it("reads people a page at a time: any page size gives the same result", async () => {
    for (const order of ["sequential", "strict", "any"] as const) {
      expect(await runFunnel(db(), t, q(order), 2)).toEqual(await runFunnel(db(), t, q(order)));
    }
  });

  it("strict: no other event of the person between consecutive steps", async () => {
    // levels 3,1,1,2,3,3,3 → 7, 5, 4
    expect(await counts(q("strict"))).toEqual([7, 5, 4]);
  });

  it("any: all steps in any order within the window of the first", async () => {
    // levels 3,3,3,2,3,3,3,2,2 → ≥1: 9, ≥2: 9, ≥3: 6
    expect(await counts(q("any"))).toEqual([9, 9, 6]);
  });

  it("a longer window changes who converts (u4's first attempt now reaches B and C)", async () => {
    // window 400 s: u4 A0 B100 C300 → 3; u3 still 1; u5/u7 unchanged → sequential ≥3: 6
    expect(await counts(q("sequential", { window_seconds: 400 }))).toEqual([7, 6, 6]);
  });

  it("step filters and a breakdown by a property of the first step", async () => {
    const t2 = fakeTenant();
    await store(t2, [ev("p1", "$pageview", 0, { $current_url: "https://s.example/pricing", plan: "pro" }), ev("p1", "signed_up", 5)]);
    await store(t2, [ev("p2", "$pageview", 0, { $current_url: "https://s.example/blog", plan: "free" }), ev("p2", "signed_up", 5)]);
    await store(t2, [ev("p3", "$pageview", 0, { $current_url: "https://s.example/pricing", plan: "free" })]);
    const r = await runFunnel(db(), t2, {
      steps: [{ event: "$pageview", filters: [{ property: "path", op: "eq", value: "/pricing" }] }, { event: "signed_up" }],
      window_seconds: 60,
      order: "sequential",
      from: FROM,
      to: TO,
      breakdown: "props.plan",
    });
    expect(r.steps.map((s) => s.count)).toEqual([2, 1]);
    const by = Object.fromEntries((r.breakdown ?? []).map((b) => [b.value, b.steps.map((s) => s.count)]));
    expect(by).toEqual({ pro: [1, 1], free: [1, 0] });
  });

  it("ignores bots and other workspaces", async () => {
    const t3 = fakeTenant();
    await store(t3, [ev("bot", "A", 0), ev("bot", "B", 1)], {
      source: "web",
      userAgent: "Googlebot/2.1 (+http://www.google.com/bot.html)",
    });
    await store(t3, [ev("h", "A", 0)]);
    expect((await runFunnel(db(), t3, { ...q("sequential"), steps: [{ event: "A" }, { event: "B" }] })).steps.map((s) => s.count)).toEqual([
      1, 0,
    ]);
  });
});

/**
 * The per-person timelines (what funnels without filters read) give exactly the raw events' answer:
 * random people and events — out of time order, equal times, across midnights, outside the range,
 * bots, repeated step names, an identity merge, retention — for each order mode and window.
 */
describe("funnels from person timelines equal funnels from raw events", () => {
  const rand = (seed: number) => () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
  const NAMES = ["A", "B", "C", "X", "A", "B"];

  async function randomTenant(seed: number): Promise<string> {
    const r = rand(seed);
    const tenant = fakeTenant();
    const events: QueuedEvent[] = [];
    for (let p = 0; p < 40; p++) {
      const count = Math.floor(r() * 14);
      for (let i = 0; i < count; i++) {
        // Within ±3 days of BASE_TS (noon): crosses midnights; every third time on a 10 s grid (ties).
        let sec = Math.floor((r() * 6 - 3) * 86_400);
        if (i % 3 === 0) sec -= sec % 10;
        events.push(ev(p < 5 ? `anon${p}` : `p${p}`, NAMES[Math.floor(r() * NAMES.length)] ?? "A", sec));
      }
    }
    events.sort(() => r() - 0.5); // arrival order ≠ time order
    for (let i = 0; i < events.length; i += 37) await store(tenant, events.slice(i, i + 37));
    await store(tenant, [ev("bot", "A", 0), ev("bot", "B", 5)], {
      source: "web",
      userAgent: "Googlebot/2.1 (+http://www.google.com/bot.html)",
    });
    // anon0's and anon1's events move to p5 and p6 (the timelines of both are rebuilt).
    await store(tenant, [
      ev("p5", "$identify", 30, { $anon_distinct_id: "anon0" }),
      ev("p6", "$identify", 31, { $anon_distinct_id: "anon1" }),
      ev("p6", "B", 32),
    ]);
    return tenant;
  }

  const queries = (): FunnelQuery[] => {
    const out: FunnelQuery[] = [];
    for (const order of FUNNEL_ORDERS)
      for (const window_seconds of [60, 2 * 86_400])
        for (const [from, to] of [
          [BASE_TS - 2 * DAY, BASE_TS + DAY],
          [BASE_TS - 30 * S, BASE_TS + 2 * 3_600 * S],
        ] as const)
          for (const steps of [
            ["A", "B", "C"],
            ["A", "B", "A", "C"],
            ["X", "A"],
          ])
            out.push({ steps: steps.map((event) => ({ event })), window_seconds, order, from, to });
    return out;
  };

  it("for each order mode, window and range, on random data (and any page size)", async () => {
    for (const seed of [1, 2]) {
      const tenant = await randomTenant(seed);
      let compared = 0;
      for (const query of queries()) {
        const fast = await runFunnel(db(), tenant, query, seed === 1 ? 3 : undefined);
        const raw = await runRawFunnel(db(), tenant, query);
        expect(fast, JSON.stringify(query)).toEqual(raw);
        if ((raw.steps[1]?.count ?? 0) > 0) compared++;
      }
      expect(compared).toBeGreaterThan(12); // the data makes people convert, not only empty funnels
      // Pages of a few events: many runs of days, each read while the one before is grouped.
      for (const query of queries().filter((_, i) => i % 5 === 0)) {
        const people = async (eventsPerPage?: number) => {
          const out: string[] = [];
          const ok = await timelineFunnel(
            db(),
            tenant,
            query,
            (level, times) => out.push(`${level}:${times.join()}`),
            undefined,
            eventsPerPage,
          );
          return ok ? out.sort() : null;
        };
        const small = await people(5);
        expect(small, JSON.stringify(query)).toEqual(await people());
        const raw = await runRawFunnel(db(), tenant, query);
        expect(small?.length).toBe(raw.steps[0]?.count);
      }
      expect(await timelineFunnel(db(), tenant, queries()[0] as FunnelQuery, () => {})).toBe(true); // the timeline path answers these
    }
  }, 120_000);

  it("tells people apart by their exact id (quotes, backslashes, commas, control and non-ASCII characters) across days and slices", async () => {
    // Pairs whose JSON texts differ only by escaping, ids that are prefixes of each other. Without a
    // comma in any id the people are read as plain lists; with one (second set) again as JSON arrays.
    const tricky = ['x"', 'x\\"', "x\\", "x", "[", "]", "tab\t", "nl\n", "\u0001", "é", "e\u0301", "😀", "\u2028", "p", "pp", " p"];
    for (const ids of [tricky, [...tricky, "x,y", "y", ",", "y,"]]) {
      const tenant = fakeTenant();
      const events: QueuedEvent[] = [];
      ids.forEach((id, i) => {
        // A late on day 0; B after midnight (another page); every third person also C. A wrong link
        // between two ids converts someone who did not, or loses a conversion.
        if (i % 4 !== 3) events.push(ev(id, "A", 11 * 3_600 + i));
        if (i % 4 !== 1) events.push(ev(id, "B", 12 * 3_600 + 60 + i));
        if (i % 3 === 0) events.push(ev(id, "C", 12 * 3_600 + 120 + i));
      });
      await store(tenant, events);
      for (const order of FUNNEL_ORDERS) {
        const query: FunnelQuery = {
          steps: [{ event: "A" }, { event: "B" }, { event: "C" }],
          window_seconds: 86_400,
          order,
          from: BASE_TS - DAY,
          to: BASE_TS + 2 * DAY,
        };
        const raw = await runRawFunnel(db(), tenant, query);
        expect(raw.steps[1]?.count).toBeGreaterThan(4);
        let people = 0;
        expect(await timelineFunnel(db(), tenant, query, () => people++)).toBe(true);
        expect(people).toBe(raw.steps[0]?.count);
        expect(await runFunnel(db(), tenant, query)).toEqual(raw);
        expect(await runFunnel(db(), tenant, query, 2)).toEqual(raw); // two people per slice
        // Funnels running at once each group their own rows (the arrays are reused between funnels).
        const both = await Promise.all([runFunnel(db(), tenant, query), runFunnel(db(), tenant, query, 3)]);
        expect(both).toEqual([raw, raw]);
      }
    }
  });

  it("step filters and breakdowns read raw events; a name the workspace never sent counts nobody", async () => {
    const tenant = await randomTenant(3);
    const base = { window_seconds: 86_400, order: "sequential" as const, from: BASE_TS - 3 * DAY, to: BASE_TS + 3 * DAY };
    expect(
      await timelineFunnel(
        db(),
        tenant,
        { ...base, steps: [{ event: "A", filters: [{ property: "path", op: "is_set" }] }, { event: "B" }] },
        () => {},
      ),
    ).toBe(false);
    expect(await timelineFunnel(db(), tenant, { ...base, steps: [{ event: "A" }, { event: "B" }], breakdown: "country" }, () => {})).toBe(
      false,
    );
    const never = { ...base, steps: [{ event: "A" }, { event: "never_sent" }] };
    expect(await runFunnel(db(), tenant, never)).toEqual(await runRawFunnel(db(), tenant, never));
  });

  it("retention: the timelines lose the days the raw events lose", async () => {
    const now = Date.now();
    const t = fakeTenant();
    const cutoff = now - 90 * DAY; // the free plan's period
    const at = (who: string, name: string, ms: number) => ({ ...ev(who, name, 0), ts: cutoff + ms });
    // p's A goes, its B a second later stays (the same day: a stale timeline would convert p).
    await store(t, [
      at("p", "A", -30 * DAY),
      at("p", "A", -1000),
      at("p", "B", 1000),
      at("q", "A", 2000),
      at("q", "B", 3000),
      at("p", "C", 89 * DAY),
    ]);
    await pruneRawEvents(env, now);
    const days = await db().select({ day: analyticsTimelines.day }).from(analyticsTimelines).where(eq(analyticsTimelines.tenantId, t));
    expect(Math.min(...days.map((d) => d.day))).toBe(Math.floor((cutoff + 1000) / DAY)); // the oldest event left: p's B
    for (const order of FUNNEL_ORDERS) {
      const query: FunnelQuery = { steps: [{ event: "A" }, { event: "B" }], window_seconds: 86_400, order, from: now - 130 * DAY, to: now };
      const raw = await runRawFunnel(db(), t, query);
      // q converts; p's A is gone (in "any" order p's B alone still counts at step 1)
      expect(raw.steps.map((s) => s.count)).toEqual(order === "any" ? [2, 1] : [1, 1]);
      expect(await runFunnel(db(), t, query)).toEqual(raw);
    }
  });
});
