import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLogs } from "../../../../schema/audit";
import { apiKeys, memberships, type Role } from "../../../../schema/tenancy";
import { sha256Hex } from "../../../platform/crypto";
import { getDb } from "../../../platform/db";
import { call, callJson, signUp, type TestUser } from "../../../../test/helpers";

const db = () => getDb(env.DB);
const as = (u: TestUser, tenant = u.tenantId) => ({ token: u.accessToken, tenant, ip: u.ip });

async function addMember(owner: TestUser, role: Role): Promise<TestUser> {
  const u = await signUp({ workspace: `${role}'s own` });
  await db().insert(memberships).values({ tenantId: owner.tenantId, userId: u.userId, role, createdAt: Date.now(), updatedAt: Date.now() });
  return u;
}
const createKey = (u: TestUser, body: Record<string, unknown>, tenant = u.tenantId) =>
  callJson("/api/v1/api-keys", { ...as(u, tenant), body });

describe("API keys", () => {
  it("creates a key whose secret is shown once and stored hashed; the key works within its scopes only", async () => {
    const owner = await signUp();
    const created = await createKey(owner, { name: "CI bot", scopes: ["members:read", "tenant:read"], expires_in_days: 30 });
    expect(created.status).toBe(201);
    const { secret, ...meta } = created.body;
    expect(secret).toMatch(/^wk_live_[0-9a-z]{52}$/);
    expect(meta).toMatchObject({
      name: "CI bot",
      prefix: secret.slice(0, 12),
      scopes: ["members:read", "tenant:read"],
      created_by: owner.userId,
      revoked_at: null,
      last_used_at: null,
    });
    expect(new Date(meta.expires_at).getTime() - Date.now()).toBeGreaterThan(29.9 * 86400_000);
    const row = await db().select().from(apiKeys).where(eq(apiKeys.id, meta.id)).get();
    expect(row!.keyHash).toBe(await sha256Hex(secret));
    expect(JSON.stringify(row)).not.toContain(secret);

    // Listing never shows the secret.
    const list = await callJson("/api/v1/api-keys", as(owner));
    expect(list.body.data).toEqual([expect.objectContaining({ id: meta.id, prefix: meta.prefix })]);
    expect(JSON.stringify(list.body)).not.toContain(secret);

    // Bearer key on a permitted route (no X-Tenant-ID needed: the key implies it).
    const members = await callJson("/api/v1/members", { token: secret });
    expect(members.status).toBe(200);
    expect(members.body.data.map((m: { user_id: string }) => m.user_id)).toEqual([owner.userId]);
    expect((await callJson("/api/v1/tenant", { token: secret })).body).toMatchObject({ id: owner.tenantId, role: null });
    // Outside its scopes: 403.
    const denied = await callJson("/api/v1/invitations", { token: secret });
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toContain("members:invite");

    // Revoked: 401 from then on.
    expect((await call(`/api/v1/api-keys/${meta.id}`, { ...as(owner), method: "DELETE" })).status).toBe(204);
    expect((await callJson("/api/v1/members", { token: secret })).status).toBe(401);
    expect((await callJson("/api/v1/api-keys", as(owner))).body.data[0].revoked_at).not.toBeNull();
    const actions = (
      await db()
        .select()
        .from(auditLogs)
        .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.targetId, meta.id)))
        .all()
    ).map((a) => a.action);
    expect(actions.sort()).toEqual(["api_key.created", "api_key.revoked"]);
  });

  it("API keys cannot create API keys, even with api_keys:manage", async () => {
    const owner = await signUp();
    const { body } = await createKey(owner, { name: "manager", scopes: ["api_keys:manage", "api_keys:read"] });
    const res = await callJson("/api/v1/api-keys", { token: body.secret, body: { name: "child", scopes: ["tenant:read"] } });
    expect(res.status).toBe(403);
    expect((await callJson("/api/v1/api-keys", { token: body.secret })).body.data).toHaveLength(1);
  });

  it("scopes must be known permissions the creator's role has", async () => {
    const owner = await signUp();
    const admin = await addMember(owner, "admin");
    const unknown = await createKey(owner, { name: "x", scopes: ["root:everything"] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.errors[0].path).toBe("scopes.0");
    expect((await createKey(owner, { name: "x", scopes: [] })).status).toBe(400);
    const beyond = await createKey(admin, { name: "x", scopes: ["members:read", "ownership:transfer"] }, owner.tenantId);
    expect(beyond.status).toBe(403);
    expect(beyond.body.detail).toContain("ownership:transfer");
    expect((await createKey(owner, { name: "x", scopes: ["ownership:transfer"] })).status).toBe(201);
    const member = await addMember(owner, "member");
    expect((await createKey(member, { name: "x", scopes: ["members:read"] }, owner.tenantId)).status).toBe(403);
  });

  it("an expired key is refused", async () => {
    const owner = await signUp();
    const { body } = await createKey(owner, { name: "short", scopes: ["members:read"], expires_in_days: 1 });
    expect((await call("/api/v1/members", { token: body.secret })).status).toBe(200);
    await db()
      .update(apiKeys)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(apiKeys.id, body.id));
    expect((await call("/api/v1/members", { token: body.secret })).status).toBe(401);
  });

  it("acts at admin level: a key with members:update cannot touch owners", async () => {
    const owner = await signUp();
    const m = await addMember(owner, "member");
    const { body } = await createKey(owner, { name: "ops", scopes: ["members:update", "members:invite"] });
    expect((await call(`/api/v1/members/${owner.userId}`, { token: body.secret, method: "PATCH", body: { role: "viewer" } })).status).toBe(
      403,
    );
    expect((await call(`/api/v1/members/${m.userId}`, { token: body.secret, method: "PATCH", body: { role: "owner" } })).status).toBe(403);
    expect((await call(`/api/v1/members/${m.userId}`, { token: body.secret, method: "PATCH", body: { role: "viewer" } })).status).toBe(200);
    const invited = await callJson("/api/v1/invitations", {
      token: body.secret,
      body: { email: `k-${Date.now()}@example.test`, role: "member" },
    });
    expect(invited.status).toBe(201);
    expect(invited.body.invited_by).toBe(body.id);
    const audit = await db()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.action, "member.role_changed")))
      .get();
    expect(audit).toMatchObject({ actorType: "api_key", actorId: body.id });
  });

  it("paginates and is isolated per workspace", async () => {
    const a = await signUp();
    const b = await signUp();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await createKey(a, { name: `k${i}`, scopes: ["tenant:read"] })).body.id);
    const p1 = await callJson("/api/v1/api-keys?limit=2", as(a));
    const p2 = await callJson(`/api/v1/api-keys?limit=2&cursor=${p1.body.next_cursor}`, as(a));
    expect([...p1.body.data, ...p2.body.data].map((k: { id: string }) => k.id)).toEqual([...ids].reverse());

    expect((await call(`/api/v1/api-keys/${ids[0]}`, { ...as(b), method: "DELETE" })).status).toBe(404);
    expect((await callJson("/api/v1/api-keys", as(b))).body.data).toEqual([]);
    expect((await db().select().from(apiKeys).where(eq(apiKeys.id, ids[0]!)).get())!.revokedAt).toBeNull();
    // A key of A naming workspace B is 404.
    const secret = (await createKey(a, { name: "iso", scopes: ["members:read"] })).body.secret;
    expect((await call("/api/v1/members", { token: secret, tenant: b.tenantId })).status).toBe(404);
  });
});
