import { exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";

describe("platform", () => {
  it("answers /api/health", async () => {
    const res = await exports.default.fetch("http://weft.test/api/health");
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: "ok" });
  });
  it("answers unknown API routes with problem+json 404", async () => {
    const res = await exports.default.fetch("http://weft.test/api/v1/nope");
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(await res.json()).toMatchObject({ type: "https://weft.dev/problems/not-found", status: 404 });
  });
  it("serves the OpenAPI 3.1 document", async () => {
    const res = await exports.default.fetch("http://weft.test/api/v1/openapi.json");
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/api/health");
  });
});

describe("rate limits and observability", () => {
  it("limits one client IP with 429 problem+json and Retry-After", async () => {
    // The limiter's windows are aligned to the wall clock (10 s). Start right after a boundary and
    // send the whole budget concurrently; on a machine so busy that the burst still straddles two
    // windows (seen at load 17), try again in a fresh window from a fresh IP.
    let responses: Response[] = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const ip = `192.0.2.${77 + 10 * attempt}`;
      await new Promise((r) => setTimeout(r, 10_000 - (Date.now() % 10_000) + 50));
      const window = Math.floor(Date.now() / 10_000);
      responses = await Promise.all(
        Array.from({ length: 650 }, () => exports.default.fetch("http://weft.test/api/health", { headers: { "CF-Connecting-IP": ip } })),
      );
      if (Math.floor(Date.now() / 10_000) === window) break;
    }
    const limited = responses.find((r) => r.status === 429) ?? null;
    expect(responses.filter((r) => r.status === 200).length).toBeLessThanOrEqual(600);
    expect(limited).not.toBeNull();
    expect(limited!.headers.get("Retry-After")).toBe("10");
    expect(limited!.headers.get("content-type")).toContain("application/problem+json");
    // Another client is unaffected.
    const other = await exports.default.fetch("http://weft.test/api/health", { headers: { "CF-Connecting-IP": "192.0.2.78" } });
    expect(other.status).toBe(200);
  });

  it("tags every response with a request id and serves the API reference page", async () => {
    const res = await exports.default.fetch("http://weft.test/api/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("X-Request-ID")).toMatch(/^req_/);
    expect(await res.text()).toContain("/api/v1/openapi.json");
  });
});
