import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { aiCalls, type AiProvider } from "../../../../schema/ai";
import { auditLogs } from "../../../../schema/audit";
import { checkOutput, complete, dailySendCapRemaining, holdForApproval, registerHoldHandler } from "..";
import { knowledgeReplyEngine } from "../../chat/replies";
import { subscribeViaSimulator } from "../../billing/test/billing-helpers";
import { asUser, waitForSource } from "../../knowledge/test/knowledge-helpers";
import { call, signUp, type TestUser } from "../../../../test/helpers";
import { pruneAiCalls } from "../calls.service";
import { checkExpectations, toneFailure } from "../evals.service";
import { evaluate, NO_RULES, SAFE_REFUSAL, stem, type GuardrailRules } from "../guardrails";
import { costMicros } from "../prices";
import { redactPii } from "../redact";
import { setProviderFetch } from "../transport";
import { configure, db, keys, noSleep, req } from "./ai-helpers";
import { fakeOpenAi } from "./fake-llm/server";

afterEach(() => setProviderFetch(null));

const rules = (r: Partial<GuardrailRules>): GuardrailRules => ({ ...NO_RULES, ...r });
const PRICES = { id: "p", kind: "price" as const, label: "Prices" };
const LEGAL = { id: "l", kind: "legal" as const, label: "Legal terms" };

/** An enterprise workspace (the AI safety console is an Enterprise feature). */
async function enterprise(): Promise<TestUser> {
  const u = await signUp();
  await subscribeViaSimulator(u, { plan: "enterprise", seats: 25 });
  return u;
}
const guardrailsBody = (extra: Record<string, unknown> = {}) => ({
  blocked_topics: [],
  blocked_phrases: [],
  disclaimers: [],
  claim_rules: [],
  on_blocked: "hold",
  daily_send_cap: null,
  log_retention_days: null,
  ...extra,
});

describe("guardrail rules (pure)", () => {
  it("matches blocked phrases on word boundaries, case-insensitively, with the snippet", () => {
    const r = rules({ blockedPhrases: ["act now"] });
    const d = evaluate(r, "writer", "Offer ends soon — ACT  NOW to save.");
    expect(d.action).toBe("held");
    expect(d.rules).toEqual([{ rule: "blocked_phrase:act now", match: "ACT  NOW", snippet: "Offer ends soon — ACT NOW to save." }]);
    expect(evaluate(r, "writer", "We react nowhere near as fast.").action).toBe("allowed"); // "react now…" is not "act now"
    expect(evaluate(rules({ blockedPhrases: ["act now"], onBlocked: "block" }), "writer", "act now").action).toBe("blocked");
  });

  it("matches topics as phrases with simple stems", () => {
    expect(stem("gambling")).toBe("gambl");
    const r = rules({ blockedTopics: ["gambling", "sports betting"] });
    expect(evaluate(r, "writer", "Our gamblers love it").rules[0]).toMatchObject({ rule: "blocked_topic:gambling", match: "gamblers" });
    expect(evaluate(r, "writer", "a gamble").rules[0]?.match).toBe("gamble");
    expect(evaluate(r, "writer", "Sport bettors and sports-betting tips").rules.map((x) => x.match)).toEqual([
      "Sport bettors",
      "sports-betting",
    ]);
    expect(evaluate(r, "writer", "Gambia is lovely").action).toBe("allowed");
  });

  it("holds prices, legal terms and custom claims; chat and the assistant block instead of holding", () => {
    const r = rules({ claimRules: [PRICES, LEGAL, { id: "c", kind: "custom", label: "Competitors", pattern: "Acme Corp | Globex" }] });
    const d = evaluate(r, "writer", "Only $49/month, 20% off, with a warranty — better than globex.");
    expect(d.action).toBe("held");
    expect(d.rules.map((x) => [x.rule, x.match])).toEqual([
      ["claim_price:Prices", "$49/month"],
      ["claim_price:Prices", "20% off"],
      ["claim_legal:Legal terms", "warranty"],
      ["claim_custom:Competitors", "globex"],
    ]);
    expect(evaluate(r, "writer", "We are a contractor for 30 EUR").rules.map((x) => x.match)).toEqual(["30 EUR"]); // contractor ≠ contract
    expect(evaluate(r, "chat", "It costs €1.200,50").action).toBe("blocked");
    expect(evaluate(r, "assistant", "a discount").action).toBe("blocked");
    expect(evaluate(r, "writer", "Thanks for your time.").action).toBe("allowed");
  });

  it("appends each surface's required disclaimer once (modified), also to held text", () => {
    const r = rules({
      disclaimers: [
        { surface: "writer", text: "Written with AI." },
        { surface: "all", text: "Not legal advice." },
      ],
      claimRules: [LEGAL],
    });
    const d = evaluate(r, "writer", "Hello Ann.");
    expect(d).toMatchObject({ action: "modified", text: "Hello Ann.\n\nWritten with AI.\n\nNot legal advice." });
    expect(d.rules.map((x) => x.rule)).toEqual(["disclaimer:writer", "disclaimer:all"]);
    expect(evaluate(r, "chat", "Hi.\n\nnot legal advice.")).toMatchObject({ action: "allowed", text: "Hi.\n\nnot legal advice." });
    const held = evaluate(r, "writer", "Our contract is simple.");
    expect(held.action).toBe("held");
    expect(held.text).toContain("Written with AI.");
  });

  it("prices calls per model and counts redactions per kind", () => {
    expect(costMicros("openai", "gpt-4o-mini", 1_000_000, 1_000_000)).toBe(750_000);
    expect(costMicros("openai", "gpt-4o-mini-2024-07-18", 1000, 100)).toBe(210); // prefix match: 0.15·1000 + 0.6·100
    expect(costMicros("local", "extractive-v1", 5000, 5000)).toBe(0);
    expect(costMicros("openai", "some-new-model", 5000, 5000)).toBe(0);
    expect(redactPii("a@b.io, c@d.io, 4242 4242 4242 4242, +1 415-555-0100").kinds).toEqual({ email: 2, card: 1, phone: 1 });
  });
});

describe("guardrails API and plan gate", () => {
  it("reads on every plan, edits only with the AI safety console (402), tests texts", async () => {
    const free = await signUp();
    const g = await asUser(free)("/api/v1/ai/guardrails");
    expect(g.status).toBe(200);
    expect(g.body).toMatchObject({ can_edit: false, plan_log_retention_days: 7, effective_log_retention_days: 7, blocked_phrases: [] });
    const put = await asUser(free)("/api/v1/ai/guardrails", { method: "PUT", body: guardrailsBody({ blocked_phrases: ["x"] }) });
    expect(put.status).toBe(402);
    expect(put.res.headers.get("content-type")).toContain("application/problem+json");
    expect(put.body).toMatchObject({ feature: "ai_safety_console", required_plan: "enterprise" });
    expect(
      (await asUser(free)("/api/v1/ai/evals/cases", { body: { name: "n", prompt: "p", expectations: [{ kind: "must_cite" }] } })).status,
    ).toBe(402);

    const tried = await asUser(free)("/api/v1/ai/guardrails/test", {
      body: { surface: "writer", text: "Save 10% off today", guardrails: guardrailsBody({ claim_rules: [PRICES] }) },
    });
    expect(tried.status).toBe(200);
    expect(tried.body).toMatchObject({ action: "held", rules: [{ rule: "claim_price:Prices", match: "10% off" }] });
  });

  it("saves guardrails on Enterprise, refuses a retention above the plan's and bad rules with their fields", async () => {
    const u = await enterprise();
    const bad = await asUser(u)("/api/v1/ai/guardrails", {
      method: "PUT",
      body: guardrailsBody({ log_retention_days: 400, claim_rules: [{ id: "c", kind: "custom", label: "x", pattern: " | " }] }),
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toContain("claim_rules.0.pattern");
    const tooLong = await asUser(u)("/api/v1/ai/guardrails", { method: "PUT", body: guardrailsBody({ log_retention_days: 400 }) });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.errors).toEqual([{ path: "log_retention_days", message: expect.stringContaining("365") }]);
    const ok = await asUser(u)("/api/v1/ai/guardrails", {
      method: "PUT",
      body: guardrailsBody({ blocked_phrases: ["act now"], daily_send_cap: 3, log_retention_days: 30 }),
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ can_edit: true, blocked_phrases: ["act now"], daily_send_cap: 3, effective_log_retention_days: 30 });
    expect(await dailySendCapRemaining(env, u.tenantId, 2)).toBe(1);
    expect(await dailySendCapRemaining(env, u.tenantId, 5)).toBe(0);
    expect(await dailySendCapRemaining(env, (await signUp()).tenantId, 500)).toBeNull();
    const audit = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, u.tenantId), eq(auditLogs.action, "ai.guardrails.updated")));
    expect(audit.length).toBe(1);
  });
});

describe("guardrails on grounded answers (chat widget, portal assistant, /ai/ask)", () => {
  async function kb(u: TestUser) {
    const f = await asUser(u)("/api/v1/knowledge/sources/faq", {
      body: { question: "How much is the Pro plan?", answer: "The Pro plan costs $49 per month and you should act now." },
    });
    await waitForSource(u, f.body.id);
  }
  const callRow = async (u: TestUser, id: string) =>
    db
      .select()
      .from(aiCalls)
      .where(and(eq(aiCalls.tenantId, u.tenantId), eq(aiCalls.id, id)))
      .get();

  it("replaces a blocked chat answer with a hand-off and logs the decision; appends a disclaimer otherwise", async () => {
    const u = await enterprise();
    await kb(u);
    const ask = () => asUser(u)("/api/v1/ai/ask", { body: { question: "How much is the Pro plan?", stream: false } });
    const before = await ask();
    expect(before.body.answer).toContain("$49");
    expect(await callRow(u, before.body.call_id)).toMatchObject({ action: "allowed", rulesFired: [], surface: "chat" });

    await asUser(u)("/api/v1/ai/guardrails", { method: "PUT", body: guardrailsBody({ claim_rules: [PRICES] }) });
    const blocked = await ask();
    expect(blocked.body.answer).toBe(SAFE_REFUSAL);
    expect(blocked.body.citations).toEqual([]);
    expect(blocked.body.grounded).toBe(false);
    expect(await callRow(u, blocked.body.call_id)).toMatchObject({ action: "blocked", rulesFired: ["claim_price:Prices"] });

    // The chat widget's engine gets the same refusal (no token of the price leaks while streaming).
    let widget = "";
    for await (const e of knowledgeReplyEngine.answer({ env, tenantId: u.tenantId, question: "How much is the Pro plan?", history: [] }))
      if (e.type === "token") widget += e.text;
    expect(widget).toBe(SAFE_REFUSAL);

    await asUser(u)("/api/v1/ai/guardrails", {
      method: "PUT",
      body: guardrailsBody({ disclaimers: [{ surface: "chat", text: "Answers are AI-generated." }] }),
    });
    const streamed = await call("/api/v1/ai/ask", {
      method: "POST",
      token: u.accessToken,
      tenant: u.tenantId,
      ip: u.ip,
      body: { question: "How much is the Pro plan?" },
    });
    const sse = await streamed.text();
    const tokens = [...sse.matchAll(/event: token\ndata: (.*)\n/g)].map((m) => JSON.parse(m[1] ?? "{}").text).join("");
    expect(tokens).toContain("$49");
    expect(tokens.endsWith("\n\nAnswers are AI-generated.")).toBe(true);
    expect(sse).toContain("event: citation");
    const doneId = JSON.parse(/event: done\ndata: (.*)\n/.exec(sse)?.[1] ?? "{}").call_id;
    expect(await callRow(u, doneId)).toMatchObject({ action: "modified", rulesFired: ["disclaimer:chat"] });
  });

  it("checkOutput writes the decision on the writer's call row; the gateway stores surface, cost and redactions by kind", async () => {
    const u = await enterprise();
    await keys(u);
    await configure(u, [{ provider: "openai", model: "gpt-4o-mini" }]);
    await asUser(u)("/api/v1/ai/guardrails", {
      method: "PUT",
      body: guardrailsBody({ blocked_phrases: ["act now"], claim_rules: [LEGAL] }),
    });
    const oa = fakeOpenAi({ reply: "Act now: our guarantee covers you." });
    const r = await complete(
      { ...req(u, "Write to ann@example.com, +1 415-555-0100"), surface: "writer" },
      { fetch: oa.fetch, ...noSleep },
    );
    const d = await checkOutput(env, u.tenantId, "writer", r.text, { callId: r.callId });
    expect(d.action).toBe("held");
    expect(d.rules.map((x) => x.rule)).toEqual(["blocked_phrase:act now", "claim_legal:Legal terms"]);
    const row = await callRow(u, r.callId ?? "");
    expect(row).toMatchObject({
      surface: "writer",
      action: "held",
      rulesFired: ["blocked_phrase:act now", "claim_legal:Legal terms"],
      redactions: 2,
      redactionKinds: { email: 1, phone: 1 },
    });
    expect(row?.costMicros).toBe(costMicros("openai", "gpt-4o-mini", row?.inputTokens ?? 0, row?.outputTokens ?? 0));
    expect(row?.costMicros).toBeGreaterThan(0);
  });
});

describe("the approval queue", () => {
  it("runs the registered handler once per decision; a second decision is 409; audited", async () => {
    const u = await signUp();
    const seen: string[] = [];
    registerHoldHandler("test_item", async (_env, tenantId, refId, decision, by) => {
      seen.push(`${tenantId === u.tenantId}:${refId}:${decision}:${by === u.userId}`);
    });
    const h1 = await holdForApproval(db, u.tenantId, {
      surface: "writer",
      refType: "test_item",
      refId: "ref_1",
      content: "Hi",
      rules: [{ rule: "claim_legal:L", match: "contract" }],
    });
    const h2 = await holdForApproval(db, u.tenantId, { surface: "writer", refType: "test_item", refId: "ref_2", content: "Yo", rules: [] });

    const pending = await asUser(u)("/api/v1/ai/holds?status=pending");
    expect(pending.body.data.map((h: { id: string }) => h.id).sort()).toEqual([h1.holdId, h2.holdId].sort());
    expect(pending.body.data.find((h: { id: string }) => h.id === h1.holdId)).toMatchObject({
      ref_type: "test_item",
      rules_fired: [{ rule: "claim_legal:L", match: "contract" }],
    });

    const ok = await asUser(u)(`/api/v1/ai/holds/${h1.holdId}/approve`, { body: { comment: "fine" } });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ status: "approved", comment: "fine", decided_by: u.userId });
    const again = await asUser(u)(`/api/v1/ai/holds/${h1.holdId}/reject`, { body: {} });
    expect(again.status).toBe(409);
    expect((await asUser(u)(`/api/v1/ai/holds/${h2.holdId}/reject`, { body: {} })).body.status).toBe("rejected");
    expect(seen).toEqual(["true:ref_1:approved:true", "true:ref_2:rejected:true"]);
    expect((await asUser(u)("/api/v1/ai/holds?status=pending")).body.data).toEqual([]);
    expect((await asUser(u)("/api/v1/ai/holds?status=approved")).body.data.map((h: { id: string }) => h.id)).toEqual([h1.holdId]);
    const audit = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, u.tenantId), eq(auditLogs.targetId, h1.holdId)));
    expect(audit.map((a) => a.action)).toEqual(["ai.hold.approved"]);
    expect((await asUser(u)("/api/v1/ai/holds/hold_nope/approve", { body: {} })).status).toBe(404);
  });
});

describe("the call log: filters, export, summary, retention", () => {
  const DAY = 86_400_000;
  const today = Math.floor(Date.now() / DAY) * DAY + 3_600_000; // 01:00 UTC today
  async function seed(u: TestUser) {
    const base = {
      tenantId: u.tenantId,
      operation: "complete",
      status: "ok" as const,
      attempts: [],
      fallback: false,
      error: null,
    };
    const rows = [
      // today: 4 writer/chat calls with latencies 100, 200, 300, 1000
      {
        id: "aic_s1",
        surface: "writer",
        provider: "openai",
        model: "gpt-4o-mini",
        latencyMs: 100,
        inputTokens: 1000,
        outputTokens: 100,
        costMicros: 210,
        rulesFired: ["claim_price:Prices"],
        action: "held" as const,
        redactions: 2,
        redactionKinds: { email: 2 } as Record<string, number>,
        createdAt: today,
      },
      {
        id: "aic_s2",
        surface: "writer",
        provider: "openai",
        model: "gpt-4o-mini",
        latencyMs: 200,
        inputTokens: 500,
        outputTokens: 50,
        costMicros: 105,
        rulesFired: [],
        action: "allowed" as const,
        redactions: 1,
        redactionKinds: { phone: 1 } as Record<string, number>,
        createdAt: today + 1000,
      },
      {
        id: "aic_s3",
        surface: "chat",
        provider: "local",
        model: "extractive-v1",
        latencyMs: 300,
        inputTokens: 10,
        outputTokens: 10,
        costMicros: 0,
        rulesFired: ["blocked_topic:crypto", "disclaimer:chat"],
        action: "blocked" as const,
        redactions: 0,
        redactionKinds: {},
        createdAt: today + 2000,
      },
      {
        id: "aic_s4",
        surface: "chat",
        provider: "local",
        model: "extractive-v1",
        latencyMs: 1000,
        inputTokens: 10,
        outputTokens: 10,
        costMicros: 0,
        rulesFired: ["disclaimer:chat"],
        action: "modified" as const,
        redactions: 0,
        redactionKinds: {},
        createdAt: today + 3000,
        status: "error" as const,
        error: 'boom, "quoted"',
      },
      // yesterday: one eval call
      {
        id: "aic_s5",
        surface: "eval",
        provider: "anthropic",
        model: "claude-3-5-haiku",
        latencyMs: 50,
        inputTokens: 100,
        outputTokens: 100,
        costMicros: 480,
        rulesFired: [],
        action: "allowed" as const,
        redactions: 0,
        redactionKinds: {},
        createdAt: today - DAY,
      },
      // 20 days ago: past the free plan's 7 days
      {
        id: "aic_s6",
        surface: "other",
        provider: "local",
        model: "extractive-v1",
        latencyMs: 5,
        inputTokens: 0,
        outputTokens: 0,
        costMicros: 0,
        rulesFired: [],
        action: "allowed" as const,
        redactions: 0,
        redactionKinds: {},
        createdAt: today - 20 * DAY,
      },
    ];
    const [first, ...rest] = rows.map((r) => {
      const row: typeof aiCalls.$inferInsert = { ...base, ...r, provider: r.provider as AiProvider, id: `${r.id}_${u.tenantId}` };
      return db.insert(aiCalls).values(row);
    });
    if (first) await db.batch([first, ...rest]); // one row per statement: D1 allows 100 bound values per statement
  }
  const ids = (body: { data: { id: string }[] }) => body.data.map((c) => c.id.split("_").slice(0, 2).join("_"));

  it("filters the list by surface, provider, model, status, action, rule and dates", async () => {
    const u = await signUp();
    await seed(u);
    const list = (q: string) => asUser(u)(`/api/v1/ai/calls?limit=100&${q}`).then((r) => ids(r.body));
    expect(await list("")).toEqual(["aic_s4", "aic_s3", "aic_s2", "aic_s1", "aic_s5", "aic_s6"]);
    expect(await list("surface=writer")).toEqual(["aic_s2", "aic_s1"]);
    expect(await list("provider=anthropic")).toEqual(["aic_s5"]);
    expect(await list("model=extractive-v1&status=error")).toEqual(["aic_s4"]);
    expect(await list("action=blocked")).toEqual(["aic_s3"]);
    expect(await list("rule=disclaimer")).toEqual(["aic_s4", "aic_s3"]); // a rule kind
    expect(await list("rule=blocked_topic:crypto")).toEqual(["aic_s3"]); // an exact rule
    const day = (t: number) => new Date(t).toISOString().slice(0, 10);
    expect(await list(`from=${day(today - DAY)}&to=${day(today - DAY)}`)).toEqual(["aic_s5"]);
    expect(await list(`from=${new Date(today + 1000).toISOString()}`)).toEqual(["aic_s4", "aic_s3", "aic_s2"]);
    const first = await asUser(u)("/api/v1/ai/calls?limit=2&surface=chat");
    expect(first.body.data[0]).toMatchObject({ surface: "chat", action: "modified", rules_fired: ["disclaimer:chat"], cost_micros: 0 });
    const bad = await asUser(u)("/api/v1/ai/calls?from=yesterday-ish&surface=fax");
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["from", "surface"]);
  });

  it("exports the filtered log as CSV and sums it per day", async () => {
    const u = await signUp();
    await seed(u);
    const res = await call("/api/v1/ai/calls/export?surface=chat", { token: u.accessToken, tenant: u.tenantId, ip: u.ip });
    expect(res.headers.get("content-type")).toContain("text/csv");
    const lines = (await res.text()).trim().split("\r\n");
    expect(lines[0]).toBe(
      "id,created_at,surface,operation,provider,model,status,latency_ms,input_tokens,output_tokens,cost_usd,fallback,redactions,rules_fired,action,error",
    );
    expect(lines.length).toBe(3);
    expect(lines[1]).toContain(
      ',chat,complete,local,extractive-v1,error,1000,10,10,0.000000,false,0,disclaimer:chat,modified,"boom, ""quoted"""',
    );
    const all = await call("/api/v1/ai/calls/export", { token: u.accessToken, tenant: u.tenantId, ip: u.ip });
    expect((await all.text()).trim().split("\r\n").length).toBe(7);

    const s = await asUser(u)("/api/v1/ai/calls/summary?days=2");
    expect(s.status).toBe(200);
    expect(s.body.daily.map((d: { day: string }) => d.day)).toEqual([
      new Date(today - DAY).toISOString().slice(0, 10),
      new Date(today).toISOString().slice(0, 10),
    ]);
    expect(s.body.daily[1]).toEqual({
      day: new Date(today).toISOString().slice(0, 10),
      calls: 4,
      errors: 1,
      input_tokens: 1520,
      output_tokens: 170,
      cost_micros: 315,
      redactions: 3,
      p50_latency_ms: 200, // nearest rank: ceil(0.5·4) = 2nd of 100, 200, 300, 1000
      p95_latency_ms: 1000, // ceil(0.95·4) = 4th
      by_surface: { writer: 2, chat: 2 },
      actions: { held: 1, allowed: 1, blocked: 1, modified: 1 },
      rules_fired: { "claim_price:Prices": 1, "blocked_topic:crypto": 1, "disclaimer:chat": 2 },
      redactions_by_kind: { email: 2, phone: 1 },
    });
    expect(s.body.totals).toMatchObject({ calls: 5, cost_micros: 795, by_surface: { writer: 2, chat: 2, eval: 1 } });
  });

  it("the daily prune removes calls older than the workspace's retention", async () => {
    const u = await signUp();
    await seed(u);
    await pruneAiCalls(env);
    const left = await db.select({ id: aiCalls.id }).from(aiCalls).where(eq(aiCalls.tenantId, u.tenantId));
    expect(left.length).toBe(5); // the 20-day-old call is past Free's 7 days
  });
});

describe("model evaluations", () => {
  it("checks each expectation kind", () => {
    expect(checkExpectations("See [1].", true, [{ kind: "must_cite" }])).toEqual([]);
    expect(checkExpectations("No source.", false, [{ kind: "must_cite" }])).toEqual(["must_cite: the answer cites no source"]);
    expect(checkExpectations("Refunds take 5 days", false, [{ kind: "must_include", value: "refunds" }])).toEqual([]);
    expect(checkExpectations("Hello", false, [{ kind: "must_include", value: "refund" }])).toHaveLength(1);
    expect(checkExpectations("We beat Acme", false, [{ kind: "must_not_include", value: "acme" }])).toEqual([
      "must_not_include: mentions “acme”",
    ]);
    expect(checkExpectations("one two three", false, [{ kind: "max_words", value: 2 }])).toEqual(["max_words: 3 words > 2"]);
    expect(checkExpectations("one two three", false, [{ kind: "min_words", value: 4 }])).toEqual(["min_words: 3 words < 4"]);
    expect(toneFailure("We will reply within a day.", "formal")).toBeNull();
    expect(toneFailure("We'll reply soon!", "formal")).toBe("tone: not formal (a contraction)");
    expect(toneFailure("Happy to help!", "friendly")).toBeNull();
    expect(toneFailure("Ticket closed.", "friendly")).toMatch(/not friendly/);
    expect(toneFailure("This is amazing.", "neutral")).toBe("tone: not neutral (a hype word)");
  });

  it("runs the cases against a model through the gateway and shows pass rates side by side", async () => {
    const u = await enterprise();
    const f = await asUser(u)("/api/v1/knowledge/sources/faq", {
      body: { question: "How long do refunds take?", answer: "Refunds are processed within five business days." },
    });
    await waitForSource(u, f.body.id);
    const add = (body: unknown) => asUser(u)("/api/v1/ai/evals/cases", { body });
    const cited = await add({
      name: "cites",
      prompt: "How long do refunds take?",
      grounded: true,
      expectations: [{ kind: "must_cite" }, { kind: "must_include", value: "five business days" }],
    });
    expect(cited.status).toBe(201);
    // The local answerer without grounding says it only answers from the knowledge base.
    const short = await add({ name: "short", prompt: "Write a poem", expectations: [{ kind: "max_words", value: 5 }] });
    const formal = await add({
      name: "formal",
      prompt: "Write a poem",
      expectations: [
        { kind: "tone", value: "formal" },
        { kind: "must_not_include", value: "poem" },
      ],
    });
    const bad = await add({ name: "x", prompt: "y", expectations: [{ kind: "max_words", value: "lots" }] });
    expect(bad.status).toBe(400);
    const edited = await asUser(u)(`/api/v1/ai/evals/cases/${formal.body.id}`, { method: "PATCH", body: { name: "formal tone" } });
    expect(edited.body).toMatchObject({ name: "formal tone", prompt: "Write a poem" });

    const run = await asUser(u)("/api/v1/ai/evals/runs", { body: { provider: "local", model: "extractive-v1" } });
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ status: "done", cases: 3, passed: 2 });
    const byCase = Object.fromEntries(run.body.results.map((r: { case_id: string }) => [r.case_id, r]));
    expect(byCase[cited.body.id]).toMatchObject({ pass: true, failures: [] });
    expect(byCase[short.body.id].failures[0]).toMatch(/^max_words: \d+ words > 5$/);
    expect(byCase[formal.body.id]).toMatchObject({ pass: true });
    const evalCalls = await asUser(u)("/api/v1/ai/calls?surface=eval&limit=100");
    expect(evalCalls.body.data.length).toBe(3);

    // A model without a key fails every case, and both show side by side.
    await asUser(u)("/api/v1/ai/evals/runs", { body: { provider: "openai", model: "gpt-4o-mini" } });
    const runs = await asUser(u)("/api/v1/ai/evals/runs");
    expect(runs.body.data.length).toBe(2);
    expect(runs.body.models).toEqual([
      expect.objectContaining({ provider: "openai", model: "gpt-4o-mini", runs: 1, last_pass_rate: 0 }),
      expect.objectContaining({ provider: "local", model: "extractive-v1", runs: 1, last_pass_rate: 2 / 3 }),
    ]);
    expect((await asUser(u)(`/api/v1/ai/evals/cases/${short.body.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await asUser(u)("/api/v1/ai/evals/cases")).body.data.length).toBe(2);
  });
});
