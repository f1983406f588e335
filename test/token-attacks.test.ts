import { SignJWT } from "jose";
import { describe, expect, it, vi } from "vitest";
import { env } from "cloudflare:workers";
import { memberships } from "../schema/tenancy";
import { getDb } from "../workers/platform/db";
import { getConfig } from "../workers/platform/env";
import { callJson, signUp } from "./helpers";

const b64url = (obj: object) => btoa(JSON.stringify(obj)).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
const decode = (part: string) => JSON.parse(atob(part.replace(/-/g, "+").replace(/_/g, "/")));
// The key the Worker really uses (local default, or .dev.vars once `npm start` has created it).
const JWT_SECRET = () => getConfig(env).JWT_SECRET;
const members = (token: string, tenant: string) => callJson("/api/v1/members", { token, tenant });

async function forge(claims: Record<string, unknown>, secret: string, expSeconds: number) {
  return new SignJWT({ typ: "access", ...claims })
    .setProtectedHeader({ alg: "HS256" })
    .setIssuer("weft")
    .setAudience("weft:access")
    .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
    .setExpirationTime(Math.floor(Date.now() / 1000) + expSeconds)
    .sign(new TextEncoder().encode(secret));
}

describe("access token attacks", () => {
  it("accepts the genuine token (control)", async () => {
    const a = await signUp();
    expect((await members(a.accessToken, a.tenantId)).status).toBe(200);
  });

  it("refuses alg none", async () => {
    const a = await signUp();
    const [, payload] = a.accessToken.split(".");
    const none = `${b64url({ alg: "none", typ: "JWT" })}.${payload}.`;
    const res = await members(none, a.tenantId);
    expect(res.status).toBe(401);
    expect(res.body.type).toBe("https://weft.dev/problems/unauthorized");
  });

  it("refuses a token signed with the wrong key", async () => {
    const a = await signUp();
    const sid = decode(a.accessToken.split(".")[1]).sid;
    const forged = await forge({ sub: a.userId, sid }, "an-attacker-chosen-secret-that-is-long-enough", 600);
    expect((await members(forged, a.tenantId)).status).toBe(401);
  });

  it("refuses an expired token even with the right key", async () => {
    const a = await signUp();
    const sid = decode(a.accessToken.split(".")[1]).sid;
    const expired = await forge({ sub: a.userId, sid }, JWT_SECRET(), -60);
    expect((await members(expired, a.tenantId)).status).toBe(401);
    // Same key and claims but unexpired works: the failure above is the expiry, nothing else.
    const fresh = await forge({ sub: a.userId, sid }, JWT_SECRET(), 600);
    expect((await members(fresh, a.tenantId)).status).toBe(200);
  });

  it("refuses a token that was accepted (and cached as verified) once it expires", async () => {
    const a = await signUp();
    const sid = decode(a.accessToken.split(".")[1]).sid;
    const shortLived = await forge({ sub: a.userId, sid }, JWT_SECRET(), 2);
    expect((await members(shortLived, a.tenantId)).status).toBe(200);
    expect((await members(shortLived, a.tenantId)).status).toBe(200); // served from the verified-token cache
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 3000 });
    try {
      expect((await members(shortLived, a.tenantId)).status).toBe(401);
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses tampered claims (sub swapped to another user, signature kept)", async () => {
    const a = await signUp();
    const b = await signUp();
    const [h, p, sig] = a.accessToken.split(".");
    const tampered = `${h}.${b64url({ ...decode(p), sub: b.userId })}.${sig}`;
    expect((await members(tampered, b.tenantId)).status).toBe(401);
  });

  it("answers 404 for a token of tenant A's member used with X-Tenant-ID of B", async () => {
    const a = await signUp();
    const b = await signUp();
    const res = await members(a.accessToken, b.tenantId);
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.body)).not.toContain(b.email);
  });

  it("refuses the access token of a revoked session", async () => {
    const a = await signUp();
    const sessions = await callJson("/api/v1/me/sessions", { token: a.accessToken });
    const current = sessions.body.data.find((s: { current: boolean }) => s.current);
    // Workspace access just confirmed is kept for ACCESS_CACHE_MS; revoking must drop it at once.
    expect((await members(a.accessToken, a.tenantId)).status).toBe(200);
    expect((await callJson(`/api/v1/me/sessions/${current.id}`, { method: "DELETE", token: a.accessToken })).status).toBe(204);
    expect((await members(a.accessToken, a.tenantId)).status).toBe(401);
  });

  it("applies a role change and a removal at once, although access was just confirmed", async () => {
    const owner = await signUp();
    const admin = await signUp();
    await getDb(env.DB)
      .insert(memberships)
      .values({ tenantId: owner.tenantId, userId: admin.userId, role: "admin", createdAt: Date.now(), updatedAt: Date.now() });
    const auditLog = () => callJson("/api/v1/audit-logs", { token: admin.accessToken, tenant: owner.tenantId });
    expect((await auditLog()).status).toBe(200); // admin may read the audit log; now confirmed and kept
    const demote = await callJson(`/api/v1/members/${admin.userId}`, {
      method: "PATCH",
      token: owner.accessToken,
      tenant: owner.tenantId,
      body: { role: "viewer" },
    });
    expect(demote.status).toBe(200);
    expect((await auditLog()).status).toBe(403);
    expect((await members(admin.accessToken, owner.tenantId)).status).toBe(200);
    const remove = await callJson(`/api/v1/members/${admin.userId}`, {
      method: "DELETE",
      token: owner.accessToken,
      tenant: owner.tenantId,
    });
    expect(remove.status).toBe(204);
    expect((await members(admin.accessToken, owner.tenantId)).status).toBe(404);
  });

  it("refuses a rotated refresh token and then everything from that session", async () => {
    const a = await signUp();
    const first = await callJson("/api/v1/auth/refresh", { body: { refresh_token: a.refreshToken } });
    expect(first.status).toBe(200);
    expect((await callJson("/api/v1/auth/refresh", { body: { refresh_token: a.refreshToken } })).status).toBe(401);
    expect((await members(first.body.access_token, a.tenantId)).status).toBe(401);
  });

  it("refuses an MFA step token used as an access token", async () => {
    const a = await signUp();
    const mfaLike = await new SignJWT({ typ: "mfa", sub: a.userId })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("weft")
      .setAudience("weft:mfa")
      .setExpirationTime("5m")
      .sign(new TextEncoder().encode(JWT_SECRET()));
    expect((await members(mfaLike, a.tenantId)).status).toBe(401);
  });

  it("requires X-Tenant-ID for user tokens on workspace routes", async () => {
    const a = await signUp();
    const res = await callJson("/api/v1/members", { token: a.accessToken });
    expect(res.status).toBe(400);
    expect(res.body.detail).toContain("X-Tenant-ID");
  });
});
