import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { call, signUp } from "./helpers";

// The per-workspace budget (RL_TENANT, 3000 requests / 10 s in wrangler.toml) is shared by every
// member and API key of a workspace. This file's runtime gets a smaller budget (vitest.config.ts,
// RL_TENANT_LIMIT) so that spending it fits one window on a loaded machine. The test spends it through
// the real limiter binding under the same key the access middleware uses (the tenant id), then checks
// that the next workspace request is refused and another workspace is not.
const budget = Number((env as unknown as { RL_TENANT_LIMIT?: number }).RL_TENANT_LIMIT ?? 3000);

describe("per-workspace rate limit", () => {
  it("answers 429 problem+json with Retry-After once a workspace spends its budget", async () => {
    const a = await signUp({ workspace: "Busy Co" });
    const b = await signUp({ workspace: "Quiet Co" });
    expect((await call("/api/v1/members", { token: a.accessToken, tenant: a.tenantId, ip: a.ip })).status).toBe(200);

    // Windows are aligned to the wall clock: start just after a boundary so the spend and the
    // check land in the same window; on a machine so busy that they still do not (seen at load 17),
    // spend the next window's budget and check again.
    let limited: Response | null = null;
    for (let attempt = 0; attempt < 3; attempt++) {
      await new Promise((r) => setTimeout(r, 10_000 - (Date.now() % 10_000) + 50));
      const window = Math.floor(Date.now() / 10_000);
      for (let spent = 0; spent < budget; spent += 100) {
        await Promise.all(Array.from({ length: 100 }, () => env.RL_TENANT.limit({ key: a.tenantId })));
      }
      limited = await call("/api/v1/members", { token: a.accessToken, tenant: a.tenantId, ip: a.ip });
      if (Math.floor(Date.now() / 10_000) === window) break;
    }
    if (!limited) throw new Error("unreachable");
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe("10");
    expect(limited.headers.get("content-type")).toContain("application/problem+json");
    expect(await limited.json()).toMatchObject({ status: 429 });

    // The budget is per workspace: another tenant is unaffected.
    expect((await call("/api/v1/members", { token: b.accessToken, tenant: b.tenantId, ip: b.ip })).status).toBe(200);
  });
});
