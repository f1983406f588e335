import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { memberships, publishableKeys } from "../../../../schema/tenancy";
import { getDb } from "../../../platform/db";
import { normalizeAllowedOrigin, originAllowed, resolvePublishableKey } from "../../../platform/publishable-keys";
import { call, callJson, signUp, type TestUser } from "../../../../test/helpers";

const db = () => getDb(env.DB);
const as = (u: TestUser, tenant = u.tenantId) => ({ token: u.accessToken, tenant, ip: u.ip });

describe("allowed origin rules", () => {
  it("accepts exact origins and a leading *. wildcard, normalized", () => {
    expect(normalizeAllowedOrigin("https://shop.example.com")).toBe("https://shop.example.com");
    expect(normalizeAllowedOrigin("http://localhost:3000")).toBe("http://localhost:3000");
    expect(normalizeAllowedOrigin("HTTPS://Shop.Example.COM:443")).toBe("https://shop.example.com");
    expect(normalizeAllowedOrigin("https://*.example.com")).toBe("https://*.example.com");
    expect(normalizeAllowedOrigin("http://127.0.0.1:8080")).toBe("http://127.0.0.1:8080");
  });

  it("refuses paths, queries, credentials, other schemes and other wildcards", () => {
    for (const bad of [
      "https://shop.example.com/",
      "https://shop.example.com/path",
      "https://shop.example.com?x=1",
      "https://user@shop.example.com",
      "ftp://shop.example.com",
      "shop.example.com",
      "*",
      "https://*",
      "https://*.com",
      "https://shop.*.com",
      "https://*shop.example.com",
      "https://shop.example.com:0",
      "https://shop.example.com:70000",
      "https://-bad.example.com",
      "",
    ]) {
      expect(normalizeAllowedOrigin(bad), bad).toBeNull();
    }
  });

  it("matches exact origins, subdomains for wildcards, and never a missing or opaque origin", () => {
    const list = ["https://shop.example.com", "https://*.brand.io", "http://localhost:3000"];
    expect(originAllowed(list, "https://shop.example.com")).toBe(true);
    expect(originAllowed(list, "https://shop.example.com:443")).toBe(true);
    expect(originAllowed(list, "http://shop.example.com")).toBe(false); // scheme matters
    expect(originAllowed(list, "https://evil.example.com")).toBe(false);
    expect(originAllowed(list, "https://shop.example.com.evil.net")).toBe(false);
    expect(originAllowed(list, "https://a.brand.io")).toBe(true);
    expect(originAllowed(list, "https://a.b.brand.io")).toBe(true);
    expect(originAllowed(list, "https://brand.io")).toBe(false); // the wildcard covers subdomains only
    expect(originAllowed(list, "https://notbrand.io")).toBe(false);
    expect(originAllowed(list, "http://localhost:3000")).toBe(true);
    expect(originAllowed(list, "http://localhost:3001")).toBe(false);
    expect(originAllowed(list, null)).toBe(false);
    expect(originAllowed(list, "null")).toBe(false);
    expect(originAllowed(list, "https://*.brand.io")).toBe(false);
  });
});

describe("publishable keys", () => {
  it("create → resolve only from allowed origins → edit origins → revoke", async () => {
    const owner = await signUp();
    const created = await callJson("/api/v1/publishable-keys", {
      ...as(owner),
      body: { name: "Storefront", allowed_origins: ["https://Shop.Example.com", "https://*.example.org", "https://shop.example.com"] },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Storefront",
      key: expect.stringMatching(/^pk_live_[0-9a-z]{52}$/),
      allowed_origins: ["https://shop.example.com", "https://*.example.org"],
      created_by: owner.userId,
      revoked_at: null,
    });
    const { id, key } = created.body;
    // Stored in plaintext: public by design.
    expect((await db().select().from(publishableKeys).where(eq(publishableKeys.id, id)).get())!.key).toBe(key);

    expect(await resolvePublishableKey(db(), key, "https://shop.example.com")).toEqual({ tenantId: owner.tenantId, keyId: id });
    expect(await resolvePublishableKey(db(), key, "https://www.example.org")).toEqual({ tenantId: owner.tenantId, keyId: id });
    expect(await resolvePublishableKey(db(), key, "https://evil.example.com")).toBeNull();
    expect(await resolvePublishableKey(db(), key, null)).toBeNull();
    expect(await resolvePublishableKey(db(), "pk_live_doesnotexist", "https://shop.example.com")).toBeNull();

    const patched = await callJson(`/api/v1/publishable-keys/${id}`, {
      ...as(owner),
      method: "PATCH",
      body: { allowed_origins: ["http://localhost:3000"] },
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ name: "Storefront", allowed_origins: ["http://localhost:3000"] });
    expect(await resolvePublishableKey(db(), key, "https://shop.example.com")).toBeNull();
    expect(await resolvePublishableKey(db(), key, "http://localhost:3000")).not.toBeNull();

    const renamed = await callJson(`/api/v1/publishable-keys/${id}`, { ...as(owner), method: "PATCH", body: { name: "Shop" } });
    expect(renamed.body).toMatchObject({ name: "Shop", allowed_origins: ["http://localhost:3000"] });

    expect((await call(`/api/v1/publishable-keys/${id}`, { ...as(owner), method: "DELETE" })).status).toBe(204);
    expect(await resolvePublishableKey(db(), key, "http://localhost:3000")).toBeNull();
    const list = await callJson("/api/v1/publishable-keys", as(owner));
    expect(list.body.data).toEqual([expect.objectContaining({ id, revoked_at: expect.any(String) })]);
  });

  it("validates origins with field paths and enforces the 50-origin limit", async () => {
    const owner = await signUp();
    const bad = await callJson("/api/v1/publishable-keys", {
      ...as(owner),
      body: { name: "x", allowed_origins: ["https://ok.example.com", "https://bad.example.com/path"] },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ path: "allowed_origins.1", message: expect.stringContaining("no path") }]);
    const tooMany = Array.from({ length: 51 }, (_, i) => `https://s${i}.example.com`);
    expect((await callJson("/api/v1/publishable-keys", { ...as(owner), body: { name: "x", allowed_origins: tooMany } })).status).toBe(400);
    expect(
      (await callJson("/api/v1/publishable-keys", { ...as(owner), body: { name: "x", allowed_origins: tooMany.slice(0, 50) } })).status,
    ).toBe(201);
    expect((await callJson("/api/v1/publishable-keys", { ...as(owner), body: { name: "x", allowed_origins: [] } })).status).toBe(400);
  });

  it("members may list but not manage; other workspaces' keys are 404", async () => {
    const owner = await signUp();
    const member = await signUp();
    await db()
      .insert(memberships)
      .values({ tenantId: owner.tenantId, userId: member.userId, role: "member", createdAt: Date.now(), updatedAt: Date.now() });
    const { body } = await callJson("/api/v1/publishable-keys", {
      ...as(owner),
      body: { name: "k", allowed_origins: ["https://a.example.com"] },
    });
    expect((await callJson("/api/v1/publishable-keys", as(member, owner.tenantId))).body.data).toHaveLength(1);
    expect(
      (
        await callJson("/api/v1/publishable-keys", {
          ...as(member, owner.tenantId),
          body: { name: "k", allowed_origins: ["https://a.example.com"] },
        })
      ).status,
    ).toBe(403);

    const other = await signUp();
    expect((await call(`/api/v1/publishable-keys/${body.id}`, { ...as(other), method: "PATCH", body: { name: "stolen" } })).status).toBe(
      404,
    );
    expect((await call(`/api/v1/publishable-keys/${body.id}`, { ...as(other), method: "DELETE" })).status).toBe(404);
    expect((await callJson("/api/v1/publishable-keys", as(other))).body.data).toEqual([]);
    expect(await db().select().from(publishableKeys).where(eq(publishableKeys.id, body.id)).get()).toMatchObject({
      name: "k",
      revokedAt: null,
    });
  });
});
