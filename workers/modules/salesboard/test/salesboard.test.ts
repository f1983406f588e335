import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { memberships } from "../../../../schema/tenancy";
import { callJson, signUp, type TestUser } from "../../../../test/helpers";
import { getDb } from "../../../platform/db";
import { subscribeViaSimulator } from "../../billing/test/billing-helpers";
import { bucketStart, median, weekdayOf } from "../figures";
import { seedBoard, WINDOW } from "./salesboard-fixture";

/**
 * The salesboard on a seeded history (salesboard-fixture.ts): figures, funnel, per-step rates,
 * insights that fire on the seeded drop-off and wait on too little data, the cache and "Sync now",
 * the plan gate and bad filters.
 */
const db = getDb(env.DB);
const get = (u: TestUser, query: string, method = "GET") =>
  callJson(`/api/v1/salesboard${method === "POST" ? "/refresh" : ""}?${query}`, {
    method,
    token: u.accessToken,
    tenant: u.tenantId,
    ip: u.ip,
  });
const range = `from=${WINDOW.from}&to=${WINDOW.to}`;

async function proWorkspace(withSecondRep = true) {
  const u = await signUp({ workspace: "Board Co", name: "Ada Rep" });
  await subscribeViaSimulator(u, { plan: "professional", seats: 5 });
  const b = await signUp({ workspace: "Bea's own", name: "Bea Rep" });
  if (withSecondRep) {
    const now = Date.now();
    await db.insert(memberships).values({ tenantId: u.tenantId, userId: b.userId, role: "member", createdAt: now, updatedAt: now });
  }
  return { u, repA: u.userId, repB: b.userId };
}

describe("salesboard figures", () => {
  let w: Awaited<ReturnType<typeof proWorkspace>>;
  let seeded: Awaited<ReturnType<typeof seedBoard>>;
  beforeAll(async () => {
    w = await proWorkspace();
    seeded = await seedBoard(w.u.tenantId, w.repA, w.repB);
  });

  it("computes pipeline, forecast, win rate, cycle time, funnel, owners and trend from the seeded deals and timeline", async () => {
    const r = await get(w.u, range);
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    const b = r.body;
    expect(b).toMatchObject({ cached: false, currency: "USD", mixed_currencies: false, period: { interval: "week" } });
    expect(b.kpis).toMatchObject({
      open_deals: 3,
      open_value_minor: 700_000,
      weighted_forecast_minor: 10_000 + 50_000 + 300_000, // 10 % · 1,000 + 25 % · 2,000 + 75 % · 4,000
      won_count: 3, // the deal won in September is outside the window
      won_value_minor: 1_000_000,
      lost_count: 1,
      win_rate: 0.75,
      avg_cycle_days: 33.3, // (20 + 40 + 40) / 3
      emails_sent: 240,
      replies: 17,
      positive_replies: 6,
      meetings: 6,
    });
    expect(b.kpis.reply_rate).toBeCloseTo(17 / 240, 6);
    expect(b.kpis.meeting_rate).toBeCloseTo(6 / 240, 6);
    expect(
      b.pipeline.map((s: { name: string; count: number; reached: number; conversion_to_next: number }) => [
        s.name,
        s.count,
        s.reached,
        s.conversion_to_next,
      ]),
    ).toEqual([
      ["Lead in", 1, 6, 5 / 6],
      ["Qualified", 1, 5, 4 / 5],
      ["Meeting booked", 0, 4, 1],
      ["Proposal", 1, 4, 3 / 4],
    ]);
    // Qualified: o3 spent 8 days there before Proposal, o2 is still in it.
    expect(b.pipeline[1].durations).toBe(2);
    expect(b.funnel.map((f: { stage: string; count: number }) => [f.stage, f.count])).toEqual([
      ["leads", 105],
      ["contacted", 100],
      ["replied", 17],
      ["meeting", 6],
      ["won", 3],
    ]);
    expect(b.funnel[2].rate_from_previous).toBeCloseTo(0.17, 6);
    const owner = (id: string) => b.by_owner.find((o: { owner_id: string }) => o.owner_id === id);
    expect(owner(w.repA)).toMatchObject({
      name: "Ada Rep",
      open_count: 3,
      open_value_minor: 700_000,
      won_count: 2,
      won_value_minor: 800_000,
      lost_count: 0,
      win_rate: 1,
    });
    expect(owner(w.repB)).toMatchObject({ name: "Bea Rep", open_count: 0, won_count: 1, lost_count: 1, win_rate: 0.5 });
    expect(b.by_source.find((s: { source: string }) => s.source === "referral")).toMatchObject({ open_count: 1, won_count: 2 });
    // Weekly buckets from Monday 5 Oct: step 1 (Tue 6 Oct), step 2 (Fri 16 Oct), step 3 (Wed 21 Oct).
    expect(b.trend).toHaveLength(8);
    expect(
      b.trend
        .slice(0, 3)
        .map((p: { start: string; emails_sent: number; replies: number; meetings: number }) => [
          p.start,
          p.emails_sent,
          p.replies,
          p.meetings,
        ]),
    ).toEqual([
      ["2026-10-05", 100, 10, 4],
      ["2026-10-12", 80, 6, 0],
      ["2026-10-19", 60, 1, 2], // the step-2 meetings were on Monday 19 Oct
    ]);
    expect(b.options.sequences.map((s: { id: string }) => s.id)).toContain(seeded.seq);
  });

  it("counts activity per rep (system sends and replies go to the lead's owner) and rates per sequence step", async () => {
    const b = (await get(w.u, range)).body;
    const rep = (id: string) => b.reps.find((r: { user_id: string }) => r.user_id === id);
    expect(rep(w.repA)).toMatchObject({ emails_sent: 90, replies: 17, meetings: 6, calls: 1, notes: 0 });
    expect(rep(w.repB)).toMatchObject({ emails_sent: 150, replies: 0, meetings: 0, notes: 1, meetings_per_email: 0 });
    expect(rep(w.repA).meetings_per_email).toBeCloseTo(6 / 90, 6);
    expect(
      b.steps.map((s: { position: number; sends: number; replies: number; positive_replies: number; meetings: number }) => [
        s.position,
        s.sends,
        s.replies,
        s.positive_replies,
        s.meetings,
      ]),
    ).toEqual([
      [1, 100, 10, 4, 4],
      [2, 80, 6, 2, 2],
      [3, 60, 1, 0, 0],
    ]);
    const day = (d: number) => b.weekdays.find((x: { weekday: number }) => x.weekday === d);
    expect([day(2), day(5), day(3)].map((d) => [d.sends, d.replies])).toEqual([
      [100, 10],
      [80, 6],
      [60, 1],
    ]);
  });

  it("fires insights on the seeded drop-off, the quiet rep and the weekday gap — each with its numbers — and waits where data is thin", async () => {
    const b = (await get(w.u, range)).body;
    const rules = b.insights.map((i: { rule: string }) => i.rule);
    expect(rules).toEqual(expect.arrayContaining(["step_dropoff", "rep_meetings_per_email", "weekday_replies"]));
    const drop = b.insights.find((i: { rule: string }) => i.rule === "step_dropoff");
    expect(drop).toMatchObject({
      severity: "critical",
      title: "Replies fall off at step 3 of “Board outreach”",
      ref: { sequence_id: seeded.seq, step_position: 3 },
    });
    expect(drop.detail).toContain("step 1 10.0 % (10/100), step 2 7.5 % (6/80), step 3 1.7 % (1/60)");
    expect(drop.numbers.map((x: { numerator: number; denominator: number }) => [x.numerator, x.denominator])).toEqual([
      [10, 100],
      [6, 80],
      [1, 60],
    ]);
    const rep = b.insights.find((i: { rule: string }) => i.rule === "rep_meetings_per_email");
    expect(rep).toMatchObject({ severity: "warning", ref: { user_id: w.repB } });
    expect(rep.numbers.map((x: { numerator: number; denominator: number }) => [x.numerator, x.denominator])).toEqual([
      [0, 150],
      [6, 240],
    ]);
    const days = b.insights.find((i: { rule: string }) => i.rule === "weekday_replies");
    expect(days.title).toBe("Tuesday sends reply 6.0× Wednesday's");
    // Three deals' time in stages and 4 closed deals per source: not enough to judge stalls or sources.
    expect(b.insights_waiting.map((x: { rule: string }) => x.rule).sort()).toEqual(["source_win_rate", "stage_stall"]);
  });

  it("narrows to an owner, a source or a sequence; another workspace's ids answer 404; bad filters 400 with the field", async () => {
    const mine = (await get(w.u, `${range}&owner=${w.repB}`)).body;
    expect(mine.kpis).toMatchObject({ open_deals: 0, won_count: 1, lost_count: 1, emails_sent: 150, replies: 0 });
    expect(mine.reps.map((r: { user_id: string }) => r.user_id)).toEqual([w.repB]);
    const referral = (await get(w.u, `${range}&source=referral`)).body;
    expect(referral.kpis).toMatchObject({ open_deals: 1, won_count: 2, emails_sent: 0 });
    const bySeq = (await get(w.u, `${range}&sequence=${seeded.seq}`)).body;
    expect(bySeq.kpis.emails_sent).toBe(240);
    expect(bySeq.funnel[0].count).toBe(100); // the five uncontacted leads are not enrolled

    const other = await proWorkspace(false);
    expect((await get(other.u, `${range}&sequence=${seeded.seq}`)).status).toBe(404);
    expect((await get(other.u, `${range}&owner=${w.repB}`)).status).toBe(404);
    const bad = await get(w.u, "from=2026-11-29&to=2026-10-05");
    expect(bad.status).toBe(400);
    expect(bad.res.headers.get("content-type")).toContain("application/problem+json");
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(["to"]);
    expect((await get(w.u, "period=3d&from=2026-13-01")).body.errors.map((e: { path: string }) => e.path).sort()).toEqual([
      "from",
      "period",
    ]);
  });

  it("serves the cached board until Sync now (or fresh=1) recomputes it", async () => {
    const q = `${range}&interval=month`;
    const first = await get(w.u, q);
    const again = await get(w.u, q);
    expect(again.body).toMatchObject({ cached: true, computed_at: first.body.computed_at });
    expect(again.body.kpis.meetings).toBe(first.body.kpis.meetings);
    // A new meeting: the cached board does not show it yet …
    await db.run(sql`insert into sales_activities (tenant_id, id, lead_id, kind, actor_id, summary, data, occurred_at, created_at)
      values (${w.u.tenantId}, ${`act_sbnew${w.u.tenantId.slice(-6)}`}, ${seeded.lead(30)}, 'meeting', ${w.repA}, 'Meeting', '{}', ${Date.parse("2026-11-03T10:00:00Z")}, ${Date.now()})`);
    expect((await get(w.u, q)).body).toMatchObject({ cached: true, kpis: { meetings: first.body.kpis.meetings } });
    // … "Sync now" does, and every filter set of the workspace is recomputed on its next read.
    const synced = await get(w.u, q, "POST");
    expect(synced.status).toBe(200);
    expect(synced.body).toMatchObject({ cached: false, kpis: { meetings: first.body.kpis.meetings + 1 } });
    expect(Date.parse(synced.body.computed_at)).toBeGreaterThanOrEqual(Date.parse(first.body.computed_at));
    expect((await get(w.u, range)).body.cached).toBe(false);
    expect((await get(w.u, `${q}&fresh=1`)).body.cached).toBe(false);
  });
});

describe("salesboard gate and thin data", () => {
  it("answers 402 on a plan without the salesboard", async () => {
    const free = await signUp();
    const r = await get(free, "");
    expect(r.status).toBe(402);
    expect(r.res.headers.get("content-type")).toContain("application/problem+json");
    expect(r.body).toMatchObject({ feature: "salesboard", required_plan: "professional" });
    expect((await get(free, "", "POST")).status).toBe(402);
  });

  it("does not fire the drop-off on a small workspace (the same pattern, a tenth of the sends)", async () => {
    const w = await proWorkspace();
    await seedBoard(w.u.tenantId, w.repA, w.repB, { scale: 10 });
    const b = (await get(w.u, range)).body;
    expect(b.steps.map((s: { sends: number }) => s.sends)).toEqual([10, 8, 6]);
    expect(b.insights.map((i: { rule: string }) => i.rule)).not.toContain("step_dropoff");
    expect(b.insights_waiting.find((x: { rule: string }) => x.rule === "step_dropoff").reason).toContain("the busiest step has 10");
  });

  it("an empty workspace gets zeros, nulls and every rule waiting", async () => {
    const w = await proWorkspace(false);
    const b = (await get(w.u, "period=30d")).body;
    expect(b.kpis).toMatchObject({ open_deals: 0, win_rate: null, reply_rate: null, avg_cycle_days: null, emails_sent: 0 });
    expect(b.period.interval).toBe("day");
    expect(b.insights).toEqual([]);
    expect(b.insights_waiting).toHaveLength(5);
  });

  it("buckets weeks from Monday and months from the 1st (UTC), medians", () => {
    const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;
    expect(bucketStart(day("2026-10-11"), "week")).toBe(day("2026-10-05")); // Sunday → its Monday
    expect(bucketStart(day("2026-10-05"), "week")).toBe(day("2026-10-05"));
    expect(bucketStart(day("2026-10-31"), "month")).toBe(day("2026-10-01"));
    expect(weekdayOf(day("2026-10-06"))).toBe(2); // a Tuesday
    expect([median([]), median([3, 1, 2]), median([4, 1, 2, 3])]).toEqual([null, 2, 2.5]);
  });
});
