import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { expect } from "vitest";
import { callJson, freshIp, signUp, uniqueEmail, waitForMail, type TestUser } from "../../../../test/helpers";

/** Shared fixtures of the end-user tests: a workspace with its portal on, and end users in it. */
export const as = (u: TestUser) => (method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: u.accessToken, tenant: u.tenantId, ip: u.ip, body });

export interface Portal {
  owner: TestUser;
  slug: string;
  base: string; // /public/v1/portal/<slug>
}

export async function portal(settings: Record<string, unknown> = {}, owner?: TestUser): Promise<Portal> {
  const o = owner ?? (await signUp({ workspace: "Portal Shop" }));
  const r = await as(o)("PUT", "/api/v1/end-users/portal-settings", { enabled: true, ...settings });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  const t = await as(o)("GET", "/api/v1/tenant");
  return { owner: o, slug: t.body.slug, base: `/public/v1/portal/${t.body.slug}` };
}

export interface EndUserSession {
  id: string;
  email: string;
  accessToken: string;
  refreshToken: string;
  ip: string;
}

export const PASSWORD = "end user password 123";

/** POST/GET on a portal endpoint as an end user (or anonymous). */
export const eu =
  (p: Portal, token?: string, ip = freshIp()) =>
  (method: string, path: string, body?: unknown) =>
    callJson(`${p.base}${path}`, { method, token, ip, body });

export async function euSignUp(p: Portal, email = uniqueEmail("eu"), name = "Erin End"): Promise<EndUserSession> {
  const ip = freshIp();
  const r = await eu(p, undefined, ip)("POST", "/auth/signup", { email, password: PASSWORD, name });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return { id: r.body.end_user.id, email, accessToken: r.body.access_token, refreshToken: r.body.refresh_token, ip };
}

/** The 6-digit code and the magic-link token of the newest sign-in email to `email`. */
export async function signInMail(email: string) {
  const mail = await waitForMail(email, "sign-in code");
  const code = /code (\d{6})/.exec(mail.text)?.[1];
  const token = new URL(/https?:\/\/\S+/.exec(mail.text)?.[0] ?? "http://x").searchParams.get("token");
  if (!code || !token) throw new Error(`no code or link in ${mail.text}`);
  return { code, token, mail };
}

export async function euByCode(p: Portal, email = uniqueEmail("eu")): Promise<EndUserSession> {
  const ip = freshIp();
  const req = await eu(p, undefined, ip)("POST", "/auth/code", { email });
  expect(req.status).toBe(202);
  const { code } = await signInMail(email);
  const r = await eu(p, undefined, ip)("POST", "/auth/code/verify", { email, code });
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  return { id: r.body.end_user.id, email, accessToken: r.body.access_token, refreshToken: r.body.refresh_token, ip };
}

export async function handoverSecret(p: Portal): Promise<string> {
  const r = await as(p.owner)("POST", "/api/v1/end-users/portal-settings/handover-secret");
  expect(r.status).toBe(201);
  return r.body.secret as string;
}

export async function handoverJwt(secret: string, claims: Record<string, unknown>, ttlSeconds = 300) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt(now)
    .setExpirationTime(now + ttlSeconds)
    .sign(new TextEncoder().encode(secret));
}

export { env };
