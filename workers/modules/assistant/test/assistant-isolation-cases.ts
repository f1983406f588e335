import { expect } from "vitest";
import { callJson, type TestUser } from "../../../../test/helpers";
import { ask } from "./assistant-helpers";

/**
 * Tenant-isolation cases for the assistant's routes, spread into CASES in tenant-isolation.test.ts.
 * A gets (once) a conversation with a proposed invitation (the local answerer, offline); B tries
 * them through B's own workspace and gets 404, or only B's own data.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const MARK = "Quokka assistant thread";

let fixture: Promise<{ conversation: string; action: string }> | null = null;
function aAssistant(w: AB) {
  fixture ??= (async () => {
    const c = await callJson("/api/v1/assistant/conversations", {
      token: w.a.accessToken,
      tenant: w.a.tenantId,
      ip: w.a.ip,
      body: { title: MARK },
    });
    expect(c.status).toBe(201);
    const r = await ask(w.a, c.body.id, "invite quokka-iso@example.com as admin");
    const proposal = r.events.find((e) => e.type === "proposal");
    expect(proposal, r.text).toBeTruthy();
    return { conversation: c.body.id as string, action: proposal.action_id as string };
  })();
  return fixture;
}
const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, ip: w.b.ip, body });

export const ASSISTANT_CASES: Record<string, Case> = {
  "GET /api/v1/assistant/tools": async (w) => {
    await aAssistant(w);
    const r = await asB(w, "GET", "/api/v1/assistant/tools");
    expect(r.status).toBe(200);
    expect(r.body.data.length).toBeGreaterThan(10);
  },
  "POST /api/v1/assistant/conversations": async (w) => {
    await aAssistant(w);
    const r = await asB(w, "POST", "/api/v1/assistant/conversations", { title: "B's own" });
    expect(r.status).toBe(201);
  },
  "GET /api/v1/assistant/conversations": async (w) => {
    await aAssistant(w);
    const r = await asB(w, "GET", `/api/v1/assistant/conversations?q=${encodeURIComponent(MARK)}`);
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain(MARK);
  },
  "GET /api/v1/assistant/conversations/{id}": async (w) => {
    const a = await aAssistant(w);
    expect((await asB(w, "GET", `/api/v1/assistant/conversations/${a.conversation}`)).status).toBe(404);
  },
  "PATCH /api/v1/assistant/conversations/{id}": async (w) => {
    const a = await aAssistant(w);
    expect((await asB(w, "PATCH", `/api/v1/assistant/conversations/${a.conversation}`, { title: "taken over" })).status).toBe(404);
  },
  "DELETE /api/v1/assistant/conversations/{id}": async (w) => {
    const a = await aAssistant(w);
    expect((await asB(w, "DELETE", `/api/v1/assistant/conversations/${a.conversation}`)).status).toBe(404);
  },
  "POST /api/v1/assistant/conversations/{id}/messages": async (w) => {
    const a = await aAssistant(w);
    expect(
      (await asB(w, "POST", `/api/v1/assistant/conversations/${a.conversation}/messages`, { content: "how many members?" })).status,
    ).toBe(404);
  },
  "POST /api/v1/assistant/actions/{id}/confirm": async (w) => {
    const a = await aAssistant(w);
    expect((await asB(w, "POST", `/api/v1/assistant/actions/${a.action}/confirm`, {})).status).toBe(404);
  },
  "POST /api/v1/assistant/actions/{id}/cancel": async (w) => {
    const a = await aAssistant(w);
    expect((await asB(w, "POST", `/api/v1/assistant/actions/${a.action}/cancel`)).status).toBe(404);
  },
};
