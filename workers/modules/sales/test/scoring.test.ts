import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLogs } from "../../../../schema/audit";
import { salesLeads } from "../../../../schema/sales";
import { DEFAULT_DEFINITION, DEFAULT_WEIGHTS, containsPhrase, scoreLead, sizeBand, type ScorableLead } from "../scoring";
import { fitLogistic } from "../refit";
import { runSalesCron } from "../cron";
import { markLeadsForRescore, scoreLeadNow } from "../scoring.service";
import { signUp } from "../../../../test/helpers";
import { teammate } from "../../releases/test/releases-helpers";
import { syncSiteVisits, syncVisitsOf } from "../visits";
import { salesIcp } from "../../../../schema/sales-scoring";
import { ev, store } from "../../analytics/test/analytics-helpers";
import { as, closeDeal, db, icpBody, insertCompany, insertLead, insertLeads } from "./scoring-helpers";

const icpRow = (tenantId: string) => db().select().from(salesIcp).where(eq(salesIcp.tenantId, tenantId)).get();

const lead = (over: Partial<ScorableLead> = {}): ScorableLead => ({
  email: "ada@acme.test",
  title: null,
  phone: null,
  domain: null,
  industry: null,
  employees: null,
  country: null,
  region: null,
  linkedinUrl: null,
  tags: [],
  opens: 0,
  replies: 0,
  siteVisits: 0,
  unsubscribedAt: null,
  bouncedAt: null,
  ...over,
});
const icp = {
  ...DEFAULT_DEFINITION,
  industries: ["Software"],
  sizes: ["51-200" as const],
  titles: ["VP", "Head of"],
  regions: ["DACH", "US"],
};
const sum = (lines: { points: number }[]) => lines.reduce((s, l) => s + l.points, 0);

describe("scoring.ts (pure)", () => {
  it("explains every point: lines sum to the unclamped score, clamped at 100", () => {
    const full = lead({
      title: "VP Sales",
      phone: "+49 30 1",
      industry: "Computer Software",
      employees: 120,
      country: "DE",
      opens: 9,
      replies: 1,
      siteVisits: 2,
    });
    const r = scoreLead(full, null, icp, DEFAULT_WEIGHTS);
    // industry 25 + size 20 + title 25 + region 10 + phone 5 + opens 2×5 (9 opened, 5 counted) + reply 15 + visits 3×2
    expect(r.unclamped).toBe(116);
    expect(sum(r.lines)).toBe(r.unclamped);
    expect(r.score).toBe(100);
    expect(r.lines.find((l) => l.trait === "engagement:open")?.points).toBe(10);
    expect(r.lines.map((l) => l.trait)).toEqual([
      "industry",
      "size",
      "title",
      "region",
      "has_phone",
      "engagement:open",
      "engagement:reply",
      "engagement:site_visit",
    ]);

    const some = scoreLead(lead({ title: "Head of Growth", country: "us" }), null, icp, DEFAULT_WEIGHTS);
    expect(some.score).toBe(35);
    expect(sum(some.lines)).toBe(35);
    // negative weights subtract, and never go below 0
    const neg = scoreLead(lead({ phone: "1" }), null, icp, { ...DEFAULT_WEIGHTS, has_phone: -30 });
    expect(neg.unclamped).toBe(-30);
    expect(neg.score).toBe(0);
  });

  it("matches titles on whole words (VP is not the vp in MVP) and fills gaps from the company", () => {
    expect(containsPhrase("MVP Engineer", "VP")).toBe(false);
    expect(containsPhrase("Sr. VP, Sales", "vp")).toBe(true);
    expect(containsPhrase("Head of Growth", "head of")).toBe(true);
    expect(containsPhrase("Overhead officer", "head of")).toBe(false);
    expect(scoreLead(lead({ title: "MVP Engineer" }), null, icp, DEFAULT_WEIGHTS).score).toBe(0);
    const viaCompany = scoreLead(
      lead(),
      { domain: "acme.test", industry: "Software", employees: 60, country: "CH", region: null },
      icp,
      DEFAULT_WEIGHTS,
    );
    expect(viaCompany.lines.map((l) => l.trait)).toEqual(["industry", "size", "region"]);
    expect([sizeBand(10), sizeBand(11), sizeBand(5001), sizeBand(0)]).toEqual(["1-10", "11-50", "5000+", null]);
  });

  it("excluded → 0 with the line that excluded it; missing a required trait → 0 with that line", () => {
    const good = lead({ email: "x@gmail.com", title: "VP Sales", industry: "Software" });
    const ex = scoreLead(good, null, { ...icp, excluded: ["domain:gmail.com"] }, DEFAULT_WEIGHTS);
    expect(ex.score).toBe(0);
    expect(ex.zeroedBy).toBe("excluded");
    expect(sum(ex.lines)).toBe(0);
    expect(ex.lines.at(-1)).toMatchObject({ trait: "excluded:domain:gmail.com", points: -50 });
    expect(scoreLead(lead({ unsubscribedAt: 1, title: "VP" }), null, { ...icp, excluded: ["unsubscribed"] }, DEFAULT_WEIGHTS).score).toBe(
      0,
    );
    expect(scoreLead(lead({ title: "Chief Intern" }), null, { ...icp, excluded: ["title:intern"] }, DEFAULT_WEIGHTS).zeroedBy).toBe(
      "excluded",
    );

    const req = scoreLead(lead({ title: "VP Sales" }), null, { ...icp, required: ["industry"] }, DEFAULT_WEIGHTS);
    expect(req.score).toBe(0);
    expect(req.zeroedBy).toBe("missing_required");
    expect(req.lines.at(-1)).toMatchObject({ trait: "required:industry", points: -25 });
    expect(sum(req.lines)).toBe(0);
    expect(
      scoreLead(lead({ title: "VP Sales", industry: "Software" }), null, { ...icp, required: ["industry"] }, DEFAULT_WEIGHTS).score,
    ).toBe(50);
  });

  it("fits the same logistic model every time, with a positive coefficient for a trait of the wins", () => {
    const X = Array.from({ length: 40 }, (_, i) => [i < 20 ? 1 : i % 4 === 0 ? 1 : 0, i % 2]);
    const y = X.map((_, i) => (i < 20 ? 1 : 0));
    const a = fitLogistic(X, y);
    expect(fitLogistic(X, y)).toEqual(a);
    expect(a.coef[0]).toBeGreaterThan(1);
    expect(Math.abs(a.coef[1] ?? 0)).toBeLessThan(0.5);
  });
});

describe("ICP and scores (API)", () => {
  it("validates the ICP with 422s naming the fields; viewers read, only managers write", async () => {
    const owner = await signUp();
    const viewer = await teammate(owner, "viewer");
    const def = await as(viewer)("GET", "/api/v1/sales/icp");
    expect(def.status).toBe(200);
    expect(def.body).toMatchObject({ is_default: true, version: 0, weights: { industry: 25, title: 25, "engagement:open": 2 } });
    expect((await as(viewer)("PUT", "/api/v1/sales/icp", icpBody())).status).toBe(403);

    const bad = await as(owner)(
      "PUT",
      "/api/v1/sales/icp",
      icpBody({
        industries: [],
        sizes: ["huge"],
        required: ["industry", "vibes"],
        excluded: ["gmail.com"],
        weights: { industry: 500, magic: 3 },
      }),
    );
    expect(bad.status).toBe(422);
    expect(bad.res.headers.get("content-type")).toContain("application/problem+json");
    expect((bad.body.errors as { path: string }[]).map((e) => e.path).sort()).toEqual(
      ["excluded.0", "required.0", "required.1", "sizes.0", "weights.industry", "weights.magic"].sort(),
    );
    expect((await as(owner)("PUT", "/api/v1/sales/icp", { industries: "Software" })).status).toBe(400);
  });

  it("scores leads with explanations, re-scores after an ICP change and after engagement, audits the edit", async () => {
    const owner = await signUp();
    const co = await insertCompany(owner.tenantId, { industry: "Software", employees: 80 });
    const vp = await insertLead(owner.tenantId, {
      email: `vp-${Date.now()}@acme.test`,
      title: "VP Marketing",
      companyId: co,
      country: "DE",
    });
    const mvp = await insertLead(owner.tenantId, { email: `mvp-${Date.now()}@acme.test`, title: "MVP builder", phone: "+1 2" });

    const put = await as(owner)(
      "PUT",
      "/api/v1/sales/icp",
      icpBody({ industries: ["software"], sizes: ["51-200"], titles: ["VP"], regions: ["DACH"] }),
    );
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ version: 1, is_default: false, rescoring: { stale: 0, total: 2 } });
    const s1 = await as(owner)("GET", `/api/v1/sales/leads/${vp}/score`);
    expect(s1.body).toMatchObject({ score: 80, unclamped: 80, clamped: false, icp_version: 1 });
    expect(sum(s1.body.lines)).toBe(80);
    expect((await as(owner)("GET", `/api/v1/sales/leads/${mvp}/score`)).body.score).toBe(5);

    // A narrower ICP: every lead re-scored under version 2.
    const put2 = await as(owner)(
      "PUT",
      "/api/v1/sales/icp",
      icpBody({ industries: ["software"], titles: ["VP"], required: ["title"], weights: { has_phone: 9 } }),
    );
    expect(put2.body.version).toBe(2);
    const rows = await db()
      .select({ id: salesLeads.id, score: salesLeads.score })
      .from(salesLeads)
      .where(eq(salesLeads.tenantId, owner.tenantId));
    expect(Object.fromEntries(rows.map((r) => [r.id, r.score]))).toEqual({ [vp]: 50, [mvp]: 0 });

    // Engagement (the crm part bumps the counters) → scoreLeadNow.
    await db().update(salesLeads).set({ replies: 1, opens: 2, updatedAt: Date.now() }).where(eq(salesLeads.id, vp));
    await scoreLeadNow(env, owner.tenantId, vp);
    const s2 = await as(owner)("GET", `/api/v1/sales/leads/${vp}/score`);
    expect(s2.body.score).toBe(69); // 25 + 25 + opens 2×2 + reply 15
    expect(s2.body.lines.map((l: { trait: string }) => l.trait)).toContain("engagement:reply");

    const audits = await db()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.action, "sales.icp.update")));
    expect(audits).toHaveLength(2);
  });

  it("re-scores stale leads in bounded slices: POST rescore, then the cron continues after an import", async () => {
    const owner = await signUp();
    await as(owner)("PUT", "/api/v1/sales/icp", icpBody({ titles: ["founder"] }));
    await insertLeads(
      owner.tenantId,
      Array.from({ length: 5 }, (_, i) => ({ email: `f${i}-${Date.now()}@x.test`, title: "Co-Founder" })),
    );
    await markLeadsForRescore(db(), owner.tenantId); // as an import would
    let icpNow = await as(owner)("GET", "/api/v1/sales/icp");
    expect(icpNow.body.rescoring).toEqual({ stale: 5, total: 5, pending: true });

    const first = await as(owner)("POST", "/api/v1/sales/scoring/rescore", { all: true, max: 3 });
    expect(first.body).toMatchObject({ rescored: 3, remaining: 2 });
    expect(first.body.leads_per_s).toBeGreaterThan(0);
    await runSalesCron(env, Date.now());
    icpNow = await as(owner)("GET", "/api/v1/sales/icp");
    expect(icpNow.body.rescoring).toEqual({ stale: 0, total: 5, pending: false });
    const scores = await db().select({ score: salesLeads.score }).from(salesLeads).where(eq(salesLeads.tenantId, owner.tenantId));
    expect(scores.map((s) => s.score)).toEqual([25, 25, 25, 25, 25]);
  });
});

describe("refit from won and lost deals", () => {
  it("needs 10 of each, proposes weights in the expected direction, accept and revert swap the ICP's weights", async () => {
    const owner = await signUp();
    await as(owner)("PUT", "/api/v1/sales/icp", icpBody({ industries: ["Software"], titles: ["Intern"] }));
    const stamp = Date.now();
    // Every win has a phone (weight 5 today); 3 of 12 losses do. Titles with "Intern" mostly lose.
    const ids = await insertLeads(
      owner.tenantId,
      Array.from({ length: 24 }, (_, i) => {
        const win = i < 12;
        return {
          email: `r${i}-${stamp}@refit.test`,
          phone: win || i % 4 === 0 ? "+1 555 0100" : null,
          industry: i % 2 ? "Software" : "Retail",
          title: win ? (i % 6 === 0 ? "Intern" : "Director") : i % 3 ? "Intern" : "Director",
        };
      }),
    );
    for (const [i, id] of ids.entries()) if (i < 9 || i >= 12) await closeDeal(owner.tenantId, id, i < 12 ? "won" : "lost");
    const few = await as(owner)("POST", "/api/v1/sales/scoring/refit");
    expect(few.status).toBe(422);
    expect(few.body).toMatchObject({ wins: 9, losses: 12, more_wins_needed: 1, more_losses_needed: 0 });
    expect(few.body.detail).toContain("1 more won");
    // An older lost deal of a lead whose latest deal was won counts as won.
    for (const [i, id] of ids.entries())
      if (i >= 9 && i < 12) {
        await closeDeal(owner.tenantId, id, "lost", Date.now() - 86_400_000);
        await closeDeal(owner.tenantId, id, "won");
      }

    const viewer = await teammate(owner, "viewer");
    expect((await as(viewer)("POST", "/api/v1/sales/scoring/refit")).status).toBe(403);
    const fit = await as(owner)("POST", "/api/v1/sales/scoring/refit");
    expect(fit.status).toBe(201);
    const m = fit.body;
    expect(m).toMatchObject({ status: "proposed", wins: 12, losses: 12, previous_weights: { has_phone: 5, title: 25 } });
    expect(m.weights.has_phone).toBeGreaterThan(5); // present in every win
    expect(m.weights.has_phone).toBe(Math.max(...Object.values(m.weights as Record<string, number>)));
    expect(m.weights.title).toBeLessThan(0); // "Intern" mostly lost
    expect(m.metrics.log_loss_after).toBeLessThan(m.metrics.log_loss_before);
    expect(m.metrics.accuracy_after).toBeGreaterThanOrEqual(m.metrics.accuracy_before);
    expect(m.metrics.held_out).toMatchObject({ folds: 5 });
    expect(m.metrics.kept).toEqual(expect.arrayContaining(["region", "has_email", "engagement:open"]));
    expect(m.weights.region).toBe(10); // no variation → kept
    // Deterministic: the same data gives the same model.
    const again = await as(owner)("POST", "/api/v1/sales/scoring/refit");
    expect(again.body.weights).toEqual(m.weights);
    expect((await as(owner)("POST", `/api/v1/sales/scoring/models/${again.body.id}/reject`)).body.status).toBe("rejected");

    const acc = await as(owner)("POST", `/api/v1/sales/scoring/models/${m.id}/accept`);
    expect(acc.body.status).toBe("active");
    let icpNow = await as(owner)("GET", "/api/v1/sales/icp");
    expect(icpNow.body).toMatchObject({ version: 2, weights: m.weights, active_model_id: m.id, rescoring: { stale: 0 } });
    const phoneLead = await as(owner)("GET", `/api/v1/sales/leads/${ids[1]}/score`);
    expect(phoneLead.body.lines.find((l: { trait: string }) => l.trait === "has_phone")?.points).toBe(m.weights.has_phone);
    expect((await as(owner)("POST", `/api/v1/sales/scoring/models/${m.id}/accept`)).status).toBe(409);

    const rev = await as(owner)("POST", `/api/v1/sales/scoring/models/${m.id}/revert`);
    expect(rev.body.status).toBe("reverted");
    icpNow = await as(owner)("GET", "/api/v1/sales/icp");
    expect(icpNow.body).toMatchObject({ version: 3, weights: m.previous_weights, active_model_id: null });
    const list = await as(owner)("GET", "/api/v1/sales/scoring/models");
    expect(list.body.data.map((x: { status: string }) => x.status)).toEqual(["rejected", "reverted"]);
    const actions = (await db().select({ a: auditLogs.action }).from(auditLogs).where(eq(auditLogs.tenantId, owner.tenantId))).map(
      (r) => r.a,
    );
    expect(actions).toEqual(
      expect.arrayContaining(["sales.scoring.model_accept", "sales.scoring.model_revert", "sales.scoring.model_reject"]),
    );
  });
});

describe("site visits from analytics", () => {
  it("counts an identified person's page views on the lead with that email, once per view however often the pass runs", async () => {
    const owner = await signUp();
    const t = owner.tenantId;
    const [ada, bob, carl] = await insertLeads(t, [
      { email: "ada@visitco.test", title: "VP Sales" },
      { email: "bob@visitco.test", siteVisits: 1 }, // one visit recorded by hand (recordEngagement)
      { email: "carl@visitco.test" },
    ]);
    await as(owner)("PUT", "/api/v1/sales/icp", icpBody({ titles: ["VP"] }));
    const bot = { $user_agent: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" };
    await store(t, [
      // Ada browses anonymously, then signs in as user-1 with her email as a trait: the earlier views become hers.
      ev("anon-a", "$pageview", 1),
      ev("anon-a", "$pageview", 2),
      ev("anon-a", "$pageview", 3),
      ev("user-1", "$identify", 4, { $anon_distinct_id: "anon-a", $set: { email: "Ada@VisitCo.test" } }),
    ]);
    await store(t, [ev("user-1", "$pageview", 5), ev("user-1", "$pageview", 6, bot), ev("user-1", "signed_in", 7)]);
    // Bob is identified by his email address as the user id; Carl has no person at all; Dora is a person but no lead.
    await store(t, [ev("anon-b", "$pageview", 1), ev("bob@visitco.test", "$identify", 2, { $anon_distinct_id: "anon-b" })]);
    await store(t, [
      ev("bob@visitco.test", "$pageview", 3),
      ev("dora@visitco.test", "$identify", 1),
      ev("dora@visitco.test", "$pageview", 2),
    ]);

    const visits = async () =>
      Object.fromEntries(
        (
          await db()
            .select({ id: salesLeads.id, v: salesLeads.siteVisits, tracked: salesLeads.trackedVisits, score: salesLeads.score })
            .from(salesLeads)
            .where(eq(salesLeads.tenantId, t))
        ).map((r) => [r.id, [r.v, r.tracked, r.score]]),
      );
    // Two persons per page: the pass continues from its cursor over three pages.
    expect(await syncVisitsOf(db(), t, null, 1, 2)).toMatchObject({ done: false });
    expect(await syncVisitsOf(db(), t, (await icpRow(t))?.visitsCursor ?? null, 5, 2)).toMatchObject({ changed: 1, done: true });
    const after = await visits();
    expect(after[ada as string]).toEqual([4, 4, 25 + 4 * 3]); // 4 human page views (not the bot's, not the custom event), 3 points each
    expect(after[bob as string]).toEqual([3, 2, expect.any(Number)]); // 1 by hand + 2 tracked
    expect(after[carl as string]).toEqual([0, 0, expect.any(Number)]);
    expect((await as(owner)("GET", `/api/v1/sales/leads/${ada}/score`)).body.lines).toContainEqual(
      expect.objectContaining({ trait: "engagement:site_visit", points: 12 }),
    );
    expect((await icpRow(t))?.visitsSyncedAt).toBeGreaterThan(0);

    // Run again: nothing new, nothing added. One more view later: only that one is added.
    expect(await syncVisitsOf(db(), t, null)).toEqual({ changed: 0, done: true });
    await store(t, [ev("user-1", "$pageview", 9)]);
    expect(await syncVisitsOf(db(), t, null)).toEqual({ changed: 1, done: true });
    expect((await visits())[ada as string]).toEqual([5, 5, 40]);
    // The cron's pass is hourly per workspace: a tick right after this one leaves it alone.
    await store(t, [ev("user-1", "$pageview", 10)]);
    await syncSiteVisits(env, Date.now());
    expect((await visits())[ada as string]?.[0]).toBe(5);
  });
});
