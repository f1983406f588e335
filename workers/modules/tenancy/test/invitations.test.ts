import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { auditLogs } from "../../../../schema/audit";
import { invitations, memberships, type Role } from "../../../../schema/tenancy";
import { sha256Hex } from "../../../platform/crypto";
import { getDb } from "../../../platform/db";
import { acceptInvitation } from "../invitation-accept.service";
import { subscribeViaSimulator } from "../../billing/test/billing-helpers";
import { callJson, signUp, tokenFromMail, uniqueEmail, waitForMail, type TestUser } from "../../../../test/helpers";

const db = () => getDb(env.DB);
const as = (u: TestUser, tenant = u.tenantId) => ({ token: u.accessToken, tenant, ip: u.ip });
const SUBJECT = "invited you to";

async function addMember(owner: TestUser, role: Role, opts: { email?: string; name?: string } = {}): Promise<TestUser> {
  const u = await signUp({ email: opts.email, name: opts.name, workspace: `${role}'s own` });
  await db().insert(memberships).values({ tenantId: owner.tenantId, userId: u.userId, role, createdAt: Date.now(), updatedAt: Date.now() });
  return u;
}

async function invite(by: TestUser, email: string, role: Role = "member") {
  const res = await callJson("/api/v1/invitations", { ...as(by), body: { email, role } });
  if (res.status !== 201) throw new Error(`invite failed: ${res.status} ${JSON.stringify(res.body)}`);
  const mail = await waitForMail(email, SUBJECT);
  return { invitation: res.body, token: tokenFromMail(mail), mail };
}

/** Waits for a newer invitation email than the one carrying `oldToken`. */
async function nextToken(email: string, oldToken: string): Promise<string> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    const token = tokenFromMail(await waitForMail(email, SUBJECT));
    if (token !== oldToken) return token;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("no new invitation email");
}

describe("invitations: the happy path", () => {
  it("invite → email in the dev mailbox → accept by the invited user → listed as member with the role", async () => {
    const owner = await signUp({ name: "Olivia Owner", workspace: "Invite Co" });
    const email = uniqueEmail("invitee");
    const { invitation, token, mail } = await invite(owner, email, "admin");

    expect(invitation).toMatchObject({ email, role: "admin", status: "pending", send_count: 1, invited_by: owner.userId });
    expect(invitation).not.toHaveProperty("token");
    expect(JSON.stringify(invitation)).not.toContain(token);
    expect(mail.subject).toBe("Olivia Owner invited you to Invite Co on Weft");
    expect(mail.text).toContain(`http://weft.test/invite?token=${token}`);
    // Stored only as a hash.
    const row = await db().select().from(invitations).where(eq(invitations.id, invitation.id)).get();
    expect(row!.tokenHash).toBe(await sha256Hex(token));
    expect(new Date(invitation.expires_at).getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);

    const preview = await callJson(`/api/v1/invitations/lookup?token=${token}`);
    expect(preview.status).toBe(200);
    expect(preview.body).toEqual({
      workspace: { name: "Invite Co" },
      email,
      role: "admin",
      inviter_name: "Olivia Owner",
      expires_at: invitation.expires_at,
      status: "pending",
    });

    const invitee = await signUp({ email, name: "Ivan Invitee" });
    const accepted = await callJson("/api/v1/invitations/accept", { token: invitee.accessToken, ip: invitee.ip, body: { token } });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ tenant: { id: owner.tenantId, name: "Invite Co" }, role: "admin" });

    const members = await callJson("/api/v1/members", as(owner));
    expect(members.body.data).toContainEqual({
      user_id: invitee.userId,
      email,
      name: "Ivan Invitee",
      role: "admin",
      joined_at: expect.any(String),
    });
    // The new member can now act in the workspace.
    expect((await callJson("/api/v1/tenant", as(invitee, owner.tenantId))).body).toMatchObject({ id: owner.tenantId, role: "admin" });

    const list = await callJson("/api/v1/invitations?status=accepted", as(owner));
    expect(list.body.data).toEqual([expect.objectContaining({ id: invitation.id, status: "accepted", accepted_by: invitee.userId })]);
    expect((await callJson(`/api/v1/invitations/lookup?token=${token}`)).body.status).toBe("accepted");
  });

  it("lets a new user sign up straight from the invite link (identity calls acceptInvitation)", async () => {
    const owner = await signUp({ workspace: "Signup Invite" });
    const email = uniqueEmail("fresh");
    const { token } = await invite(owner, email, "viewer");
    const fresh = await signUp({ email, inviteToken: token });
    const row = await db()
      .select()
      .from(memberships)
      .where(and(eq(memberships.tenantId, owner.tenantId), eq(memberships.userId, fresh.userId)))
      .get();
    expect(row?.role).toBe("viewer");
  });
});

describe("invitations: single use, expiry, revocation, resend", () => {
  it("a used token cannot be used again (409), not even by another account", async () => {
    const owner = await signUp();
    const email = uniqueEmail("once");
    const { token } = await invite(owner, email);
    const invitee = await signUp({ email });
    expect((await callJson("/api/v1/invitations/accept", { token: invitee.accessToken, body: { token } })).status).toBe(200);
    const again = await callJson("/api/v1/invitations/accept", { token: invitee.accessToken, body: { token } });
    expect(again.status).toBe(409);
    expect(again.body.type).toBe("https://weft.dev/problems/invitation-used");
  });

  it("an expired invitation is refused with 410 and shows as expired", async () => {
    const owner = await signUp();
    const email = uniqueEmail("late");
    const { invitation, token } = await invite(owner, email);
    await db()
      .update(invitations)
      .set({ expiresAt: Date.now() - 1000 })
      .where(eq(invitations.id, invitation.id));
    const invitee = await signUp({ email });
    const res = await callJson("/api/v1/invitations/accept", { token: invitee.accessToken, body: { token } });
    expect(res.status).toBe(410);
    expect(res.body.detail).toMatch(/expired/);
    expect((await callJson(`/api/v1/invitations/lookup?token=${token}`)).body.status).toBe("expired");
    const listed = await callJson("/api/v1/invitations?status=expired", as(owner));
    expect(listed.body.data.map((i: { id: string }) => i.id)).toEqual([invitation.id]);
    expect((await callJson("/api/v1/invitations?status=pending", as(owner))).body.data).toEqual([]);
    // Nothing was written.
    expect(
      await db()
        .select()
        .from(memberships)
        .where(and(eq(memberships.tenantId, owner.tenantId), eq(memberships.userId, invitee.userId)))
        .get(),
    ).toBeUndefined();
  });

  it("a revoked invitation is refused with 410 and its email can be invited again", async () => {
    const owner = await signUp();
    const email = uniqueEmail("revoked");
    const { invitation, token } = await invite(owner, email);
    expect((await callJson(`/api/v1/invitations/${invitation.id}`, { ...as(owner), method: "DELETE" })).status).toBe(204);
    expect((await callJson(`/api/v1/invitations/lookup?token=${token}`)).body.status).toBe("revoked");
    const invitee = await signUp({ email });
    const res = await callJson("/api/v1/invitations/accept", { token: invitee.accessToken, body: { token } });
    expect(res.status).toBe(410);
    expect(res.body.detail).toMatch(/revoked/);
    expect((await callJson(`/api/v1/invitations/${invitation.id}/resend`, { ...as(owner), method: "POST" })).status).toBe(409);
    expect((await callJson("/api/v1/invitations", { ...as(owner), body: { email, role: "member" } })).status).toBe(201);
  });

  it("resend rotates the token (the old link stops working), extends expiry and counts sends", async () => {
    const owner = await signUp();
    const email = uniqueEmail("resend");
    const { invitation, token: oldToken } = await invite(owner, email);
    await db()
      .update(invitations)
      .set({ expiresAt: Date.now() + 60_000 })
      .where(eq(invitations.id, invitation.id));
    const resent = await callJson(`/api/v1/invitations/${invitation.id}/resend`, { ...as(owner), method: "POST" });
    expect(resent.status).toBe(200);
    expect(resent.body).toMatchObject({ id: invitation.id, status: "pending", send_count: 2 });
    expect(new Date(resent.body.expires_at).getTime() - Date.now()).toBeGreaterThan(6.9 * 24 * 3600_000);
    const newToken = await nextToken(email, oldToken);

    expect((await callJson(`/api/v1/invitations/lookup?token=${oldToken}`)).status).toBe(404);
    const invitee = await signUp({ email });
    expect((await callJson("/api/v1/invitations/accept", { token: invitee.accessToken, body: { token: oldToken } })).status).toBe(404);
    expect((await callJson("/api/v1/invitations/accept", { token: invitee.accessToken, body: { token: newToken } })).status).toBe(200);
  });

  it("someone who is already a member cannot accept (409) and the invitation stays pending", async () => {
    const owner = await signUp();
    const email = uniqueEmail("already");
    const { token } = await invite(owner, email);
    const u = await addMember(owner, "viewer", { email });
    const res = await callJson("/api/v1/invitations/accept", { token: u.accessToken, body: { token } });
    expect(res.status).toBe(409);
    expect(res.body.type).toBe("https://weft.dev/problems/already-member");
    expect(
      await db()
        .select({ role: memberships.role })
        .from(memberships)
        .where(and(eq(memberships.tenantId, owner.tenantId), eq(memberships.userId, u.userId)))
        .get(),
    ).toEqual({ role: "viewer" });
    expect((await callJson(`/api/v1/invitations/lookup?token=${token}`)).body.status).toBe("pending");
  });

  it("unknown tokens are 404 for lookup and accept", async () => {
    const u = await signUp();
    expect((await callJson("/api/v1/invitations/lookup?token=NOTATOKEN0000000000")).status).toBe(404);
    expect((await callJson("/api/v1/invitations/accept", { token: u.accessToken, body: { token: "NOTATOKEN0000000000" } })).status).toBe(
      404,
    );
  });
});

describe("invitations: who may invite whom", () => {
  it("the signed-in user's email must match the invitation (403 with a clear detail)", async () => {
    const owner = await signUp();
    const email = uniqueEmail("intended");
    const { token } = await invite(owner, email);
    const stranger = await signUp();
    const res = await callJson("/api/v1/invitations/accept", { token: stranger.accessToken, body: { token } });
    expect(res.status).toBe(403);
    expect(res.body.detail).toContain(email);
    expect((await callJson(`/api/v1/invitations/lookup?token=${token}`)).body.status).toBe("pending");
  });

  it("admins cannot invite owners; owners can", async () => {
    const owner = await signUp();
    await subscribeViaSimulator(owner, { plan: "starter" }); // 2 members + 2 invitations: more than Free's 3 seats
    const admin = await addMember(owner, "admin");
    const byAdmin = await callJson("/api/v1/invitations", { ...as(admin, owner.tenantId), body: { email: uniqueEmail(), role: "owner" } });
    expect(byAdmin.status).toBe(403);
    expect(
      (await callJson("/api/v1/invitations", { ...as(admin, owner.tenantId), body: { email: uniqueEmail(), role: "admin" } })).status,
    ).toBe(201);
    expect((await callJson("/api/v1/invitations", { ...as(owner), body: { email: uniqueEmail(), role: "owner" } })).status).toBe(201);
  });

  it("members and viewers cannot invite", async () => {
    const owner = await signUp();
    const member = await addMember(owner, "member");
    expect(
      (await callJson("/api/v1/invitations", { ...as(member, owner.tenantId), body: { email: uniqueEmail(), role: "viewer" } })).status,
    ).toBe(403);
  });

  it("409 when the email is already a member or already has a pending invitation", async () => {
    const owner = await signUp();
    const existing = await addMember(owner, "member");
    const dupMember = await callJson("/api/v1/invitations", {
      ...as(owner),
      body: { email: existing.email.toUpperCase(), role: "member" },
    });
    expect(dupMember.status).toBe(409);
    expect(dupMember.body.type).toBe("https://weft.dev/problems/already-member");
    const email = uniqueEmail("pending");
    await invite(owner, email);
    const dupInvite = await callJson("/api/v1/invitations", { ...as(owner), body: { email, role: "viewer" } });
    expect(dupInvite.status).toBe(409);
    expect(dupInvite.body.type).toBe("https://weft.dev/problems/invitation-pending");
  });

  it("validates input", async () => {
    const owner = await signUp();
    const res = await callJson("/api/v1/invitations", { ...as(owner), body: { email: "nope", role: "king" } });
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["email", "role"]);
  });
});

describe("invitations: listing and isolation", () => {
  it("filters by status and paginates with a cursor", async () => {
    const owner = await signUp();
    await subscribeViaSimulator(owner, { plan: "starter" }); // 1 member + 3 invitations: more than Free's 3 seats
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await callJson("/api/v1/invitations", { ...as(owner), body: { email: uniqueEmail("page"), role: "member" } })).body.id);
    await callJson(`/api/v1/invitations/${ids[0]}`, { ...as(owner), method: "DELETE" });
    const first = await callJson("/api/v1/invitations?status=pending&limit=1", as(owner));
    expect(first.body.data.map((i: { id: string }) => i.id)).toEqual([ids[2]]);
    const second = await callJson(`/api/v1/invitations?status=pending&limit=1&cursor=${first.body.next_cursor}`, as(owner));
    expect(second.body.data.map((i: { id: string }) => i.id)).toEqual([ids[1]]);
    expect(second.body.next_cursor).toBeNull();
    expect((await callJson("/api/v1/invitations?status=revoked", as(owner))).body.data.map((i: { id: string }) => i.id)).toEqual([ids[0]]);
    expect((await callJson("/api/v1/invitations?status=bogus", as(owner))).status).toBe(400);
  });

  it("another workspace's invitation ids are 404", async () => {
    const a = await signUp();
    const b = await signUp();
    const { invitation } = await invite(a, uniqueEmail("iso"));
    expect((await callJson(`/api/v1/invitations/${invitation.id}/resend`, { ...as(b), method: "POST" })).status).toBe(404);
    expect((await callJson(`/api/v1/invitations/${invitation.id}`, { ...as(b), method: "DELETE" })).status).toBe(404);
    expect((await callJson("/api/v1/invitations", as(b))).body.data).toEqual([]);
    // And naming workspace A while signed in as B is 404 too.
    expect((await callJson("/api/v1/invitations", as(b, a.tenantId))).status).toBe(404);
    expect((await db().select().from(invitations).where(eq(invitations.id, invitation.id)).get())!.revokedAt).toBeNull();
  });

  it("acceptInvitation (service) audits the join in the workspace", async () => {
    const owner = await signUp();
    const email = uniqueEmail("svc");
    const { token, invitation } = await invite(owner, email, "member");
    const invitee = await signUp({ email });
    const result = await acceptInvitation(
      db(),
      { token, userId: invitee.userId, userEmail: email.toUpperCase() },
      { type: "user", id: invitee.userId, ip: "1.2.3.4", userAgent: "ua" },
    );
    expect(result).toEqual({ tenantId: owner.tenantId, role: "member" });
    const audit = await db()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, owner.tenantId), eq(auditLogs.action, "invitation.accepted")))
      .get();
    expect(audit).toMatchObject({
      actorId: invitee.userId,
      targetId: invitee.userId,
      ip: "1.2.3.4",
      metadata: { invitation_id: invitation.id, role: "member", email },
    });
  });
});
