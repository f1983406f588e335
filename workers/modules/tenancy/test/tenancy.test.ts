import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLogs } from "../../../../schema/audit";
import { memberships, type Role } from "../../../../schema/tenancy";
import { getDb } from "../../../platform/db";
import { callJson, signUp, uniqueEmail, type TestUser } from "../../../../test/helpers";

const db = () => getDb(env.DB);
const as = (u: TestUser, tenant = u.tenantId) => ({ token: u.accessToken, tenant, ip: u.ip });

async function addMember(owner: TestUser, role: Role, opts: { email?: string; name?: string } = {}): Promise<TestUser> {
  const u = await signUp({ email: opts.email, name: opts.name, workspace: `${role}'s own` });
  await db().insert(memberships).values({ tenantId: owner.tenantId, userId: u.userId, role, createdAt: Date.now(), updatedAt: Date.now() });
  return u;
}
const roleOf = async (tenantId: string, userId: string) =>
  (
    await db()
      .select({ role: memberships.role })
      .from(memberships)
      .where(and(eq(memberships.tenantId, tenantId), eq(memberships.userId, userId)))
      .get()
  )?.role;
const lastAudit = (tenantId: string, action: string) =>
  db()
    .select()
    .from(auditLogs)
    .where(and(eq(auditLogs.tenantId, tenantId), eq(auditLogs.action, action)))
    .all();

describe("workspaces", () => {
  it("lists my workspaces with my role in each and creates another one I own", async () => {
    const u = await signUp({ workspace: "First Space" });
    const created = await callJson("/api/v1/tenants", { token: u.accessToken, body: { name: "Second Space" } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: "Second Space", slug: expect.stringMatching(/^second-space/), role: "owner" });

    const other = await signUp({ workspace: "Elsewhere" });
    await db()
      .insert(memberships)
      .values({ tenantId: other.tenantId, userId: u.userId, role: "viewer", createdAt: Date.now(), updatedAt: Date.now() });

    const mine = await callJson("/api/v1/tenants", { token: u.accessToken });
    expect(mine.status).toBe(200);
    const byId = Object.fromEntries(mine.body.data.map((t: { id: string; role: string }) => [t.id, t.role]));
    expect(byId).toEqual({ [u.tenantId]: "owner", [created.body.id]: "owner", [other.tenantId]: "viewer" });

    const page1 = await callJson("/api/v1/tenants?limit=2", { token: u.accessToken });
    const page2 = await callJson(`/api/v1/tenants?limit=2&cursor=${page1.body.next_cursor}`, { token: u.accessToken });
    expect([...page1.body.data, ...page2.body.data].map((t: { id: string }) => t.id).sort()).toEqual(Object.keys(byId).sort());
    expect(page2.body.next_cursor).toBeNull();

    // The new workspace works with X-Tenant-ID and records its creation.
    expect((await callJson("/api/v1/tenant", as(u, created.body.id))).body).toMatchObject({ id: created.body.id, role: "owner" });
    expect(await lastAudit(created.body.id, "tenant.created")).toHaveLength(1);
  });

  it("a requested slug that is taken is 409; a bad slug is 400", async () => {
    const u = await signUp();
    const slug = `taken-${Date.now().toString(36)}`;
    expect((await callJson("/api/v1/tenants", { token: u.accessToken, body: { name: "One", slug } })).body.slug).toBe(slug);
    const dup = await callJson("/api/v1/tenants", { token: u.accessToken, body: { name: "Two", slug } });
    expect(dup.status).toBe(409);
    expect(dup.body.type).toBe("https://weft.dev/problems/slug-taken");
    for (const bad of ["ab", "-abc", "abc-", "ABC", "a_b_c", "x".repeat(41)]) {
      expect((await callJson("/api/v1/tenants", { token: u.accessToken, body: { name: "Bad", slug: bad } })).status, bad).toBe(400);
    }
  });

  it("needs a signed-in user, not an API key", async () => {
    const u = await signUp();
    const key = await callJson("/api/v1/api-keys", { ...as(u), body: { name: "k", scopes: ["tenant:read"] } });
    expect((await callJson("/api/v1/tenants", { token: key.body.secret })).status).toBe(403);
  });

  it("shows and updates the current workspace (tenant:update), with slug conflicts as 409", async () => {
    const u = await signUp({ workspace: "Patch Me" });
    const other = await signUp();
    const otherSlug = (await callJson("/api/v1/tenant", as(other))).body.slug;
    const cur = await callJson("/api/v1/tenant", as(u));
    expect(cur.body).toMatchObject({ id: u.tenantId, name: "Patch Me", role: "owner", created_at: expect.any(String) });

    const newSlug = `patched-${Date.now().toString(36)}`;
    const patched = await callJson("/api/v1/tenant", { ...as(u), method: "PATCH", body: { name: "Patched", slug: newSlug } });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: "Patched", slug: newSlug });
    expect((await callJson("/api/v1/tenant", as(u))).body.name).toBe("Patched");
    const [audit] = await lastAudit(u.tenantId, "tenant.updated");
    expect(audit?.metadata).toEqual({ changes: { name: { from: "Patch Me", to: "Patched" }, slug: { from: cur.body.slug, to: newSlug } } });

    expect((await callJson("/api/v1/tenant", { ...as(u), method: "PATCH", body: { slug: otherSlug } })).status).toBe(409);
    expect((await callJson("/api/v1/tenant", { ...as(u), method: "PATCH", body: {} })).status).toBe(400);
    const member = await addMember(u, "member");
    expect((await callJson("/api/v1/tenant", { ...as(member, u.tenantId), method: "PATCH", body: { name: "Nope" } })).status).toBe(403);
  });
});

describe("members", () => {
  it("lists members with q and role filters and cursor pagination", async () => {
    const owner = await signUp({ name: "Owner Person" });
    const zed = await addMember(owner, "member", { name: "Zed Findable" });
    const viewer = await addMember(owner, "viewer", { email: uniqueEmail("findme") });
    const all = await callJson("/api/v1/members", as(owner));
    expect(all.body.data.map((m: { user_id: string }) => m.user_id)).toEqual([viewer.userId, zed.userId, owner.userId]);
    expect(all.body.data[2]).toEqual({
      user_id: owner.userId,
      email: owner.email,
      name: "Owner Person",
      role: "owner",
      joined_at: expect.any(String),
    });

    expect((await callJson("/api/v1/members?q=findable", as(owner))).body.data.map((m: { user_id: string }) => m.user_id)).toEqual([
      zed.userId,
    ]);
    expect((await callJson("/api/v1/members?q=FINDME", as(owner))).body.data.map((m: { user_id: string }) => m.user_id)).toEqual([
      viewer.userId,
    ]);
    expect((await callJson("/api/v1/members?q=%25", as(owner))).body.data).toEqual([]); // a literal %, not a wildcard
    expect((await callJson("/api/v1/members?role=viewer", as(owner))).body.data.map((m: { user_id: string }) => m.user_id)).toEqual([
      viewer.userId,
    ]);

    const p1 = await callJson("/api/v1/members?limit=2", as(owner));
    expect(p1.body.data).toHaveLength(2);
    const p2 = await callJson(`/api/v1/members?limit=2&cursor=${p1.body.next_cursor}`, as(owner));
    expect(p2.body.data.map((m: { user_id: string }) => m.user_id)).toEqual([owner.userId]);
    expect(p2.body.next_cursor).toBeNull();
    expect((await callJson("/api/v1/members?cursor=garbage!", as(owner))).status).toBe(400);
    // A viewer may read the member list too.
    expect((await callJson("/api/v1/members", as(viewer, owner.tenantId))).status).toBe(200);
  });

  it("owners change roles (audited); nobody demotes the last owner", async () => {
    const owner = await signUp();
    const m = await addMember(owner, "member");
    const res = await callJson(`/api/v1/members/${m.userId}`, { ...as(owner), method: "PATCH", body: { role: "admin" } });
    expect(res.status).toBe(200);
    expect(res.body.role).toBe("admin");
    expect(await roleOf(owner.tenantId, m.userId)).toBe("admin");
    const [audit] = await lastAudit(owner.tenantId, "member.role_changed");
    expect(audit).toMatchObject({ actorId: owner.userId, targetId: m.userId, metadata: { from: "member", to: "admin" } });

    const demote = await callJson(`/api/v1/members/${owner.userId}`, { ...as(owner), method: "PATCH", body: { role: "admin" } });
    expect(demote.status).toBe(409);
    expect(demote.body.type).toBe("https://weft.dev/problems/last-owner");
    expect(await roleOf(owner.tenantId, owner.userId)).toBe("owner");
    expect(await lastAudit(owner.tenantId, "member.role_changed")).toHaveLength(1); // the refused change left no audit row

    // With a second owner, an owner may step down.
    await callJson(`/api/v1/members/${m.userId}`, { ...as(owner), method: "PATCH", body: { role: "owner" } });
    expect((await callJson(`/api/v1/members/${owner.userId}`, { ...as(owner), method: "PATCH", body: { role: "member" } })).status).toBe(
      200,
    );
    expect(await roleOf(owner.tenantId, owner.userId)).toBe("member");
  });

  it("admins cannot grant owner nor change or remove an owner", async () => {
    const owner = await signUp();
    const admin = await addMember(owner, "admin");
    const m = await addMember(owner, "member");
    const grant = await callJson(`/api/v1/members/${m.userId}`, { ...as(admin, owner.tenantId), method: "PATCH", body: { role: "owner" } });
    expect(grant.status).toBe(403);
    expect(
      (await callJson(`/api/v1/members/${owner.userId}`, { ...as(admin, owner.tenantId), method: "PATCH", body: { role: "viewer" } }))
        .status,
    ).toBe(403);
    expect((await callJson(`/api/v1/members/${owner.userId}`, { ...as(admin, owner.tenantId), method: "DELETE" })).status).toBe(403);
    expect(await roleOf(owner.tenantId, owner.userId)).toBe("owner");
    // But admins do manage non-owners.
    expect(
      (await callJson(`/api/v1/members/${m.userId}`, { ...as(admin, owner.tenantId), method: "PATCH", body: { role: "viewer" } })).status,
    ).toBe(200);
    expect((await callJson(`/api/v1/members/${m.userId}`, { ...as(admin, owner.tenantId), method: "DELETE" })).status).toBe(204);
    expect(await roleOf(owner.tenantId, m.userId)).toBeUndefined();
    const [audit] = await lastAudit(owner.tenantId, "member.removed");
    expect(audit).toMatchObject({ actorId: admin.userId, targetId: m.userId, metadata: { role: "viewer" } });
    // Members cannot change roles at all.
    const member = await addMember(owner, "member");
    expect(
      (await callJson(`/api/v1/members/${admin.userId}`, { ...as(member, owner.tenantId), method: "PATCH", body: { role: "viewer" } }))
        .status,
    ).toBe(403);
  });

  it("the last owner can never be removed, even by themselves", async () => {
    const owner = await signUp();
    const res = await callJson(`/api/v1/members/${owner.userId}`, { ...as(owner), method: "DELETE" });
    expect(res.status).toBe(409);
    expect(res.body.type).toBe("https://weft.dev/problems/last-owner");
    expect(await roleOf(owner.tenantId, owner.userId)).toBe("owner");
    expect(await lastAudit(owner.tenantId, "member.removed")).toHaveLength(0);
  });

  it("two owners removing each other at the same time still leave one owner", async () => {
    const a = await signUp();
    const b = await addMember(a, "owner");
    const [r1, r2] = await Promise.all([
      callJson(`/api/v1/members/${b.userId}`, { ...as(a), method: "DELETE" }),
      callJson(`/api/v1/members/${a.userId}`, { ...as(b, a.tenantId), method: "DELETE" }),
    ]);
    expect([r1.status, r2.status].sort()).toEqual([204, 409]);
    const owners = await db()
      .select()
      .from(memberships)
      .where(and(eq(memberships.tenantId, a.tenantId), eq(memberships.role, "owner")))
      .all();
    expect(owners).toHaveLength(1);
    expect(await lastAudit(a.tenantId, "member.removed")).toHaveLength(1);
  });

  it("members leave; the last owner cannot leave and is told to transfer ownership", async () => {
    const owner = await signUp();
    const m = await addMember(owner, "viewer");
    expect((await callJson("/api/v1/members/leave", { ...as(m, owner.tenantId), method: "POST" })).status).toBe(204);
    expect(await roleOf(owner.tenantId, m.userId)).toBeUndefined();
    expect((await callJson("/api/v1/tenant", as(m, owner.tenantId))).status).toBe(404);
    expect((await lastAudit(owner.tenantId, "member.left"))[0]).toMatchObject({ actorId: m.userId, targetId: m.userId });

    const stuck = await callJson("/api/v1/members/leave", { ...as(owner), method: "POST" });
    expect(stuck.status).toBe(409);
    expect(stuck.body.type).toBe("https://weft.dev/problems/last-owner");
    expect(stuck.body.detail).toMatch(/transfer ownership/i);
  });

  it("transfers ownership atomically: target becomes owner, caller becomes admin", async () => {
    const owner = await signUp();
    const m = await addMember(owner, "member");
    const admin = await addMember(owner, "admin");
    expect(
      (await callJson("/api/v1/tenant/transfer-ownership", { ...as(admin, owner.tenantId), body: { user_id: m.userId } })).status,
    ).toBe(403);
    const stranger = await signUp();
    expect((await callJson("/api/v1/tenant/transfer-ownership", { ...as(owner), body: { user_id: stranger.userId } })).status).toBe(404);
    expect((await callJson("/api/v1/tenant/transfer-ownership", { ...as(owner), body: { user_id: owner.userId } })).status).toBe(400);

    const res = await callJson("/api/v1/tenant/transfer-ownership", { ...as(owner), body: { user_id: m.userId } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user_id: m.userId, role: "owner" });
    expect(await roleOf(owner.tenantId, m.userId)).toBe("owner");
    expect(await roleOf(owner.tenantId, owner.userId)).toBe("admin");
    expect((await lastAudit(owner.tenantId, "ownership.transferred"))[0]).toMatchObject({ actorId: owner.userId, targetId: m.userId });
    // The former owner no longer may transfer; the new one may leave only after handing over again.
    expect((await callJson("/api/v1/tenant/transfer-ownership", { ...as(owner), body: { user_id: admin.userId } })).status).toBe(403);
    expect((await callJson("/api/v1/members/leave", { ...as(owner), method: "POST" })).status).toBe(204);
  });

  it("another workspace's member ids are 404 and its members are not listed", async () => {
    const a = await signUp();
    const b = await signUp();
    const bMember = await addMember(b, "member");
    expect((await callJson(`/api/v1/members/${bMember.userId}`, { ...as(a), method: "PATCH", body: { role: "viewer" } })).status).toBe(404);
    expect((await callJson(`/api/v1/members/${bMember.userId}`, { ...as(a), method: "DELETE" })).status).toBe(404);
    expect((await callJson("/api/v1/tenant/transfer-ownership", { ...as(a), body: { user_id: b.userId } })).status).toBe(404);
    expect((await callJson("/api/v1/members", as(a))).body.data.map((m: { user_id: string }) => m.user_id)).toEqual([a.userId]);
    expect((await callJson("/api/v1/members", as(a, b.tenantId))).status).toBe(404);
    expect(await roleOf(b.tenantId, bMember.userId)).toBe("member");
  });
});
