import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { aiCalls, type AiProvider } from "../../../../schema/ai";
import { auditLogs } from "../../../../schema/audit";
import { holdForApproval, registerHoldHandler } from "..";
import { asUser } from "../../knowledge/test/knowledge-helpers";
import { call, signUp, type TestUser } from "../../../../test/helpers";
import { pruneAiCalls } from "../calls.service";
import { setProviderFetch } from "../transport";
import { db } from "./ai-helpers";

afterEach(() => setProviderFetch(null));
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
