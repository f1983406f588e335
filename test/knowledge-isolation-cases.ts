import { expect } from "vitest";
import { callJson, type TestUser } from "./helpers";
import { upload } from "./knowledge-helpers";

/**
 * Tenant-isolation cases for the knowledge and AI routes, spread into CASES in
 * tenant-isolation.test.ts. A gets an FAQ source (created once, lazily); B tries it through B's
 * own workspace and must get 404 or only B's data.
 */
interface AB { a: TestUser; b: TestUser }
type Case = (w: AB) => Promise<void>;
const MARK = "Quokkaberry";

let fixture: Promise<{ source: string }> | null = null;
export function aKnowledge(w: AB) {
  fixture ??= (async () => {
    const r = await callJson("/api/v1/knowledge/sources/faq", { method: "POST", token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip, body: { question: `What is ${MARK}?`, answer: `${MARK} is A's secret recipe.` } });
    expect(r.status).toBe(201);
    return { source: r.body.id as string };
  })();
  return fixture;
}
const asB = (w: AB, method: string, path: string, body?: unknown) => callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const src404 = (method: string, suffix: string, body?: unknown): Case => async (w) => {
  const { source } = await aKnowledge(w);
  const r = await asB(w, method, `/api/v1/knowledge/sources/${source}${suffix}`, body);
  expect(r.status, `${method} ${suffix}`).toBe(404);
};

export const KNOWLEDGE_CASES: Record<string, Case> = {
  "GET /api/v1/knowledge/sources": async (w) => {
    const { source } = await aKnowledge(w);
    const r = await asB(w, "GET", "/api/v1/knowledge/sources?limit=100");
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain(source);
  },
  "POST /api/v1/knowledge/sources/files": async (w) => {
    expect((await upload(w.b, "b.md", "# B notes\n\nB's own text.", "text/markdown")).status).toBe(201);
  },
  "POST /api/v1/knowledge/sources/faq": async (w) => {
    expect((await asB(w, "POST", "/api/v1/knowledge/sources/faq", { question: `What is ${MARK}?`, answer: "B's unrelated answer." })).status).toBe(201);
  },
  "POST /api/v1/knowledge/sources/url": async (w) => {
    // No network here: a clear 422, never A's data.
    expect((await asB(w, "POST", "/api/v1/knowledge/sources/url", { url: "http://127.0.0.1:9/" })).status).toBe(422);
  },
  "GET /api/v1/knowledge/sources/{id}": src404("GET", ""),
  "GET /api/v1/knowledge/sources/{id}/original": src404("GET", "/original"),
  "GET /api/v1/knowledge/sources/{id}/chunks": src404("GET", "/chunks"),
  "PATCH /api/v1/knowledge/sources/{id}": src404("PATCH", "", { title: "taken over" }),
  "POST /api/v1/knowledge/sources/{id}/reindex": src404("POST", "/reindex"),
  "DELETE /api/v1/knowledge/sources/{id}": src404("DELETE", ""),
  "GET /api/v1/knowledge/index": async (w) => {
    const r = await asB(w, "GET", "/api/v1/knowledge/index");
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body.collections)).not.toContain("default\",\"sources\":1"); // B's own counts only
  },
  "POST /api/v1/knowledge/index/rebuild": async (w) => {
    expect((await asB(w, "POST", "/api/v1/knowledge/index/rebuild")).status).toBe(202);
  },
  "POST /api/v1/knowledge/search": async (w) => {
    const { source } = await aKnowledge(w);
    const r = await asB(w, "POST", "/api/v1/knowledge/search", { query: `${MARK} secret recipe` });
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain(source);
    expect(JSON.stringify(r.body)).not.toContain("secret recipe");
  },
};
