import { expect } from "vitest";
import { callJson, type TestUser } from "../../../../test/helpers";

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
  "POST /api/v1/end-users/portal-settings/handover-secret": async (w) => {
    expect((await asB(w, "POST", "/api/v1/end-users/portal-settings/handover-secret")).status).toBe(201);
  },
};

/** After B's attempts A's end users and settings are as they were (the suite's snapshot calls this). */
export async function snapshotAEndUsers(w: AB) {
  await aEndUsers(w);
  const get = async (path: string) => (await callJson(path, { token: w.a.accessToken, tenant: w.a.tenantId })).body;
  const settings = await get("/api/v1/end-users/portal-settings");
  return { users: await get("/api/v1/end-users?limit=100"), settings: { ...settings, updated_at: undefined } };
}
