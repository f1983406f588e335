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
