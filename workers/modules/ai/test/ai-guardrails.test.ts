import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { aiCalls } from "../../../../schema/ai";
import { auditLogs } from "../../../../schema/audit";
import { checkOutput, complete, dailySendCapRemaining } from "..";
import { knowledgeReplyEngine } from "../../chat/replies";
import { asUser, waitForSource } from "../../knowledge/test/knowledge-helpers";
import { call, signUp, type TestUser } from "../../../../test/helpers";
import { evaluate, NO_RULES, SAFE_REFUSAL, stem, type GuardrailRules } from "../guardrails";
import { costMicros } from "../prices";
import { redactPii } from "../redact";
import { setProviderFetch } from "../transport";
import { configure, db, enterprise, keys, noSleep, req } from "./ai-helpers";
import { fakeOpenAi } from "./fake-llm/server";

afterEach(() => setProviderFetch(null));

const rules = (r: Partial<GuardrailRules>): GuardrailRules => ({ ...NO_RULES, ...r });
const PRICES = { id: "p", kind: "price" as const, label: "Prices" };
const LEGAL = { id: "l", kind: "legal" as const, label: "Legal terms" };

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
