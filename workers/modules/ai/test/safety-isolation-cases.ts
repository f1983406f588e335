import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { aiCalls } from "../../../../schema/ai";
import { aiEvalCases, aiEvalRuns, aiGuardrails, aiHolds } from "../../../../schema/ai-safety";
import { getDb } from "../../../platform/db";
import { call, callJson, type TestUser } from "../../../../test/helpers";
import { holdForApproval } from "../holds.service";

/**
 * Tenant-isolation cases for the AI safety console (spread into CASES in tenant-isolation.test.ts).
 * A gets guardrails, a held item, an evaluation case and run and a call (written directly: A is on
 * Free, where editing is refused); B tries each route through B's own workspace and must get 404
 * or only B's data, and A's rows must be unchanged.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const MARK = "Zebrafinch";
const db = getDb(env.DB);

let fixture: Promise<{ hold: string; evalCase: string; run: string; call: string }> | null = null;
export function aSafety(w: AB) {
  fixture ??= (async () => {
    const t = w.a.tenantId;
    await db.insert(aiGuardrails).values({ tenantId: t, blockedPhrases: [`${MARK} phrase`], dailySendCap: 7, updatedAt: Date.now() });
    const { holdId } = await holdForApproval(db, t, {
      surface: "writer",
      refType: "isolation_test",
      refId: `${MARK}-ref`,
      content: `${MARK} draft`,
      rules: [],
    });
    const evalCase = `evc_${MARK}${t.slice(-6)}`;
    const run = `evr_${MARK}${t.slice(-6)}`;
    const callId = `aic_${MARK}${t.slice(-6)}`;
    await db.batch([
      db.insert(aiEvalCases).values({
        tenantId: t,
        id: evalCase,
        name: `${MARK} case`,
        prompt: `${MARK}?`,
        expectations: [{ kind: "must_cite" }],
        createdAt: Date.now(),
      }),
      db.insert(aiEvalRuns).values({
        tenantId: t,
        id: run,
        provider: "local",
        model: `${MARK}-model`,
        status: "done",
        cases: 1,
        passed: 1,
        passRate: 1,
        createdAt: Date.now(),
      }),
      db.insert(aiCalls).values({
        tenantId: t,
        id: callId,
        operation: "complete",
        provider: "local",
        model: `${MARK}-model`,
        status: "ok",
        latencyMs: 1,
        attempts: [],
        surface: "writer",
        createdAt: Date.now(),
      }),
    ]);
    return { hold: holdId, evalCase, run, call: callId };
  })();
  return fixture;
}
const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const noMark = (body: unknown) => expect(JSON.stringify(body)).not.toContain(MARK);
const aHoldPending = async (w: AB) => {
  const { hold } = await aSafety(w);
  expect((await db.select().from(aiHolds).where(eq(aiHolds.id, hold)).get())?.status).toBe("pending");
};

export const SAFETY_CASES: Record<string, Case> = {
  "GET /api/v1/ai/guardrails": async (w) => {
    await aSafety(w);
    const r = await asB(w, "GET", "/api/v1/ai/guardrails");
    expect(r.status).toBe(200);
    expect(r.body.daily_send_cap).toBeNull();
    noMark(r.body);
  },
  "PUT /api/v1/ai/guardrails": async (w) => {
    await aSafety(w);
    const r = await asB(w, "PUT", "/api/v1/ai/guardrails", { blocked_phrases: ["b"] });
    expect([200, 402]).toContain(r.status); // B's plan decides; A's row never changes
    const a = await db.select().from(aiGuardrails).where(eq(aiGuardrails.tenantId, w.a.tenantId)).get();
    expect(a?.blockedPhrases).toEqual([`${MARK} phrase`]);
  },
  "POST /api/v1/ai/guardrails/test": async (w) => {
    await aSafety(w);
    const r = await asB(w, "POST", "/api/v1/ai/guardrails/test", { surface: "writer", text: `${MARK} phrase` });
    expect(r.body).toMatchObject({ action: "allowed", rules: [] }); // A's blocked phrase is not B's
  },
  "GET /api/v1/ai/holds": async (w) => {
    await aSafety(w);
    const r = await asB(w, "GET", "/api/v1/ai/holds?limit=100");
    expect(r.status).toBe(200);
    noMark(r.body);
  },
  "POST /api/v1/ai/holds/{id}/approve": async (w) => {
    const { hold } = await aSafety(w);
    expect((await asB(w, "POST", `/api/v1/ai/holds/${hold}/approve`, {})).status).toBe(404);
    await aHoldPending(w);
  },
  "POST /api/v1/ai/holds/{id}/reject": async (w) => {
    const { hold } = await aSafety(w);
    expect((await asB(w, "POST", `/api/v1/ai/holds/${hold}/reject`, {})).status).toBe(404);
    await aHoldPending(w);
  },
  "GET /api/v1/ai/calls/export": async (w) => {
    await aSafety(w);
    const res = await call("/api/v1/ai/calls/export", { token: w.b.accessToken, tenant: w.b.tenantId, ip: w.b.ip });
    expect(res.status).toBe(200);
    expect(await res.text()).not.toContain(MARK);
  },
  "GET /api/v1/ai/calls/summary": async (w) => {
    await aSafety(w);
    const r = await asB(w, "GET", "/api/v1/ai/calls/summary?days=1");
    expect(r.status).toBe(200);
    expect(r.body.totals.by_surface.writer ?? 0).toBe(0);
  },
  "GET /api/v1/ai/evals/cases": async (w) => {
    await aSafety(w);
    const r = await asB(w, "GET", "/api/v1/ai/evals/cases?limit=100");
    expect(r.status).toBe(200);
    noMark(r.body);
  },
  "POST /api/v1/ai/evals/cases": async (w) => {
    await aSafety(w);
    const r = await asB(w, "POST", "/api/v1/ai/evals/cases", { name: "b", prompt: "b", expectations: [{ kind: "must_cite" }] });
    expect([201, 402]).toContain(r.status);
    noMark(r.body);
  },
  "PATCH /api/v1/ai/evals/cases/{id}": async (w) => {
    const { evalCase } = await aSafety(w);
    expect((await asB(w, "PATCH", `/api/v1/ai/evals/cases/${evalCase}`, { name: "taken" })).status).toBe(404);
    expect((await db.select().from(aiEvalCases).where(eq(aiEvalCases.id, evalCase)).get())?.name).toBe(`${MARK} case`);
  },
  "DELETE /api/v1/ai/evals/cases/{id}": async (w) => {
    const { evalCase } = await aSafety(w);
    expect((await asB(w, "DELETE", `/api/v1/ai/evals/cases/${evalCase}`)).status).toBe(404);
    expect(await db.select().from(aiEvalCases).where(eq(aiEvalCases.id, evalCase)).get()).toBeTruthy();
  },
  "POST /api/v1/ai/evals/runs": async (w) => {
    await aSafety(w);
    const r = await asB(w, "POST", "/api/v1/ai/evals/runs", { provider: "local", model: "extractive-v1" });
    expect([201, 402]).toContain(r.status);
    noMark(r.body); // never runs A's cases
  },
  "GET /api/v1/ai/evals/runs": async (w) => {
    await aSafety(w);
    const r = await asB(w, "GET", "/api/v1/ai/evals/runs");
    expect(r.status).toBe(200);
    noMark(r.body);
  },
};
