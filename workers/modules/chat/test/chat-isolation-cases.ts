import { expect } from "vitest";
import { callJson, type TestUser } from "../../../../test/helpers";
import { WsClient } from "./chat-helpers";

/**
 * Tenant-isolation cases for the chat routes, spread into CASES in tenant-isolation.test.ts.
 * A gets a conversation, a saved reply and custom settings (created once, lazily); B tries them.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;

const A_SITE = "https://chat-a.example";
let fixture: Promise<{ conv: string; canned: string; visitor: string }> | null = null;
/** Called from the suite's beforeAll, so A's chat data exists before A's snapshot is taken. */
export function aChat(w: AB) {
  fixture ??= (async () => {
    const asA = (method: string, path: string, body?: unknown) =>
      callJson(path, { method, token: w.a.accessToken, tenant: w.a.tenantId, body, ip: w.a.ip });
    const pk = await asA("POST", "/api/v1/publishable-keys", { name: "chat site", allowed_origins: [A_SITE] });
    const headers = { Origin: A_SITE, "X-Weft-Key": pk.body.key };
    const v = await callJson("/public/v1/chat/visitors", { method: "POST", body: { name: "A visitor" }, headers });
    const conv = await callJson("/public/v1/chat/conversations", { method: "POST", body: {}, token: v.body.visitor_token, headers });
    const canned = await asA("POST", "/api/v1/chat/canned-responses", { shortcut: "a-secret", body: "A's private answer" });
    const settings = await asA("PATCH", "/api/v1/chat/settings", { greeting: "Welcome to A" });
    await asA("POST", `/api/v1/chat/conversations/${conv.body.id}/messages`, { body: "A agent text" });
    expect([pk.status, v.status, conv.status, canned.status, settings.status]).toEqual([201, 200, 201, 201, 200]);
    return { conv: conv.body.id as string, canned: canned.body.id as string, visitor: v.body.visitor.id as string };
  })();
  return fixture;
}
const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const conv404 =
  (method: string, suffix: string, body?: unknown): Case =>
  async (w) => {
    const { conv } = await aChat(w);
    const r = await asB(w, method, `/api/v1/chat/conversations/${conv}${suffix}`, body);
    expect(r.status, `${method} ${suffix}`).toBe(404);
  };

export const CHAT_CASES: Record<string, Case> = {
  "GET /api/v1/chat/conversations": async (w) => {
    const { conv, visitor } = await aChat(w);
    const r = await asB(w, "GET", "/api/v1/chat/conversations?limit=100&q=A");
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain(conv);
    expect(JSON.stringify(r.body)).not.toContain(visitor);
  },
  "GET /api/v1/chat/conversations/{id}": conv404("GET", ""),
  "GET /api/v1/chat/conversations/{id}/messages": conv404("GET", "/messages"),
  "POST /api/v1/chat/conversations/{id}/messages": conv404("POST", "/messages", { body: "from B" }),
  "POST /api/v1/chat/conversations/{id}/assign": async (w) => conv404("POST", "/assign", { user_id: w.b.userId })(w),
  "POST /api/v1/chat/conversations/{id}/close": conv404("POST", "/close"),
  "POST /api/v1/chat/conversations/{id}/read": conv404("POST", "/read"),
  "POST /api/v1/chat/conversations/{id}/suggest": conv404("POST", "/suggest"),
  "GET /api/v1/chat/presence": async (w) => {
    const r = await asB(w, "GET", "/api/v1/chat/presence");
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain(w.a.userId);
  },
  "GET /api/v1/chat/canned-responses": async (w) => {
    const { canned } = await aChat(w);
    const r = await asB(w, "GET", "/api/v1/chat/canned-responses");
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain(canned);
  },
  "POST /api/v1/chat/canned-responses": async (w) => {
    await aChat(w);
    // Same shortcut as A's: B's namespace is its own.
    expect((await asB(w, "POST", "/api/v1/chat/canned-responses", { shortcut: "a-secret", body: "B's" })).status).toBe(201);
  },
  "DELETE /api/v1/chat/canned-responses/{id}": async (w) => {
    const { canned } = await aChat(w);
    expect((await asB(w, "DELETE", `/api/v1/chat/canned-responses/${canned}`)).status).toBe(404);
  },
  "GET /api/v1/chat/settings": async (w) => {
    await aChat(w);
    const r = await asB(w, "GET", "/api/v1/chat/settings");
    expect(r.status).toBe(200);
    expect(r.body.greeting).not.toBe("Welcome to A");
  },
  "PATCH /api/v1/chat/settings": async (w) => {
    await aChat(w);
    expect((await asB(w, "PATCH", "/api/v1/chat/settings", { greeting: "B's greeting" })).status).toBe(200);
    const a = await callJson("/api/v1/chat/settings", { token: w.a.accessToken, tenant: w.a.tenantId });
    expect(a.body.greeting).toBe("Welcome to A");
  },
  "POST /api/v1/chat/settings/identity-secret": async (w) => {
    await aChat(w);
    expect((await asB(w, "POST", "/api/v1/chat/settings/identity-secret")).status).toBe(201);
    const a = await callJson("/api/v1/chat/settings", { token: w.a.accessToken, tenant: w.a.tenantId });
    expect(a.body.has_identity_secret).toBe(false);
  },
  "POST /api/v1/chat/ws-ticket": async (w) => {
    const { conv } = await aChat(w);
    const r = await asB(w, "POST", "/api/v1/chat/ws-ticket");
    expect(r.status).toBe(201);
    // B's ticket cannot open A's conversation socket.
    const res = await WsClient.upgrade(`/api/v1/chat/conversations/${conv}/ws?ticket=${r.body.ticket}`);
    expect(res.status).toBe(404);
  },
};
