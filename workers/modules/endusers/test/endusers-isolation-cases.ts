import { expect } from "vitest";
import { callJson, freshIp, type TestUser } from "../../../../test/helpers";
import { signInMail } from "./endusers-helpers";
import { openTicket, upload } from "./portal-helpers";

/**
 * Tenant-isolation cases for the staff end-user routes, spread into CASES in tenant-isolation.test.ts.
 * A has its portal on with a branded name and two end users, one blocked (created once, lazily); B
 * names their ids through B's own workspace and must get 404 or only B's data.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const MARK = "Wombatmart";

let fixture: Promise<{ active: string; blocked: string; email: string }> | null = null;
export function aEndUsers(w: AB) {
  fixture ??= (async () => {
    const asA = (method: string, path: string, body?: unknown) =>
      callJson(path, { method, token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip, body });
    const settings = await asA("PUT", "/api/v1/end-users/portal-settings", { enabled: true, brand_name: MARK, signup_policy: "invite" });
    const email = `${MARK.toLowerCase()}-${Date.now()}@example.test`;
    const active = await asA("POST", "/api/v1/end-users", { email, name: `${MARK} Ann`, send_invite: false });
    const blocked = await asA("POST", "/api/v1/end-users", { email: `b-${email}`, name: `${MARK} Bob`, send_invite: false });
    const block = await asA("POST", `/api/v1/end-users/${blocked.body.id}/block`, { reason: "spam" });
    expect([settings.status, active.status, blocked.status, block.status]).toEqual([200, 201, 201, 200]);
    return { active: active.body.id as string, blocked: blocked.body.id as string, email };
  })();
  return fixture;
}

/** A's active end user, signed in by code, with a ticket (about MARK) and an upload A's staff shared back to them. */
let portalFixture: Promise<{ ticket: string; file: string; endUser: string }> | null = null;
export function aPortalData(w: AB) {
  portalFixture ??= (async () => {
    const ids = await aEndUsers(w);
    const slug = (await callJson("/api/v1/tenant", { token: w.a.accessToken, tenant: w.a.tenantId })).body.slug as string;
    const p = { owner: w.a, slug, base: `/public/v1/portal/${slug}` };
    const ip = freshIp();
    expect((await callJson(`${p.base}/auth/code`, { method: "POST", ip, body: { email: ids.email } })).status).toBe(202);
    const { code } = await signInMail(ids.email);
    const s = await callJson(`${p.base}/auth/code/verify`, { method: "POST", ip, body: { email: ids.email, code } });
    expect(s.status).toBe(200);
    const session = { id: ids.active, email: ids.email, accessToken: s.body.access_token, refreshToken: s.body.refresh_token, ip };
    const file = await upload(p, session.accessToken, `${MARK}.txt`, MARK);
    const ticket = await openTicket(p, session, `${MARK} ticket`);
    return { ticket: ticket.id, file: file.body.file_id as string, endUser: ids.active };
  })();
  return portalFixture;
}

const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const noneOfA = async (w: AB, payload: unknown) => {
  const ids = await aEndUsers(w);
  const text = JSON.stringify(payload);
  for (const s of [ids.active, ids.blocked, ids.email, MARK]) expect(text, `leaked ${s}`).not.toContain(s);
};
const userCase =
  (method: string, suffix: string, body?: unknown): Case =>
  async (w) => {
    const ids = await aEndUsers(w);
    for (const id of [ids.active, ids.blocked]) expect((await asB(w, method, `/api/v1/end-users/${id}${suffix}`, body)).status).toBe(404);
  };

export const ENDUSERS_CASES: Record<string, Case> = {
  "GET /api/v1/end-users": async (w) => {
    const r = await asB(w, "GET", "/api/v1/end-users?limit=100");
    expect(r.status).toBe(200);
    await noneOfA(w, r.body);
    await noneOfA(w, (await asB(w, "GET", `/api/v1/end-users?q=${MARK}`)).body);
  },
  "POST /api/v1/end-users": async (w) => {
    // B may add the same address to B's own workspace: a separate account, A's stays untouched.
    const ids = await aEndUsers(w);
    const r = await asB(w, "POST", "/api/v1/end-users", { email: ids.email, send_invite: false });
    expect(r.status).toBe(201);
    expect(r.body.id).not.toBe(ids.active);
  },
  "GET /api/v1/end-users/{id}": userCase("GET", ""),
  "DELETE /api/v1/end-users/{id}": userCase("DELETE", ""),
  "POST /api/v1/end-users/{id}/block": userCase("POST", "/block", {}),
  "POST /api/v1/end-users/{id}/unblock": userCase("POST", "/unblock"),
  "GET /api/v1/end-users/portal-settings": async (w) => {
    const r = await asB(w, "GET", "/api/v1/end-users/portal-settings");
    expect(r.status).toBe(200);
    await noneOfA(w, r.body);
  },
  "PUT /api/v1/end-users/portal-settings": async (w) => {
    expect((await asB(w, "PUT", "/api/v1/end-users/portal-settings", { brand_name: "B's shop" })).status).toBe(200);
  },
  "GET /api/v1/tickets": async (w) => {
    await aPortalData(w);
    const r = await asB(w, "GET", "/api/v1/tickets?limit=100");
    expect(r.status).toBe(200);
    await noneOfA(w, r.body);
  },
  "GET /api/v1/tickets/{id}": async (w) => {
    expect((await asB(w, "GET", `/api/v1/tickets/${(await aPortalData(w)).ticket}`)).status).toBe(404);
  },
  "POST /api/v1/tickets/{id}/replies": async (w) => {
    expect((await asB(w, "POST", `/api/v1/tickets/${(await aPortalData(w)).ticket}/replies`, { message: "hi" })).status).toBe(404);
  },
  "PATCH /api/v1/tickets/{id}": async (w) => {
    expect((await asB(w, "PATCH", `/api/v1/tickets/${(await aPortalData(w)).ticket}`, { status: "closed" })).status).toBe(404);
  },
  "GET /api/v1/end-users/{id}/files": async (w) => {
    expect((await asB(w, "GET", `/api/v1/end-users/${(await aPortalData(w)).endUser}/files`)).status).toBe(404);
  },
  "POST /api/v1/end-users/{id}/files": async (w) => {
    const d = await aPortalData(w);
    expect((await asB(w, "POST", `/api/v1/end-users/${d.endUser}/files`, { file_id: d.file, note: null })).status).toBe(404);
  },
  "DELETE /api/v1/end-users/{id}/files/{fileId}": async (w) => {
    const d = await aPortalData(w);
    expect((await asB(w, "DELETE", `/api/v1/end-users/${d.endUser}/files/${d.file}`)).status).toBe(404);
  },
  "POST /api/v1/end-users/portal-settings/handover-secret": async (w) => {
    expect((await asB(w, "POST", "/api/v1/end-users/portal-settings/handover-secret")).status).toBe(201);
  },
};

/** After B's attempts A's end users and settings are as they were (the suite's snapshot calls this). */
export async function snapshotAEndUsers(w: AB) {
  await aEndUsers(w);
  const get = async (path: string) => (await callJson(path, { token: w.a.accessToken, tenant: w.a.tenantId })).body;
  const settings = await get("/api/v1/end-users/portal-settings");
  const d = await aPortalData(w);
  const ticket = await get(`/api/v1/tickets/${d.ticket}`);
  return {
    users: await get("/api/v1/end-users?limit=100"),
    settings: { ...settings, updated_at: undefined },
    ticket: { ...ticket, unread_agent: undefined, messages: ticket.messages.map((m: { body: string }) => m.body) },
    files: (await get(`/api/v1/end-users/${d.endUser}/files`)).data.map((f: { file_id: string }) => f.file_id),
  };
}
