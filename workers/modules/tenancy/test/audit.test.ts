import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { auditLogs } from "../../../../schema/audit";
import { memberships } from "../../../../schema/tenancy";
import { getDb } from "../../../platform/db";
import { newId } from "../../../platform/ids";
import { callJson, signUp, uniqueEmail, type TestUser } from "../../../../test/helpers";

const db = () => getDb(env.DB);
const UA = "AuditTest/1.0 (+weft)";
const as = (u: TestUser, tenant = u.tenantId) => ({ token: u.accessToken, tenant, ip: u.ip, headers: { "User-Agent": UA } });
const actions = (body: { data: { action: string }[] }) => body.data.map((r) => r.action);

async function seedRow(tenantId: string | null, action: string, createdAt: number, extra: Partial<typeof auditLogs.$inferInsert> = {}) {
  await db()
    .insert(auditLogs)
    .values({ id: newId("aud"), tenantId, action, actorType: "system", createdAt, ...extra });
}

describe("audit log", () => {
  it("records who did what, from where, in the same write as the change", async () => {
    const owner = await signUp();
    const email = uniqueEmail("audited");
    const inv = await callJson("/api/v1/invitations", { ...as(owner), body: { email, role: "viewer" } });
    expect(inv.status).toBe(201);
    const log = await callJson("/api/v1/audit-logs?action=invitation.created", as(owner));
    expect(log.status).toBe(200);
    expect(log.body.data).toEqual([
      {
        id: expect.stringMatching(/^aud_/),
        action: "invitation.created",
        actor_type: "user",
        actor_id: owner.userId,
        target_type: "invitation",
        target_id: inv.body.id,
        ip: owner.ip,
        user_agent: UA,
        metadata: { email, role: "viewer" },
        created_at: expect.any(String),
      },
    ]);
  });

  it("filters by exact action, action prefix, actor, target and time, newest first with a cursor", async () => {
    const owner = await signUp();
    const t = owner.tenantId;
    const base = Date.parse("2030-01-01T00:00:00Z");
    await seedRow(t, "member.removed", base + 1000, { actorId: "usr_a", targetId: "usr_x" });
    await seedRow(t, "member.role_changed", base + 2000, { actorId: "usr_b", targetId: "usr_x" });
    await seedRow(t, "membership.other", base + 3000, { actorId: "usr_a", targetId: "usr_y" });
    await seedRow(t, "api_key.created", base + 4000, { actorId: "usr_a", targetId: "key_1" });
    await seedRow(t, "member_removed", base + 5000); // `_` must not act as a LIKE wildcard

    const q = (s: string) => callJson(`/api/v1/audit-logs?from=2030-01-01&${s}`, as(owner));
    expect(actions((await q("")).body)).toEqual([
      "member_removed",
      "api_key.created",
      "membership.other",
      "member.role_changed",
      "member.removed",
    ]);
    expect(actions((await q("action=member.removed")).body)).toEqual(["member.removed"]);
    expect(actions((await q("action=member.*")).body)).toEqual(["member.role_changed", "member.removed"]);
    expect(actions((await q("actor_id=usr_a")).body)).toEqual(["api_key.created", "membership.other", "member.removed"]);
    expect(actions((await q("target_id=usr_x")).body)).toEqual(["member.role_changed", "member.removed"]);
    expect(actions((await q("to=2030-01-01T00:00:03Z")).body)).toEqual(["member.role_changed", "member.removed"]);
    expect(
      actions((await callJson("/api/v1/audit-logs?from=2030-01-01T00:00:02Z&to=2030-01-01T00:00:04%2B00:00", as(owner))).body),
    ).toEqual(["membership.other", "member.role_changed"]);

    const p1 = await q("limit=2");
    expect(actions(p1.body)).toEqual(["member_removed", "api_key.created"]);
    const p2 = await q(`limit=2&cursor=${p1.body.next_cursor}`);
    expect(actions(p2.body)).toEqual(["membership.other", "member.role_changed"]);
    const p3 = await q(`limit=2&cursor=${p2.body.next_cursor}`);
    expect(actions(p3.body)).toEqual(["member.removed"]);
    expect(p3.body.next_cursor).toBeNull();

    expect((await q("from=yesterday")).status).toBe(400);
    expect((await q("action=member.%25")).status).toBe(400);
  });

  it("shows only the current workspace's rows, never account-level or other tenants' rows", async () => {
    const a = await signUp();
    const b = await signUp();
    const when = Date.parse("2031-06-01T00:00:00Z");
    await seedRow(b.tenantId, "secret.other_tenant", when);
    await seedRow(null, "auth.login", when, { actorId: a.userId });
    await seedRow(a.tenantId, "visible.mine", when);
    const res = await callJson("/api/v1/audit-logs?from=2031-06-01", as(a));
    expect(actions(res.body)).toEqual(["visible.mine"]);
    // Naming B's workspace while being A is 404.
    expect((await callJson("/api/v1/audit-logs", as(a, b.tenantId))).status).toBe(404);
  });

  it("needs audit:read (owners and admins)", async () => {
    const owner = await signUp();
    const member = await signUp();
    await db()
      .insert(memberships)
      .values({ tenantId: owner.tenantId, userId: member.userId, role: "member", createdAt: Date.now(), updatedAt: Date.now() });
    expect((await callJson("/api/v1/audit-logs", as(member, owner.tenantId))).status).toBe(403);
    const key = await callJson("/api/v1/api-keys", { ...as(owner), body: { name: "auditor", scopes: ["audit:read"] } });
    const viaKey = await callJson("/api/v1/audit-logs?action=api_key.created", { token: key.body.secret });
    expect(viaKey.status).toBe(200);
    expect(viaKey.body.data[0]).toMatchObject({ target_id: key.body.id, actor_id: owner.userId });
  });
});
