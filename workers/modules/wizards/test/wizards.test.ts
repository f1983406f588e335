import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { sessions } from "../../../../schema/identity";
import { memberships } from "../../../../schema/tenancy";
import { callJson, signUp, uniqueEmail, waitForMail, tokenFromMail, type TestUser } from "../../../../test/helpers";
import { forgetAccess } from "../../../platform/auth";
import { getDb } from "../../../platform/db";

const as = (u: TestUser, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: u.accessToken, tenant: u.tenantId, body, ip: u.ip });

/** Adds `member` to `owner`'s workspace with a role (what an accepted invitation does). */
async function joinAs(owner: TestUser, member: TestUser, role: "admin" | "member" | "viewer") {
  const now = Date.now();
  await getDb(env.DB).insert(memberships).values({ tenantId: owner.tenantId, userId: member.userId, role, createdAt: now, updatedAt: now });
  return { ...member, tenantId: owner.tenantId };
}

async function enrolMfa(u: TestUser) {
  const enroll = await callJson("/api/v1/me/mfa/enroll", { method: "POST", token: u.accessToken });
  const totp = new TOTP({ secret: enroll.body.secret, digits: 6, period: 30 });
  const confirm = await callJson("/api/v1/me/mfa/confirm", { token: u.accessToken, body: { code: totp.generate() } });
  expect(confirm.status).toBe(200);
  forgetAccess(u.userId);
}

/** Repeats `probe` until `done` holds (the per-isolate access cache may answer for up to a second). */
async function until<T>(probe: () => Promise<T>, done: (v: T) => boolean, ms = 5000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (done(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("wizard engine", () => {
  it("resumes where it was left, validates per field (422), refuses steps out of order (409), completes once", async () => {
    const owner = await signUp();
    // Out of order: the sessions step before the MFA step.
    const early = await as(owner, "POST", "/api/v1/wizards/security/steps/sessions", { session_lifetime_hours: 8 });
    expect(early.status).toBe(409);
    expect(early.body.expected_step).toBe("mfa");

    expect((await as(owner, "POST", "/api/v1/wizards/security/steps/mfa", { require_mfa: false })).status).toBe(200);
    // Leave and come back (a new request, as from another device): the run resumes at the next step.
    const resumed = await as(owner, "GET", "/api/v1/wizards/security");
    expect(resumed.status).toBe(200);
    expect(resumed.body.run).toMatchObject({ status: "in_progress", current_step: "sessions", completed_steps: ["mfa"] });
    expect(resumed.body.run.state.mfa).toEqual({ require_mfa: false });
    expect(resumed.body.steps.map((s: { id: string }) => s.id)).toEqual(["mfa", "sessions", "methods"]);

    const bad = await as(owner, "POST", "/api/v1/wizards/security/steps/sessions", { session_lifetime_hours: 5 });
    expect(bad.status).toBe(422);
    expect(bad.res.headers.get("content-type")).toContain("application/problem+json");
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(["session_lifetime_hours"]);

    // Back moves the resume point; the answers stay.
    const back = await as(owner, "POST", "/api/v1/wizards/security/back");
    expect(back.body.current_step).toBe("mfa");
    expect(back.body.completed_steps).toEqual(["mfa"]);

    expect((await as(owner, "POST", "/api/v1/wizards/security/complete")).status).toBe(409); // steps left
    expect((await as(owner, "POST", "/api/v1/wizards/security/steps/sessions", { session_lifetime_hours: 24 })).status).toBe(200);
    expect((await as(owner, "POST", "/api/v1/wizards/security/steps/methods", { api_keys_allowed: true })).status).toBe(200);

    // Two Finishes at once (a double click): one completion, one audit row, the same objects.
    const [done, concurrent] = await Promise.all([
      as(owner, "POST", "/api/v1/wizards/security/complete"),
      as(owner, "POST", "/api/v1/wizards/security/complete"),
    ]);
    expect([done.status, concurrent.status]).toEqual([200, 200]);
    expect(concurrent.body.objects).toEqual(done.body.objects);
    expect(done.body.status).toBe("completed");
    expect(done.body.objects).toEqual([expect.objectContaining({ type: "security_policy", href: "/settings/security" })]);
    const again = await as(owner, "POST", "/api/v1/wizards/security/complete");
    expect(again.body.objects).toEqual(done.body.objects);
    expect(again.body.completed_at).toBe(done.body.completed_at);
    const audit = await as(owner, "GET", "/api/v1/audit-logs?action=wizard.completed&limit=10");
    expect(audit.body.data).toHaveLength(1);
    expect(audit.body.data[0]).toMatchObject({ target_type: "wizard", target_id: "security" });
    expect((await as(owner, "GET", "/api/v1/security-policy")).body).toMatchObject({ mfa_required: false, session_lifetime_hours: 24 });

    // A finished run takes no more steps until restarted; a restart starts over.
    expect((await as(owner, "POST", "/api/v1/wizards/security/steps/mfa", { require_mfa: false })).status).toBe(409);
    const restarted = await as(owner, "POST", "/api/v1/wizards/security/restart");
    expect(restarted.body).toMatchObject({ status: "in_progress", current_step: "mfa", completed_steps: [], objects: [] });
    expect((await as(owner, "DELETE", "/api/v1/wizards/security")).status).toBe(204);
    const list = await as(owner, "GET", "/api/v1/wizards");
    expect(list.body.items.find((i: { kind: string }) => i.kind === "security").status).toBe("abandoned");
  });

  it("refuses a role without the kind's permission (403) and API keys (403); lists only what the role may run", async () => {
    const owner = await signUp();
    const viewer = await joinAs(owner, await signUp(), "viewer");
    const denied = await as(viewer, "GET", "/api/v1/wizards/security");
    expect(denied.status).toBe(403);
    expect(denied.body.detail).toContain("tenant:update");
    expect((await as(viewer, "POST", "/api/v1/wizards/api-keys/steps/scopes", { scopes: ["members:read"] })).status).toBe(403);
    const kinds = (await as(viewer, "GET", "/api/v1/wizards")).body.items.map((i: { kind: string }) => i.kind);
    expect(kinds).not.toContain("security");
    expect((await as(owner, "GET", "/api/v1/wizards")).body.items.map((i: { kind: string }) => i.kind)).toEqual(
      expect.arrayContaining(["security", "team", "api-keys"]),
    );
    const key = await as(owner, "POST", "/api/v1/api-keys", { name: "all", scopes: ["tenant:read", "tenant:update"] });
    expect((await callJson("/api/v1/wizards", { token: key.body.secret })).status).toBe(403);
    expect((await callJson("/api/v1/wizards/security", { token: key.body.secret })).status).toBe(403);
  });
});

describe("security wizard: the policy is enforced", () => {
  it("MFA required refuses members without MFA (403 mfa-required) and lets enrolled ones in; the runner must have MFA", async () => {
    const owner = await signUp();
    const member = await joinAs(owner, await signUp(), "member");
    // The owner has no MFA: requiring it would lock them out.
    const refused = await as(owner, "POST", "/api/v1/wizards/security/steps/mfa", { require_mfa: true });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ type: "https://weft.dev/problems/mfa-enrolment-needed", enroll_url: "/settings/security" });
    await enrolMfa(owner);
    for (const [step, body] of [
      ["mfa", { require_mfa: true }],
      ["sessions", { session_lifetime_hours: null }],
      ["methods", { api_keys_allowed: true }],
    ] as const) {
      expect((await as(owner, "POST", `/api/v1/wizards/security/steps/${step}`, body)).status).toBe(200);
    }
    expect((await as(owner, "POST", "/api/v1/wizards/security/complete")).status).toBe(200);

    const blocked = await until(
      () => as(member, "GET", "/api/v1/tenant"),
      (r) => r.status === 403,
    );
    expect(blocked.status).toBe(403);
    expect(blocked.body).toMatchObject({ type: "https://weft.dev/problems/mfa-required", enroll_url: "/settings/security" });
    // The routes to enrol stay open.
    expect((await callJson("/api/v1/me/mfa", { token: member.accessToken })).status).toBe(200);
    expect((await as(owner, "GET", "/api/v1/tenant")).status).toBe(200);
    await enrolMfa(member);
    const allowed = await until(
      () => as(member, "GET", "/api/v1/tenant"),
      (r) => r.status === 200,
    );
    expect(allowed.status).toBe(200);
  });

  it("a session older than the workspace's lifetime is refused (401 session-expired-for-workspace); API keys off → 401", async () => {
    const owner = await signUp();
    const key = await as(owner, "POST", "/api/v1/api-keys", { name: "machine", scopes: ["members:read"] });
    expect((await callJson("/api/v1/members", { token: key.body.secret })).status).toBe(200);
    const put = await as(owner, "PUT", "/api/v1/security-policy", {
      mfa_required: false,
      session_lifetime_hours: 1,
      api_keys_allowed: false,
    });
    expect(put.status).toBe(200);
    expect((await as(owner, "GET", "/api/v1/tenant")).status).toBe(200); // a fresh session is fine
    const keyOff = await callJson("/api/v1/members", { token: key.body.secret });
    expect(keyOff.status).toBe(401);
    expect(keyOff.body.detail).toContain("turned off API key access");

    // The session began two hours ago (as if signed in then).
    const db = getDb(env.DB);
    await db
      .update(sessions)
      .set({ createdAt: Date.now() - 2 * 3_600_000 })
      .where(and(eq(sessions.userId, owner.userId)));
    forgetAccess(owner.userId);
    const old = await until(
      () => as(owner, "GET", "/api/v1/tenant"),
      (r) => r.status === 401,
    );
    expect(old.status).toBe(401);
    expect(old.body).toMatchObject({ type: "https://weft.dev/problems/session-expired-for-workspace", max_session_age_seconds: 3600 });
    // The user's own routes (sign-in again, profile) are not the workspace's to refuse.
    expect((await callJson("/api/v1/me", { token: owner.accessToken })).status).toBe(200);
  });
});

describe("team set-up wizard", () => {
  it("checks each row, sends the invitations and tells the buddy when the newcomer joins", async () => {
    const owner = await signUp({ name: "Olivia Owner" });
    const mate = await signUp({ name: "Bea Buddy" });
    await joinAs(owner, mate, "member");
    const newcomer = uniqueEmail("newcomer");

    const rows = await as(owner, "POST", "/api/v1/wizards/team/steps/invites", {
      invites: [
        { email: newcomer, role: "member" },
        { email: "not-an-address", role: "member" },
        { email: mate.email, role: "owner" },
      ],
    });
    expect(rows.status).toBe(422);
    expect(rows.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["invites.1.email", "invites.2.role"]);
    const member = await as(owner, "POST", "/api/v1/wizards/team/steps/invites", {
      invites: [
        { email: newcomer, role: "member" },
        { email: mate.email, role: "viewer" },
      ],
    });
    expect(member.status).toBe(422);
    expect(member.body.errors).toEqual([{ path: "invites.1.email", message: "Already a member of this workspace" }]);

    expect((await as(owner, "POST", "/api/v1/wizards/team/steps/invites", { invites: [{ email: newcomer, role: "member" }] })).status).toBe(
      200,
    );
    const members = await as(owner, "GET", "/api/v1/wizards/team/steps/buddies/status");
    expect(members.body.detail.members.map((m: { user_id: string }) => m.user_id)).toContain(mate.userId);
    const notMember = await as(owner, "POST", "/api/v1/wizards/team/steps/buddies", {
      buddies: [{ email: newcomer, buddy_user_id: "usr_nobody" }],
    });
    expect(notMember.body.errors).toEqual([{ path: "buddies.0.buddy_user_id", message: "Pick a member of this workspace" }]);
    expect(
      (await as(owner, "POST", "/api/v1/wizards/team/steps/buddies", { buddies: [{ email: newcomer, buddy_user_id: mate.userId }] }))
        .status,
    ).toBe(200);
    const sent = await as(owner, "POST", "/api/v1/wizards/team/steps/review", { send: true });
    expect(sent.status).toBe(200);
    expect(sent.body.run.state.sent).toEqual([{ email: newcomer, invitation_id: expect.stringMatching(/^inv_/), error: null }]);
    // Pressing Send again sends nothing twice.
    const twice = await as(owner, "POST", "/api/v1/wizards/team/steps/review", { send: true });
    expect(twice.body.run.state.sent).toEqual(sent.body.run.state.sent);
    const done = await as(owner, "POST", "/api/v1/wizards/team/complete");
    expect(done.body.objects).toEqual([expect.objectContaining({ type: "invitation", href: "/team" })]);
    const invitations = await as(owner, "GET", "/api/v1/invitations?status=pending");
    expect(invitations.body.data.map((i: { email: string }) => i.email)).toEqual([newcomer]);

    // The newcomer accepts (signs up through the emailed link): the buddy hears about it, in-app and by email.
    const invite = await waitForMail(newcomer, "invited");
    const joined = await signUp({ email: newcomer, name: "Nora Newcomer", inviteToken: tokenFromMail(invite) });
    const mail = await waitForMail(mate.email, "Nora Newcomer joined");
    expect(mail.text).toContain("buddy");
    const inApp = await until(
      () => callJson("/api/v1/notifications", { token: mate.accessToken, tenant: owner.tenantId }),
      (r) => JSON.stringify(r.body).includes("Nora Newcomer joined"),
    );
    expect(JSON.stringify(inApp.body)).toContain("Nora Newcomer joined");
    const buddies = await as(owner, "GET", "/api/v1/team/buddies");
    expect(buddies.body.items).toEqual([
      expect.objectContaining({
        email: newcomer,
        newcomer_user_id: joined.userId,
        buddy: expect.objectContaining({ user_id: mate.userId }),
      }),
    ]);
    expect(buddies.body.items[0].notified_at).not.toBeNull();
  });
});

describe("API key wizard", () => {
  it("creates a key shown once that works within its scopes only, with snippets, and rotates an old key after confirmation", async () => {
    const owner = await signUp();
    const old = await as(owner, "POST", "/api/v1/api-keys", { name: "old", scopes: ["members:read"] });
    const scopes = await as(owner, "GET", "/api/v1/wizards/api-keys/steps/scopes/status");
    expect(scopes.body.detail.scopes).toContainEqual({ scope: "members:read", description: "List members and their roles" });
    const unknown = await as(owner, "POST", "/api/v1/wizards/api-keys/steps/scopes", { scopes: ["members:read", "root:all"] });
    expect(unknown.status).toBe(422);
    expect(unknown.body.errors[0].path).toBe("scopes.1");
    expect((await as(owner, "POST", "/api/v1/wizards/api-keys/steps/scopes", { scopes: ["members:read"] })).status).toBe(200);
    const details = await as(owner, "POST", "/api/v1/wizards/api-keys/steps/details", { name: "CI deploys", expires_in_days: 90 });
    expect(details.status).toBe(200);
    const secret = details.body.reveal.secret as string;
    expect(secret).toMatch(/^wk_live_/);
    expect(JSON.stringify(details.body.run)).not.toContain(secret); // shown once, never stored
    expect(JSON.stringify((await as(owner, "GET", "/api/v1/wizards/api-keys")).body)).not.toContain(secret);

    expect((await callJson("/api/v1/members", { token: secret })).status).toBe(200);
    expect((await callJson("/api/v1/api-keys", { token: secret })).status).toBe(403);

    const snippet = await as(owner, "GET", "/api/v1/wizards/api-keys/steps/snippet/status");
    expect(snippet.body.detail.sample_path).toBe("/api/v1/members");
    expect(snippet.body.detail.curl).toContain("http://weft.test/api/v1/members");
    expect(snippet.body.detail.python).toContain("requests.get(");
    expect((await as(owner, "POST", "/api/v1/wizards/api-keys/steps/snippet", {})).status).toBe(200);

    const unconfirmed = await as(owner, "POST", "/api/v1/wizards/api-keys/steps/rotation", { replace_key_id: old.body.id });
    expect(unconfirmed.status).toBe(422);
    expect(unconfirmed.body.errors[0].path).toBe("confirm_revoke");
    expect((await callJson("/api/v1/members", { token: old.body.secret })).status).toBe(200);
    const rotated = await as(owner, "POST", "/api/v1/wizards/api-keys/steps/rotation", {
      replace_key_id: old.body.id,
      confirm_revoke: true,
    });
    expect(rotated.status).toBe(200);
    expect((await callJson("/api/v1/members", { token: old.body.secret })).status).toBe(401);
    const done = await as(owner, "POST", "/api/v1/wizards/api-keys/complete");
    expect(done.body.objects.map((o: { type: string }) => o.type)).toEqual(["api_key", "api_key_revoked"]);
    expect((await callJson("/api/v1/members", { token: secret })).status).toBe(200);
  });
});
