import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { endUserCodes, endUsers } from "../../../../schema/endusers";
import { auditLogs } from "../../../../schema/audit";
import { getDb } from "../../../platform/db";
import { freshIp, uniqueEmail, waitForMail } from "../../../../test/helpers";
import { as, env, eu, euByCode, euSignUp, handoverJwt, handoverSecret, PASSWORD, portal, signInMail } from "./endusers-helpers";

const db = () => getDb(env.DB);

describe("end-user sign-up and sign-in", () => {
  it("signs up with a password (hashed like staff), sends a verification link that confirms the email once", async () => {
    const p = await portal({ brand_name: "Acme Store" });
    const u = await euSignUp(p);
    const row = await db().select().from(endUsers).where(eq(endUsers.id, u.id)).get();
    expect(row?.passwordHash).toMatch(/^pbkdf2-sha256\$100000\$/);
    expect(row?.emailVerifiedAt).toBeNull();
    expect(row?.tenantId).toBe(p.owner.tenantId);

    const mail = await waitForMail(u.email, "Confirm your email for Acme Store");
    const token = new URL(/https?:\/\/\S+/.exec(mail.text)?.[0] ?? "").searchParams.get("token");
    expect(mail.text).toContain(`/portal/${p.slug}/verify?token=`);
    const ok = await eu(p)("POST", "/auth/verify", { token });
    expect(ok.status).toBe(200);
    expect(ok.body.email_verified).toBe(true);
    expect((await eu(p)("POST", "/auth/verify", { token })).status).toBe(410); // single use

    const me = await eu(p, u.accessToken)("GET", "/me");
    expect(me.body).toMatchObject({ id: u.id, email: u.email, name: "Erin End", email_verified: true, has_password: true });
  });

  it("refuses a second sign-up with the same email in the workspace, but not in another workspace", async () => {
    const p1 = await portal();
    const p2 = await portal();
    const email = uniqueEmail("twice");
    await euSignUp(p1, email);
    const again = await eu(p1)("POST", "/auth/signup", { email, password: PASSWORD });
    expect(again.status).toBe(409);
    const other = await euSignUp(p2, email); // the same person at another shop: a separate account
    expect(other.id).not.toBe(
      (
        await db()
          .select()
          .from(endUsers)
          .where(and(eq(endUsers.tenantId, p1.owner.tenantId), eq(endUsers.email, email)))
          .get()
      )?.id,
    );
  });

  it("signs in with the password; a wrong password and an unknown email get the same 401", async () => {
    const p = await portal();
    const u = await euSignUp(p);
    const ok = await eu(p)("POST", "/auth/signin", { email: u.email, password: PASSWORD });
    expect(ok.status).toBe(200);
    expect(ok.body.end_user.id).toBe(u.id);
    const wrong = await eu(p)("POST", "/auth/signin", { email: u.email, password: "not the password" });
    const unknown = await eu(p)("POST", "/auth/signin", { email: uniqueEmail("nobody"), password: PASSWORD });
    expect([wrong.status, unknown.status]).toEqual([401, 401]);
    expect(wrong.body.type).toBe(unknown.body.type);
    expect(wrong.body.detail).toBe(unknown.body.detail);
  });

  it("validates input with the failing fields", async () => {
    const p = await portal();
    const r = await eu(p)("POST", "/auth/signup", { email: "not-an-email", password: "short" });
    expect(r.status).toBe(400);
    expect(r.res.headers.get("Content-Type")).toContain("application/problem+json");
    expect(r.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["email", "password"]);
  });

  it("signs in (and up, on an open portal) with an emailed 6-digit code; the code works once", async () => {
    const p = await portal({ brand_name: "Codes & Co" });
    const email = uniqueEmail("code");
    const ip = freshIp();
    expect((await eu(p, undefined, ip)("POST", "/auth/code", { email })).status).toBe(202);
    const { code, mail } = await signInMail(email);
    expect(mail.subject).toBe(`Your sign-in code for Codes & Co: ${code}`);
    const r = await eu(p, undefined, ip)("POST", "/auth/code/verify", { email, code });
    expect(r.status).toBe(200);
    expect(r.body.end_user).toMatchObject({ email, email_verified: true, has_password: false });
    expect((await eu(p, undefined, ip)("POST", "/auth/code/verify", { email, code })).status).toBe(410);
  });

  it("spends a code after 5 wrong guesses, so the right code no longer works", async () => {
    const p = await portal();
    const email = uniqueEmail("guess");
    await eu(p)("POST", "/auth/code", { email });
    const { code } = await signInMail(email);
    const wrong = code === "000000" ? "111111" : "000000";
    for (let i = 0; i < 5; i++) expect((await eu(p)("POST", "/auth/code/verify", { email, code: wrong })).status).toBe(410);
    expect((await eu(p)("POST", "/auth/code/verify", { email, code })).status).toBe(410);
  });

  it("magic links are single use and expire", async () => {
    const p = await portal();
    const email = uniqueEmail("magic");
    await eu(p)("POST", "/auth/code", { email });
    const { token } = await signInMail(email);
    expect((await eu(p)("POST", "/auth/code/verify", { token })).status).toBe(200);
    expect((await eu(p)("POST", "/auth/code/verify", { token })).status).toBe(410);

    // Tokens are stored hashed only.
    const rows = await db()
      .select()
      .from(endUserCodes)
      .where(and(eq(endUserCodes.tenantId, p.owner.tenantId), eq(endUserCodes.email, email)));
    expect(rows.map((r) => r.tokenHash)).not.toContain(token);

    // Another address's link, expired in D1 (no waiting): refused, and not spent by the refusal.
    const late = uniqueEmail("late");
    await eu(p)("POST", "/auth/code", { email: late });
    const { token: lateToken } = await signInMail(late);
    await db()
      .update(endUserCodes)
      .set({ expiresAt: Date.now() - 1 })
      .where(and(eq(endUserCodes.tenantId, p.owner.tenantId), eq(endUserCodes.email, late)));
    expect((await eu(p)("POST", "/auth/code/verify", { token: lateToken })).status).toBe(410);
  });

  it("a magic link of one workspace does not sign in at another", async () => {
    const p1 = await portal();
    const p2 = await portal();
    const email = uniqueEmail("cross");
    await eu(p1)("POST", "/auth/code", { email });
    const { token, code } = await signInMail(email);
    expect((await eu(p2)("POST", "/auth/code/verify", { token })).status).toBe(410);
    expect((await eu(p2)("POST", "/auth/code/verify", { email, code })).status).toBe(410);
    expect((await eu(p1)("POST", "/auth/code/verify", { token })).status).toBe(200);
  });

  it("drops a password set before the address was proven when the owner of the address signs in by code", async () => {
    const p = await portal();
    const email = uniqueEmail("victim");
    const squatter = await euSignUp(p, email); // someone else registered the address with a password
    const owner = await euByCode(p, email); // the address's owner proves it
    expect(owner.id).toBe(squatter.id);
    expect((await eu(p, squatter.accessToken)("GET", "/me")).status).toBe(401);
    expect((await eu(p)("POST", "/auth/signin", { email, password: PASSWORD })).status).toBe(401);
    expect((await eu(p, owner.accessToken)("GET", "/me")).body.has_password).toBe(false);
  });

  it("answers 202 for an unknown address without creating anything on an invite-only portal", async () => {
    const p = await portal({ signup_policy: "invite" });
    const email = uniqueEmail("uninvited");
    expect((await eu(p)("POST", "/auth/code", { email })).status).toBe(202);
    expect((await eu(p)("POST", "/auth/signup", { email, password: PASSWORD })).status).toBe(403);
    const mailbox = await db()
      .select()
      .from(endUserCodes)
      .where(and(eq(endUserCodes.tenantId, p.owner.tenantId), eq(endUserCodes.email, email)));
    expect(mailbox).toEqual([]);

    // Invited by the workspace: the invitation link signs them in.
    const invited = uniqueEmail("invited");
    const inv = await as(p.owner)("POST", "/api/v1/end-users", { email: invited, name: "Ivy" });
    expect(inv.status).toBe(201);
    const mail = await waitForMail(invited, "invited you");
    const token = new URL(/https?:\/\/\S+/.exec(mail.text)?.[0] ?? "").searchParams.get("token");
    const r = await eu(p)("POST", "/auth/code/verify", { token });
    expect(r.status).toBe(200);
    expect(r.body.end_user).toMatchObject({ id: inv.body.id, email_verified: true });
  });

  it("existing-customers-only lets in accounts the workspace created, not strangers", async () => {
    const p = await portal({ signup_policy: "customers" });
    expect((await eu(p)("POST", "/auth/signup", { email: uniqueEmail("stranger"), password: PASSWORD })).status).toBe(403);
    const known = uniqueEmail("known");
    expect((await as(p.owner)("POST", "/api/v1/end-users", { email: known, send_invite: false })).status).toBe(201);
    const s = await euByCode(p, known);
    expect(s.email).toBe(known);
  });

  it("resets a password by email link; every session ends", async () => {
    const p = await portal();
    const u = await euSignUp(p);
    expect((await eu(p)("POST", "/auth/password/forgot", { email: u.email })).status).toBe(202);
    expect((await eu(p)("POST", "/auth/password/forgot", { email: uniqueEmail("none") })).status).toBe(202);
    const mail = await waitForMail(u.email, "Reset your password");
    const token = new URL(/https?:\/\/\S+/.exec(mail.text)?.[0] ?? "").searchParams.get("token");
    expect((await eu(p)("POST", "/auth/password/reset", { token, password: "a brand new password" })).status).toBe(204);
    expect((await eu(p, u.accessToken)("GET", "/me")).status).toBe(401);
    expect((await eu(p)("POST", "/auth/signin", { email: u.email, password: "a brand new password" })).status).toBe(200);
    expect((await eu(p)("POST", "/auth/password/reset", { token, password: "another new password" })).status).toBe(410);
  });

  it("rotates refresh tokens; reusing an old one ends the session", async () => {
    const p = await portal();
    const u = await euSignUp(p);
    const r1 = await eu(p)("POST", "/auth/refresh", { refresh_token: u.refreshToken });
    expect(r1.status).toBe(200);
    expect(r1.body.refresh_token).not.toBe(u.refreshToken);
    const replay = await eu(p)("POST", "/auth/refresh", { refresh_token: u.refreshToken });
    expect(replay.status).toBe(401);
    // The whole family is gone: the newer token and the access token too.
    expect((await eu(p)("POST", "/auth/refresh", { refresh_token: r1.body.refresh_token })).status).toBe(401);
    expect((await eu(p, r1.body.access_token)("GET", "/me")).status).toBe(401);
    const audit = await db()
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, p.owner.tenantId), eq(auditLogs.action, "endusers.refresh_reuse_detected")));
    expect(audit.length).toBe(1);
    // Another workspace's portal does not know the token.
    const other = await portal();
    const u2 = await euSignUp(p);
    expect((await eu(other)("POST", "/auth/refresh", { refresh_token: u2.refreshToken })).status).toBe(401);
  });

  it("signs out: the session's tokens stop working", async () => {
    const p = await portal();
    const u = await euSignUp(p);
    expect((await eu(p, u.accessToken)("POST", "/auth/signout")).status).toBe(204);
    expect((await eu(p, u.accessToken)("GET", "/me")).status).toBe(401);
    expect((await eu(p)("POST", "/auth/refresh", { refresh_token: u.refreshToken })).status).toBe(401);
  });

  it("updates the profile, changes the password (current one required) and the email after re-verification", async () => {
    const p = await portal();
    const u = await euSignUp(p);
    const other = await eu(p)("POST", "/auth/signin", { email: u.email, password: PASSWORD });
    const me = eu(p, u.accessToken);
    expect((await me("PATCH", "/me", { name: "Erin Renamed" })).body.name).toBe("Erin Renamed");
    const bad = await me("POST", "/me/password", { current_password: "wrong", new_password: "another good password" });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe("current_password");
    expect((await me("POST", "/me/password", { current_password: PASSWORD, new_password: "another good password" })).status).toBe(204);
    expect((await eu(p, other.body.access_token)("GET", "/me")).status).toBe(401); // other sessions end
    expect((await me("GET", "/me")).status).toBe(200); // this one stays

    const newEmail = uniqueEmail("moved");
    expect((await me("POST", "/me/email", { email: newEmail })).status).toBe(202);
    expect((await me("GET", "/me")).body.email).toBe(u.email); // not before confirmation
    const mail = await waitForMail(newEmail, "Confirm your new email");
    const token = new URL(/https?:\/\/\S+/.exec(mail.text)?.[0] ?? "").searchParams.get("token");
    const done = await eu(p)("POST", "/auth/verify", { token });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ email: newEmail, email_verified: true });
    expect((await eu(p)("POST", "/auth/signin", { email: newEmail, password: "another good password" })).status).toBe(200);
  });

  it("deletes its own account with its data", async () => {
    const p = await portal();
    const u = await euSignUp(p);
    expect((await eu(p, u.accessToken)("DELETE", "/me")).status).toBe(204);
    expect(await db().select().from(endUsers).where(eq(endUsers.id, u.id)).get()).toBeUndefined();
    expect((await eu(p, u.accessToken)("GET", "/me")).status).toBe(401);
    expect((await eu(p)("POST", "/auth/refresh", { refresh_token: u.refreshToken })).status).toBe(401);
  });

  it("rate-limits sign-in attempts and code requests (429 with Retry-After)", async () => {
    const p = await portal();
    const ip = freshIp();
    const email = uniqueEmail("spam");
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await eu(p, undefined, ip)("POST", "/auth/code", { email })).status);
    expect(statuses.slice(0, 10).every((s) => s === 202)).toBe(true);
    expect(statuses.slice(10)).toEqual([429, 429]);
    // Per address too: another IP aimed at the same address is limited.
    const r = await eu(p, undefined, freshIp())("POST", "/auth/signin", { email, password: "guess guess" });
    expect(r.status).toBe(429);
    expect(r.res.headers.get("Retry-After")).toBe("60");
  });

  it("hands over a user signed by the workspace's server; forged, expired and long-lived tokens are refused", async () => {
    const p = await portal({ signup_policy: "invite" });
    const noSecret = await eu(p)("POST", "/auth/handover", {
      jwt: await handoverJwt("whs_x".padEnd(40, "x"), { sub: "u1", email: "a@b.co" }),
    });
    expect(noSecret.status).toBe(401);
    const secret = await handoverSecret(p);
    const email = uniqueEmail("handed");
    const ok = await eu(p)("POST", "/auth/handover", { jwt: await handoverJwt(secret, { sub: "crm-42", email, name: "Hana" }) });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(ok.body.end_user).toMatchObject({ email, name: "Hana", email_verified: true });
    // The same external user again: the same account.
    const again = await eu(p)("POST", "/auth/handover", { jwt: await handoverJwt(secret, { user_id: "crm-42", email }) });
    expect(again.body.end_user.id).toBe(ok.body.end_user.id);
    const forged = await eu(p)("POST", "/auth/handover", { jwt: await handoverJwt(`${secret}x`, { sub: "crm-42", email }) });
    const tooLong = await eu(p)("POST", "/auth/handover", { jwt: await handoverJwt(secret, { sub: "crm-42", email }, 3600) });
    const expired = await eu(p)("POST", "/auth/handover", { jwt: await handoverJwt(secret, { sub: "crm-42", email }, -10) });
    const noEmail = await eu(p)("POST", "/auth/handover", { jwt: await handoverJwt(secret, { sub: "crm-42" }) });
    expect([forged.status, tooLong.status, expired.status, noEmail.status]).toEqual([401, 401, 401, 401]);
    // Another workspace's portal does not accept this workspace's hand-over.
    const other = await portal();
    await handoverSecret(other);
    expect((await eu(other)("POST", "/auth/handover", { jwt: await handoverJwt(secret, { sub: "crm-42", email }) })).status).toBe(401);
  });

  it("a portal that is off does not exist for end users", async () => {
    const p = await portal({ enabled: false });
    expect((await eu(p)("GET", "")).status).toBe(404);
    expect((await eu(p)("POST", "/auth/code", { email: uniqueEmail() })).status).toBe(404);
    const on = await portal({}, p.owner);
    const u = await euSignUp(on);
    expect((await as(p.owner)("PUT", "/api/v1/end-users/portal-settings", { enabled: false })).status).toBe(200);
    expect((await eu(on, u.accessToken)("GET", "/me")).status).toBe(403);
  });
});
