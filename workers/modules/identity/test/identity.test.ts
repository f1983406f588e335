import { TOTP } from "otpauth";
import { describe, expect, it } from "vitest";
import { callJson, freshIp, PASSWORD, signUp, tokenFromMail, uniqueEmail, waitForMail } from "../../../../test/helpers";

const login = (email: string, password: string, ip = freshIp()) => callJson("/api/v1/auth/login", { ip, body: { email, password } });

describe("sign-up and email verification", () => {
  it("creates the user, a workspace they own, and sends a verification email whose link verifies once", async () => {
    const u = await signUp({ workspace: "Acme Rockets" });
    const me = await callJson("/api/v1/me", { token: u.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.user).toMatchObject({ email: u.email, email_verified: false, mfa_enabled: false });
    expect(me.body.memberships).toEqual([
      {
        tenant: expect.objectContaining({ id: u.tenantId, name: "Acme Rockets", slug: expect.stringMatching(/^acme-rockets/) }),
        role: "owner",
      },
    ]);

    const mail = await waitForMail(u.email, "Confirm your email");
    expect(mail.text).toContain("/verify-email?token=");
    const token = tokenFromMail(mail);
    const verified = await callJson("/api/v1/auth/verify-email", { body: { token } });
    expect(verified.status).toBe(200);
    expect(verified.body.email_verified).toBe(true);
    const again = await callJson("/api/v1/auth/verify-email", { body: { token } });
    expect(again.status).toBe(410);
  });

  it("refuses a duplicate email and invalid input with problem+json naming the fields", async () => {
    const u = await signUp();
    const dup = await callJson("/api/v1/auth/signup", {
      ip: freshIp(),
      body: { email: u.email.toUpperCase(), password: PASSWORD, name: "X" },
    });
    expect(dup.status).toBe(409);
    expect(dup.res.headers.get("content-type")).toContain("application/problem+json");
    const bad = await callJson("/api/v1/auth/signup", { ip: freshIp(), body: { email: "not-an-email", password: "short", name: "" } });
    expect(bad.status).toBe(400);
    expect(bad.body.type).toBe("https://weft.dev/problems/validation-failed");
    expect(bad.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["email", "name", "password"]);
    const malformed = await callJson("/api/v1/auth/login", {
      ip: freshIp(),
      headers: { "Content-Type": "application/json" },
      method: "POST",
    });
    expect(malformed.status).toBe(400);
  });
});

describe("login", () => {
  it("gives the same answer for a wrong password and an unknown email", async () => {
    const u = await signUp();
    const wrong = await login(u.email, "wrong password 123");
    const unknown = await login(uniqueEmail("ghost"), "wrong password 123");
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.detail).toBe(unknown.body.detail);
    expect(wrong.body.type).toBe(unknown.body.type);
    const ok = await login(u.email, PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.body.access_token).toBeTruthy();
  });

  it("rate-limits attempts on one account with 429 and Retry-After", async () => {
    const u = await signUp();
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 12; i++) {
      const r = await login(u.email, "wrong password 123"); // a new IP each time: the account budget trips
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.res.headers.get("Retry-After");
    }
    expect(statuses.slice(0, 10).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    expect(Number(retryAfter)).toBeGreaterThan(0);
  });
});

describe("refresh rotation", () => {
  it("rotates on every use; replaying a rotated token revokes the whole family", async () => {
    const u = await signUp();
    const r1 = await callJson("/api/v1/auth/refresh", { body: { refresh_token: u.refreshToken } });
    expect(r1.status).toBe(200);
    expect(r1.body.refresh_token).not.toBe(u.refreshToken);
    const r2 = await callJson("/api/v1/auth/refresh", { body: { refresh_token: r1.body.refresh_token } });
    expect(r2.status).toBe(200);

    const replay = await callJson("/api/v1/auth/refresh", { body: { refresh_token: u.refreshToken } });
    expect(replay.status).toBe(401);
    // The newest token of the family and its access token are dead too.
    expect((await callJson("/api/v1/auth/refresh", { body: { refresh_token: r2.body.refresh_token } })).status).toBe(401);
    expect((await callJson("/api/v1/me", { token: r2.body.access_token })).status).toBe(401);
  });

  it("logout ends the session", async () => {
    const u = await signUp();
    expect((await callJson("/api/v1/auth/logout", { method: "POST", token: u.accessToken })).status).toBe(204);
    expect((await callJson("/api/v1/me", { token: u.accessToken })).status).toBe(401);
    expect((await callJson("/api/v1/auth/refresh", { body: { refresh_token: u.refreshToken } })).status).toBe(401);
  });
});

describe("sessions", () => {
  it("lists active sessions, marks the current one, and revokes another", async () => {
    const u = await signUp();
    const second = await login(u.email, PASSWORD);
    const list = await callJson("/api/v1/me/sessions", { token: u.accessToken });
    expect(list.body.data).toHaveLength(2);
    expect(list.body.data.filter((s: { current: boolean }) => s.current)).toHaveLength(1);
    const other = list.body.data.find((s: { current: boolean }) => !s.current);
    expect((await callJson(`/api/v1/me/sessions/${other.id}`, { method: "DELETE", token: u.accessToken })).status).toBe(204);
    expect((await callJson("/api/v1/me", { token: second.body.access_token })).status).toBe(401);
    expect((await callJson(`/api/v1/me/sessions/${other.id}`, { method: "DELETE", token: u.accessToken })).status).toBe(404);
  });

  it("cannot revoke another user's session", async () => {
    const a = await signUp();
    const b = await signUp();
    const bSessions = await callJson("/api/v1/me/sessions", { token: b.accessToken });
    const res = await callJson(`/api/v1/me/sessions/${bSessions.body.data[0].id}`, { method: "DELETE", token: a.accessToken });
    expect(res.status).toBe(404);
    expect((await callJson("/api/v1/me", { token: b.accessToken })).status).toBe(200);
  });
});

describe("passwords", () => {
  it("resets via an emailed single-use link and signs out every session", async () => {
    const u = await signUp();
    const forgot = await callJson("/api/v1/auth/password/forgot", { ip: freshIp(), body: { email: u.email } });
    expect(forgot.status).toBe(202);
    const ghost = await callJson("/api/v1/auth/password/forgot", { ip: freshIp(), body: { email: uniqueEmail("ghost") } });
    expect(ghost.status).toBe(202);
    expect(ghost.body).toEqual(forgot.body);

    const token = tokenFromMail(await waitForMail(u.email, "Reset your Weft password"));
    const newPassword = "a brand new passphrase";
    expect((await callJson("/api/v1/auth/password/reset", { body: { token, password: newPassword } })).status).toBe(200);
    expect((await callJson("/api/v1/auth/password/reset", { body: { token, password: "another passphrase!" } })).status).toBe(410);
    expect((await callJson("/api/v1/me", { token: u.accessToken })).status).toBe(401);
    expect((await login(u.email, PASSWORD)).status).toBe(401);
    expect((await login(u.email, newPassword)).status).toBe(200);
  });

  it("changes the password with the current one and keeps only this session", async () => {
    const u = await signUp();
    const other = await login(u.email, PASSWORD);
    const wrong = await callJson("/api/v1/me/password", {
      token: u.accessToken,
      body: { current_password: "nope nope nope", new_password: "fresh passphrase 1" },
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.errors[0].path).toBe("current_password");
    expect(
      (
        await callJson("/api/v1/me/password", {
          token: u.accessToken,
          body: { current_password: PASSWORD, new_password: "fresh passphrase 1" },
        })
      ).status,
    ).toBe(204);
    expect((await callJson("/api/v1/me", { token: u.accessToken })).status).toBe(200);
    expect((await callJson("/api/v1/me", { token: other.body.access_token })).status).toBe(401);
    await waitForMail(u.email, "password was changed");
  });
});

describe("TOTP MFA", () => {
  it("enrols, then requires a code at login; codes are single-use; recovery codes work once", async () => {
    const u = await signUp();
    const enroll = await callJson("/api/v1/me/mfa/enroll", { method: "POST", token: u.accessToken });
    expect(enroll.status).toBe(200);
    expect(enroll.body.otpauth_uri).toMatch(/^otpauth:\/\/totp\/Weft:/);
    const totp = new TOTP({ secret: enroll.body.secret, digits: 6, period: 30 });
    const code = totp.generate();
    expect(
      (await callJson("/api/v1/me/mfa/confirm", { token: u.accessToken, body: { code: "000000" === code ? "111111" : "000000" } })).status,
    ).toBe(400);
    const confirm = await callJson("/api/v1/me/mfa/confirm", { token: u.accessToken, body: { code } });
    expect(confirm.status).toBe(200);
    expect(confirm.body.recovery_codes).toHaveLength(10);

    const step1 = await login(u.email, PASSWORD);
    expect(step1.body).toMatchObject({ mfa_required: true });
    expect(step1.body.access_token).toBeUndefined();
    // The code used for confirmation cannot be replayed.
    const replay = await callJson("/api/v1/auth/login/mfa", { ip: freshIp(), body: { mfa_token: step1.body.mfa_token, code } });
    expect(replay.status).toBe(401);

    const recovery = confirm.body.recovery_codes[0];
    const viaRecovery = await callJson("/api/v1/auth/login/mfa", {
      ip: freshIp(),
      body: { mfa_token: step1.body.mfa_token, recovery_code: recovery },
    });
    expect(viaRecovery.status).toBe(200);
    expect(viaRecovery.body.access_token).toBeTruthy();
    const reused = await callJson("/api/v1/auth/login/mfa", {
      ip: freshIp(),
      body: { mfa_token: step1.body.mfa_token, recovery_code: recovery },
    });
    expect(reused.status).toBe(401);

    const status = await callJson("/api/v1/me/mfa", { token: u.accessToken });
    expect(status.body).toEqual({ enabled: true, recovery_codes_remaining: 9 });
    const events = await callJson("/api/v1/me/security-events", { token: u.accessToken });
    const actions = events.body.data.map((e: { action: string }) => e.action);
    expect(actions).toEqual(expect.arrayContaining(["mfa.enabled", "mfa.recovery_code_used", "auth.mfa_failed", "auth.signup"]));
  });

  it("refuses a forged or expired MFA step token", async () => {
    const res = await callJson("/api/v1/auth/login/mfa", {
      ip: freshIp(),
      body: { mfa_token: "eyJhbGciOiJIUzI1NiJ9.e30.x", code: "123456" },
    });
    expect(res.status).toBe(401);
  });
});
