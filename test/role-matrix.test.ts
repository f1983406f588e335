import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { memberships } from "../schema/tenancy";
import type { Role } from "../schema/tenancy";
import { getDb } from "../workers/platform/db";
import { isPermission, roleHas } from "../workers/platform/rbac";
import { call, signUp, type TestUser } from "./helpers";
import { fillPath, routeTable, type RouteInfo } from "./route-table";

const ROLES: Role[] = ["owner", "admin", "member", "viewer"];

/**
 * Each permission-guarded route, tried by each role. The access middleware runs before body
 * validation, so a request without a body answers 403 when the role lacks the permission and
 * something else (400 validation, 404 for the placeholder id, 2xx) when it has it.
 */
describe("role matrix", () => {
  let owner: TestUser;
  const actors = {} as Record<Role, TestUser>;
  let guarded: RouteInfo[] = [];

  beforeAll(async () => {
    owner = await signUp({ workspace: "Matrix" });
    actors.owner = owner;
    const db = getDb(env.DB);
    for (const role of ["admin", "member", "viewer"] as const) {
      const u = await signUp({ workspace: `${role}'s own` });
      // Fixture shortcut: put the user straight into the workspace with the role under test.
      await db
        .insert(memberships)
        .values({ tenantId: owner.tenantId, userId: u.userId, role, createdAt: Date.now(), updatedAt: Date.now() });
      actors[role] = u;
    }
    guarded = (await routeTable()).filter((r) => r.access === "tenant" && r.permission);
  });

  it("matches the written matrix in docs/permissions.md for the sensitive permissions", () => {
    // Pinned literally so an accidental edit of rbac.ts fails here, not only in the docs check.
    const spec: Record<string, Role[]> = {
      "members:invite": ["owner", "admin"],
      "members:update": ["owner", "admin"],
      "members:remove": ["owner", "admin"],
      "ownership:transfer": ["owner"],
      "api_keys:manage": ["owner", "admin"],
      "audit:read": ["owner", "admin"],
      "members:read": ["owner", "admin", "member", "viewer"],
    };
    for (const [perm, roles] of Object.entries(spec)) {
      expect(
        ROLES.filter((r) => roleHas(r, perm as never)),
        perm,
      ).toEqual(roles);
    }
  });

  it("covers the guarded routes and uses only known permissions", () => {
    expect(guarded.length).toBeGreaterThanOrEqual(10);
    for (const r of guarded) expect(isPermission(r.permission!), r.key).toBe(true);
  });

  for (const role of ROLES) {
    it(`enforces the matrix for ${role}`, async () => {
      const mismatches: string[] = [];
      for (const r of guarded) {
        const res = await call(fillPath(r.path), {
          method: r.method,
          token: actors[role].accessToken,
          tenant: owner.tenantId,
          ip: actors[role].ip,
        });
        const allowed = roleHas(role, r.permission as never);
        if (allowed === (res.status === 403))
          mismatches.push(`${r.key} (${r.permission}): ${res.status}, expected ${allowed ? "not 403" : "403"}`);
        if (res.status === 401 || res.status >= 500) mismatches.push(`${r.key}: unexpected ${res.status}`);
      }
      expect(mismatches).toEqual([]);
    });
  }

  it("enforces API key scopes the same way", async () => {
    const created = await call("/api/v1/api-keys", {
      token: owner.accessToken,
      tenant: owner.tenantId,
      body: { name: "matrix", scopes: ["members:read"] },
    });
    expect(created.status).toBe(201);
    const { secret } = (await created.json()) as { secret: string };
    const mismatches: string[] = [];
    for (const r of guarded) {
      const res = await call(fillPath(r.path), { method: r.method, token: secret });
      const allowed = r.permission === "members:read";
      if (allowed === (res.status === 403)) mismatches.push(`${r.key}: ${res.status}`);
    }
    expect(mismatches).toEqual([]);
  });
});
