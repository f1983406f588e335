import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { salesCallProposals, salesCalls } from "../../../../schema/voice";
import { getDb } from "../../../platform/db";
import { callJson, type TestUser } from "../../../../test/helpers";
import { analyseTranscribed } from "../pipeline";
import { createTranscriptCall } from "../calls.service";
import { CALL_SRT } from "./fixtures";

/**
 * Tenant-isolation cases for voice-to-action (spread into CASES in tenant-isolation.test.ts). A gets
 * an analysed call with proposals (written through the services: A's plan lacks the feature); B
 * tries every route with A's ids through B's own workspace and gets 404 (id routes look the call up
 * before the plan gate) or only B's data (B's plan may answer 402), and A's rows stay unchanged.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const MARK = "Quokkafield";
const db = getDb(env.DB);

let fixture: Promise<{ call: string; proposal: string }> | null = null;
export function aVoice(w: AB) {
  fixture ??= (async () => {
    const call = await createTranscriptCall(
      db,
      w.a.tenantId,
      { title: `${MARK} call`, text: CALL_SRT, format: "srt" },
      { type: "user", id: w.a.userId, ip: null, userAgent: null },
    );
    const analysed = await analyseTranscribed(env, db, call);
    expect(analysed?.status).toBe("analysed");
    const p = await db.select().from(salesCallProposals).where(eq(salesCallProposals.callId, call.id)).get();
    if (!p) throw new Error("no proposal");
    return { call: call.id, proposal: p.id };
  })();
  return fixture;
}

const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });

async function aUnchanged(w: AB) {
  const ids = await aVoice(w);
  const call = await db.select().from(salesCalls).where(eq(salesCalls.id, ids.call)).get();
  expect(call).toMatchObject({ tenantId: w.a.tenantId, title: `${MARK} call`, status: "analysed", leadId: null });
  const p = await db.select().from(salesCallProposals).where(eq(salesCallProposals.id, ids.proposal)).get();
  expect(p).toMatchObject({ tenantId: w.a.tenantId, status: "proposed", createdId: null });
}

const call404 =
  (method: string, suffix: (ids: { call: string; proposal: string }) => string, body?: unknown): Case =>
  async (w) => {
    const ids = await aVoice(w);
    const r = await asB(w, method, `/api/v1/sales/calls/${ids.call}${suffix(ids)}`, body);
    expect(r.status, `${method} ${suffix(ids)}`).toBe(404);
    expect(JSON.stringify(r.body)).not.toContain(MARK);
    await aUnchanged(w);
  };

export const VOICE_CASES: Record<string, Case> = {
  "GET /api/v1/sales/calls": async (w) => {
    await aVoice(w);
    const r = await asB(w, "GET", `/api/v1/sales/calls?q=${MARK}`);
    expect([200, 402]).toContain(r.status); // B's plan decides; never A's calls
    expect(JSON.stringify(r.body)).not.toContain(MARK);
  },
  "GET /api/v1/sales/calls/speech": async (w) => {
    const r = await asB(w, "GET", "/api/v1/sales/calls/speech");
    expect([200, 402]).toContain(r.status);
  },
  "POST /api/v1/sales/calls": async (w) => {
    const ids = await aVoice(w);
    // B cannot link its call to A's call id as a lead, nor see A's calls afterwards.
    const r = await asB(w, "POST", "/api/v1/sales/calls", { transcript: "Sam: hello there", lead_id: ids.call });
    expect([402, 404]).toContain(r.status);
    await aUnchanged(w);
  },
  "GET /api/v1/sales/calls/{id}": call404("GET", () => ""),
  "PATCH /api/v1/sales/calls/{id}": call404("PATCH", () => "", { title: "B renamed" }),
  "DELETE /api/v1/sales/calls/{id}": call404("DELETE", () => ""),
  "POST /api/v1/sales/calls/{id}/analyse": call404("POST", () => "/analyse"),
  "POST /api/v1/sales/calls/{id}/proposals/{proposal_id}/accept": call404("POST", (ids) => `/proposals/${ids.proposal}/accept`, {}),
  "POST /api/v1/sales/calls/{id}/proposals/{proposal_id}/dismiss": call404("POST", (ids) => `/proposals/${ids.proposal}/dismiss`),
};
