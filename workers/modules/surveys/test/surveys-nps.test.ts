import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { outboxMessages } from "../../../../schema/messaging";
import { npsResponses } from "../../../../schema/surveys";
import { call, waitForMail } from "../../../../test/helpers";
import { getDb } from "../../../platform/db";
import { newId } from "../../../platform/ids";
import { DAY_MS, decideEligibility, npsScore, periodOf, sampled } from "../nps.rules";
import { csvField } from "../nps.results";
import { answer, asOwner, clientId, fromSite, siteWith, SITE } from "./surveys-helpers";

describe("NPS arithmetic", () => {
  it("is % promoters − % detractors, passives only in the denominator", () => {
    expect(npsScore({ total: 10, promoters: 5, detractors: 3 })).toBe(20);
    expect(npsScore({ total: 3, promoters: 1, detractors: 0 })).toBe(33.3);
    expect(npsScore({ total: 4, promoters: 0, detractors: 4 })).toBe(-100);
    expect(npsScore({ total: 0, promoters: 0, detractors: 0 })).toBeNull();
  });

  it("summarises hand-built responses: score, bands, plan and cohort breakdowns, weekly and monthly trend", async () => {
    const s = await siteWith();
    const db = getDb(env.DB);
    // Mon 2 Nov and Sun 8 Nov 2026 are one ISO week; Mon 9 Nov starts the next; 1 Dec is another month.
    const at = (d: string) => Date.parse(`${d}T12:00:00Z`);
    const rows: [number, string, string, string | null][] = [
      [10, "pro", "2026-11-02", "2026-01-15"],
      [10, "pro", "2026-11-08", "2026-01-20"],
      [9, "pro", "2026-11-08", "2026-02-01"],
      [9, "pro", "2026-11-09", "2026-02-03"],
      [8, "pro", "2026-11-09", null],
      [7, "free", "2026-11-10", "2026-02-10"],
      [6, "free", "2026-11-10", "2026-02-11"],
      [3, "free", "2026-12-01", "2026-01-05"],
      [0, "free", "2026-12-01", "2026-01-06"],
      [10, "free", "2026-12-02", "2026-01-07"],
    ];
    await db.insert(npsResponses).values(
      rows.map(([score, plan, day, signup], i) => ({
        tenantId: s.owner.tenantId,
        id: newId("nps"),
        clientId: `hand-${i}`,
        distinctId: `user-${i}`,
        score,
        plan,
        signedUpAt: signup ? at(signup) : null,
        cohort: signup ? signup.slice(0, 7) : null,
        followUp: score <= 6,
        createdAt: at(day),
      })),
    );
    const week = await asOwner(s, "GET", "/api/v1/surveys/nps/summary?from=2026-11-01&to=2026-12-31&interval=week");
    expect(week.status).toBe(200);
    expect(week.body).toMatchObject({ score: 20, total: 10, promoters: 5, passives: 2, detractors: 3, open_follow_ups: 3 });
    expect(week.body.trend.map((t: { period: string; total: number; score: number }) => [t.period, t.total, t.score])).toEqual([
      ["2026-11-02", 3, 100], // 10, 10, 9
      ["2026-11-09", 4, 0], // 9, 8, 7, 6: one promoter, one detractor
      ["2026-11-30", 3, -33.3], // 3, 0, 10 (Tue 1 Dec is in the week of Mon 30 Nov)
    ]);
    const byPlan = Object.fromEntries(week.body.by_plan.map((b: { key: string; score: number }) => [b.key, b.score]));
    expect(byPlan).toEqual({ pro: 80, free: -40 }); // pro: 4 P, 1 passive (8); free: 7, 6, 3, 0, 10 → 1 P, 1 passive, 3 D
    const byCohort = Object.fromEntries(week.body.by_cohort.map((b: { key: string | null; total: number }) => [b.key ?? "none", b.total]));
    expect(byCohort).toEqual({ none: 1, "2026-01": 5, "2026-02": 4 });
    const month = await asOwner(s, "GET", "/api/v1/surveys/nps/summary?from=2026-11-01&to=2026-12-31&interval=month");
    expect(month.body.trend.map((t: { period: string; score: number }) => [t.period, t.score])).toEqual([
      ["2026-11", 42.9], // 4 P, 2 passives, 1 D of 7 → 3/7
      ["2026-12", -33.3],
    ]);
    // The range bounds: a date-only `to` includes that day; nothing before `from`.
    const nov = await asOwner(s, "GET", "/api/v1/surveys/nps/summary?from=2026-11-09&to=2026-11-10");
    expect(nov.body.total).toBe(4);
    const detractors = await asOwner(s, "GET", "/api/v1/surveys/nps/responses?from=2026-11-01&to=2026-12-31&band=detractor");
    expect(detractors.body.data.map((r: { score: number }) => r.score).sort()).toEqual([0, 3, 6]);
  });
});

describe("NPS display rules", () => {
  const rules = { enabled: true, minDaysSinceSignup: 14, askEveryDays: 30, samplingPercent: 100 };
  const now = Date.parse("2026-12-06T12:00:00Z");
  const decide = (o: Partial<Parameters<typeof decideEligibility>[0]>) =>
    decideEligibility({ rules, tenantId: "t1", distinctId: "u1", signedUpAt: now - 20 * DAY_MS, lastAskedAt: null, now, ...o }).reason;

  it("decides by sign-up age, last asked (answer or dismissal) and sampling", () => {
    expect(decide({})).toBe("eligible");
    expect(decide({ rules: { ...rules, enabled: false } })).toBe("disabled");
    expect(decide({ signedUpAt: now - 13 * DAY_MS })).toBe("too_early");
    expect(decide({ signedUpAt: null })).toBe("signup_unknown");
    expect(decide({ signedUpAt: null, rules: { ...rules, minDaysSinceSignup: 0 } })).toBe("eligible");
    expect(decide({ lastAskedAt: now - 29 * DAY_MS })).toBe("asked_recently");
    expect(decide({ lastAskedAt: now - 31 * DAY_MS })).toBe("eligible");
    expect(decide({ rules: { ...rules, samplingPercent: 0 } })).toBe("not_sampled");
  });

  it("samples deterministically per user and period, at about the set rate", () => {
    const p = periodOf(now, 30);
    expect(periodOf(now + 30 * DAY_MS, 30)).toBe(p + 1);
    let inSample = 0;
    for (let i = 0; i < 2000; i++) {
      const first = sampled("t1", `user-${i}`, p, 30);
      expect(sampled("t1", `user-${i}`, p, 30)).toBe(first);
      if (first) inSample++;
    }
    expect(inSample).toBeGreaterThan(2000 * 0.25);
    expect(inSample).toBeLessThan(2000 * 0.35);
  });

  it("applies the workspace's rules through the eligibility endpoint", async () => {
    const s = await siteWith();
    const day = (n: number) => new Date(Date.now() - n * DAY_MS).toISOString();
    const ask = async (id: string, signedUp?: string) =>
      (await fromSite(s, "GET", `/nps/eligibility?distinct_id=${id}${signedUp ? `&signed_up_at=${signedUp}` : ""}`)).body;
    expect((await ask("ann", day(40))).reason).toBe("disabled");
    expect((await ask("ann", day(40))).feedback_enabled).toBe(true);
    await asOwner(s, "PATCH", "/api/v1/surveys/settings", { nps_enabled: true, min_days_since_signup: 14, ask_every_days: 30 });
    expect(await ask("ann", day(3))).toMatchObject({ show: false, reason: "too_early" });
    expect(await ask("ann", day(40))).toMatchObject({ show: true, reason: "eligible" });
    expect((await ask("ann")).reason).toBe("signup_unknown");
    // Answering counts as asked; so does dismissing.
    expect((await fromSite(s, "POST", "/nps/responses", { id: clientId(), distinct_id: "ann", score: 9 })).status).toBe(201);
    expect(await ask("ann", day(40))).toMatchObject({ show: false, reason: "asked_recently" });
    expect((await fromSite(s, "POST", "/nps/dismissals", { distinct_id: "bob" })).status).toBe(204);
    expect((await ask("bob", day(40))).reason).toBe("asked_recently");
    expect((await ask("cat", day(40))).reason).toBe("eligible");
    // Sampling: the same user gets the same answer on every call (a reload never re-rolls).
    await asOwner(s, "PATCH", "/api/v1/surveys/settings", { sampling_percent: 50 });
    const first: string[] = [];
    for (let i = 0; i < 16; i++) first.push((await ask(`s${i}`, day(40))).reason);
    for (let i = 0; i < 16; i++) expect((await ask(`s${i}`, day(40))).reason).toBe(first[i]);
    expect(new Set(first)).toEqual(new Set(["eligible", "not_sampled"]));
  });

  it("refuses bad settings with the failing fields", async () => {
    const s = await siteWith();
    const r = await asOwner(s, "PATCH", "/api/v1/surveys/settings", { sampling_percent: 120, ask_every_days: 0 });
    expect(r.status).toBe(400);
    expect(r.res.headers.get("Content-Type")).toContain("application/problem+json");
    expect(r.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["ask_every_days", "sampling_percent"]);
  });
});

describe("NPS submissions", () => {
  it("counts a retried POST (same client id) once", async () => {
    const s = await siteWith();
    const body = { id: clientId(), distinct_id: "retry-user", score: 8, comment: "pretty good" };
    const first = await fromSite(s, "POST", "/nps/responses", body);
    const again = await fromSite(s, "POST", "/nps/responses", body);
    expect([first.status, again.status]).toEqual([201, 200]);
    expect(again.body).toEqual({ id: first.body.id, duplicate: true });
    const list = await asOwner(s, "GET", "/api/v1/surveys/nps/responses");
    expect(list.body.data.map((r: { id: string }) => r.id)).toEqual([first.body.id]);
  });

  it("keeps the user's plan, cohort and other traits", async () => {
    const s = await siteWith();
    await answer(s, 9, {
      traits: { plan: "pro", signed_up_at: "2026-03-14T10:00:00Z", company: "Acme" },
      page_url: "https://shop.example/app",
    });
    const [r] = (await asOwner(s, "GET", "/api/v1/surveys/nps/responses")).body.data;
    expect(r).toMatchObject({
      plan: "pro",
      cohort: "2026-03",
      traits: { company: "Acme" },
      band: "promoter",
      page_url: "https://shop.example/app",
    });
  });

  it("refuses a wrong origin and a missing key with 403 problem+json, and gives CORS only to allowed origins", async () => {
    const s = await siteWith();
    const evil = await fromSite(s, "POST", "/nps/responses", { id: clientId(), distinct_id: "x", score: 10 }, "https://evil.example");
    expect(evil.status).toBe(403);
    expect(evil.res.headers.get("Content-Type")).toContain("application/problem+json");
    expect(evil.body.type).toContain("surveys-origin-refused");
    expect(evil.res.headers.get("Access-Control-Allow-Origin")).toBeNull();
    const noKey = await call("/public/v1/surveys/nps/eligibility?distinct_id=x", { headers: { Origin: SITE } });
    expect(noKey.status).toBe(400); // `key` is a required query parameter
    const ok = await fromSite(s, "GET", "/nps/eligibility?distinct_id=x");
    expect(ok.res.headers.get("Access-Control-Allow-Origin")).toBe(SITE);
    expect((await asOwner(s, "GET", "/api/v1/surveys/nps/responses")).body.data).toEqual([]);
  });

  it("refuses scores outside 0–10 with the failing field", async () => {
    const s = await siteWith();
    const r = await fromSite(s, "POST", "/nps/responses", { id: clientId(), distinct_id: "x", score: 11 });
    expect(r.status).toBe(400);
    expect(r.body.errors[0].path).toBe("score");
  });

  it("flags every detractor for follow-up and emails the team through the editable template", async () => {
    const s = await siteWith();
    const det = await answer(s, 3, { comment: "Too slow on Mondays", traits: { plan: "starter" } });
    const pro = await answer(s, 10);
    const list = (await asOwner(s, "GET", "/api/v1/surveys/nps/responses")).body.data;
    const flag = Object.fromEntries(list.map((r: { id: string; follow_up: boolean }) => [r.id, r.follow_up]));
    expect(flag).toEqual({ [det]: true, [pro]: false });
    const mail = await waitForMail(s.owner.email, "NPS detractor");
    expect(mail.subject).toContain("scored 3");
    expect(mail.text).toContain("Too slow on Mondays");
    const sent = await getDb(env.DB)
      .select()
      .from(outboxMessages)
      .where(and(eq(outboxMessages.tenantId, s.owner.tenantId), eq(outboxMessages.template, "surveys.nps_detractor")));
    expect(sent).toHaveLength(1); // the promoter sent nothing
    // The "done" toggle, and only detractors have one.
    const done = await asOwner(s, "PATCH", `/api/v1/surveys/nps/responses/${det}`, { follow_up_done: true });
    expect(done.status).toBe(200);
    expect(done.body.follow_up_done_at).not.toBeNull();
    expect((await asOwner(s, "GET", "/api/v1/surveys/nps/responses?follow_up=open")).body.data).toEqual([]);
    expect((await asOwner(s, "PATCH", `/api/v1/surveys/nps/responses/${pro}`, { follow_up_done: true })).status).toBe(409);
  });
});

describe("NPS CSV export", () => {
  it("escapes fields per RFC 4180 and neutralises formulas", () => {
    expect(csvField('He said "hi", then\nleft')).toBe('"He said ""hi"", then\nleft"');
    expect(csvField('=HYPERLINK("http://x")')).toBe('"\'=HYPERLINK(""http://x"")"');
    expect(csvField("-1 star")).toBe("'-1 star");
    expect(csvField(null)).toBe("");
    expect(csvField(7)).toBe("7");
    expect(csvField("plain")).toBe("plain");
  });

  it("streams every response with a header row", async () => {
    const s = await siteWith();
    await answer(s, 4, { comment: 'Slow, "buggy"\nand =SUM(A1)' });
    for (let i = 0; i < 3; i++) await answer(s, 9);
    const res = await call("/api/v1/surveys/nps/export", { token: s.owner.accessToken, tenant: s.owner.tenantId, ip: s.owner.ip });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toContain("text/csv");
    const text = await res.text();
    const lines = text.split("\r\n");
    expect(lines[0]).toBe("id,created_at,distinct_id,score,band,comment,plan,cohort,signed_up_at,page_url,follow_up,follow_up_done_at");
    expect(text).toContain(',4,detractor,"Slow, ""buggy""\nand =SUM(A1)",');
    expect(lines.filter((l) => /,9,promoter,/.test(l))).toHaveLength(3);
    expect(lines.at(-1)).toBe("");
  });
});
