import { OpenAPIHono, z } from "@hono/zod-openapi";
import { createExecutionContext } from "cloudflare:test";
import { SignJWT } from "jose";
import { describe, expect, it, vi } from "vitest";
import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { sessions } from "../schema/identity";
import { memberships } from "../schema/tenancy";
import { workspaceSecurityPolicies } from "../schema/tenancy-security";
import { forgetAccess, tenantRead } from "../workers/platform/auth";
import type { AppEnv } from "../workers/platform/context";
import { getDb } from "../workers/platform/db";
import { membersPage } from "../workers/platform/directory";
import { getConfig } from "../workers/platform/env";
import { handleError } from "../workers/platform/errors";
import { createRouter, defineRoute, jsonResponse } from "../workers/platform/router";
import { BASE, callJson, signUp } from "./helpers";

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

/**
 * `batchAccess` routes (platform/auth.ts): without a fresh confirmation in this isolate, the caller's
 * access is looked up in the same D1 batch as the route's first read (tenantRead) and checked before
 * the rows are used. GET /members is one; a test router adds one with a permission not every role has
 * and one whose handler forgets tenantRead. Each user here is new, so their first request takes that
 * path (no confirmation kept yet).
 */
describe("access checked with the route's first read (batchAccess)", () => {
  const probeApp = () => {
    const r = createRouter();
    const ok = { 200: jsonResponse(z.object({ members: z.number() }), "ok") };
    r.openapi(
      defineRoute({ auth: "tenant", permission: "audit:read", batchAccess: true }, { method: "get", path: "/probe", responses: ok }),
      async (c) => {
        const page = await tenantRead(c, (tenantId) => membersPage(getDb(c.env.DB), tenantId, { limit: 10 }));
        return c.json({ members: page.data.length }, 200);
      },
    );
    r.openapi(defineRoute({ auth: "tenant", batchAccess: true }, { method: "get", path: "/forgot", responses: ok }), (c) =>
      c.json({ members: 0 }, 200),
    );
    const app = new OpenAPIHono<AppEnv>();
    app.onError(handleError);
    app.route("/", r);
    return (path: string, token: string, tenant: string) =>
      app.fetch(
        new Request(BASE + path, {
          headers: { Authorization: `Bearer ${token}`, "X-Tenant-ID": tenant, "CF-Connecting-IP": "10.254.0.1" },
        }),
        env,
        createExecutionContext(),
      );
  };
  const addMember = (tenantId: string, userId: string, role: "admin" | "member" | "viewer") =>
    getDb(env.DB).insert(memberships).values({ tenantId, userId, role, createdAt: Date.now(), updatedAt: Date.now() });

  it("GET /members: the member's page on the first request; another workspace's id gets 404 and none of its rows", async () => {
    const a = await signUp();
    const b = await signUp();
    const own = await members(a.accessToken, a.tenantId);
    expect(own.status).toBe(200);
    expect(own.body.data.map((m: { email: string }) => m.email)).toEqual([a.email]);
    const other = await members(b.accessToken, a.tenantId);
    expect(other.status).toBe(404);
    expect(JSON.stringify(other.body)).not.toContain(a.email);
  });

  it("a caller without access gets 401 / 404 even when the query is invalid (not 400 from the handler's validation)", async () => {
    const a = await signUp();
    const b = await signUp();
    const bad = (token: string, tenant: string) => callJson("/api/v1/members?limit=100000", { token, tenant });
    expect((await bad(b.accessToken, a.tenantId)).status).toBe(404);
    const sessionsList = await callJson("/api/v1/me/sessions", { token: a.accessToken });
    const current = sessionsList.body.data.find((s: { current: boolean }) => s.current);
    expect((await callJson(`/api/v1/me/sessions/${current.id}`, { method: "DELETE", token: a.accessToken })).status).toBe(204);
    expect((await bad(a.accessToken, a.tenantId)).status).toBe(401);
    expect((await members(a.accessToken, a.tenantId)).status).toBe(401);
    // A member with an invalid query: the validation answer.
    const c = await signUp();
    expect((await bad(c.accessToken, c.tenantId)).status).toBe(400);
  });

  it("refuses a revoked session that was never confirmed in this isolate", async () => {
    const a = await signUp();
    const sessionsList = await callJson("/api/v1/me/sessions", { token: a.accessToken });
    const current = sessionsList.body.data.find((s: { current: boolean }) => s.current);
    expect((await callJson(`/api/v1/me/sessions/${current.id}`, { method: "DELETE", token: a.accessToken })).status).toBe(204);
    expect((await members(a.accessToken, a.tenantId)).status).toBe(401);
  });

  it("applies the role's permission: a viewer gets 403, an admin the rows, on the first request and once confirmed", async () => {
    const probe = probeApp();
    const owner = await signUp();
    const viewer = await signUp();
    const admin = await signUp();
    await addMember(owner.tenantId, viewer.userId, "viewer");
    await addMember(owner.tenantId, admin.userId, "admin");
    for (let i = 0; i < 2; i++) {
      const v = await probe("/probe", viewer.accessToken, owner.tenantId);
      expect(v.status).toBe(403);
      expect(await v.text()).not.toContain("members");
      const ad = await probe("/probe", admin.accessToken, owner.tenantId);
      expect(ad.status).toBe(200);
      expect(await ad.json()).toEqual({ members: 3 });
    }
  });

  it("applies the workspace's security policy (MFA required, session lifetime)", async () => {
    const owner = await signUp();
    const member = await signUp();
    await addMember(owner.tenantId, member.userId, "member");
    const db = getDb(env.DB);
    await db.insert(workspaceSecurityPolicies).values({
      tenantId: owner.tenantId,
      mfaRequired: true,
      sessionMaxAgeMs: 3_600_000,
      apiKeysAllowed: true,
      updatedBy: owner.userId,
      createdAt: Date.now(),
      updatedAt: Date.now(),
    });
    const mfa = await members(member.accessToken, owner.tenantId);
    expect(mfa.status).toBe(403);
    expect(mfa.body.type).toBe("https://weft.dev/problems/mfa-required");
    await db.update(workspaceSecurityPolicies).set({ mfaRequired: false }).where(eq(workspaceSecurityPolicies.tenantId, owner.tenantId));
    await db
      .update(sessions)
      .set({ createdAt: Date.now() - 2 * 3_600_000 })
      .where(and(eq(sessions.userId, member.userId)));
    forgetAccess(member.userId);
    const old = await members(member.accessToken, owner.tenantId);
    expect(old.status).toBe(401);
    expect(old.body.type).toBe("https://weft.dev/problems/session-expired-for-workspace");
  });

  it("a batchAccess handler that answers without tenantRead is a 500, never an unchecked 200", async () => {
    const probe = probeApp();
    const owner = await signUp();
    const stranger = await signUp();
    expect((await probe("/forgot", stranger.accessToken, owner.tenantId)).status).toBe(404);
    expect((await probe("/forgot", owner.accessToken, owner.tenantId)).status).toBe(500);
  });
});
