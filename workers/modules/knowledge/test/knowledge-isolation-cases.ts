import { expect } from "vitest";
import { callJson, type TestUser } from "../../../../test/helpers";
import { upload } from "./knowledge-helpers";

/**
 * Tenant-isolation cases for the knowledge and AI routes, spread into CASES in
 * tenant-isolation.test.ts. A gets an FAQ source (created once, lazily); B tries it through B's
 * own workspace and must get 404 or only B's data.
 */
interface AB {
  a: TestUser;
  b: TestUser;
}
type Case = (w: AB) => Promise<void>;
const MARK = "Quokkaberry";

let fixture: Promise<{ source: string; call: string }> | null = null;
export function aKnowledge(w: AB) {
  fixture ??= (async () => {
    const asA = (method: string, path: string, body?: unknown) =>
      callJson(path, { method, token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip, body });
    const r = await asA("POST", "/api/v1/knowledge/sources/faq", { question: `What is ${MARK}?`, answer: `${MARK} is A's secret recipe.` });
    const key = await asA("PUT", "/api/v1/ai/keys/openai", { api_key: "sk-a-secret-XYZW" });
    const settings = await asA("PUT", "/api/v1/ai/settings", {
      chain: [{ provider: "local", model: "extractive-v1" }],
      temperature: 0.3,
      max_output_tokens: 200,
      persona: "A-persona-text",
      redact_pii: false,
      timeout_ms: 9000,
    });
    const ask = await asA("POST", "/api/v1/ai/ask", { question: "anything at all?", stream: false });
    expect([r.status, key.status, settings.status, ask.status]).toEqual([201, 200, 200, 200]);
    return { source: r.body.id as string, call: ask.body.call_id as string };
  })();
  return fixture;
}
const asB = (w: AB, method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: w.b.accessToken, tenant: w.b.tenantId, body, ip: w.b.ip });
const src404 =
  (method: string, suffix: string, body?: unknown): Case =>
  async (w) => {
    const { source } = await aKnowledge(w);
    const r = await asB(w, method, `/api/v1/knowledge/sources/${source}${suffix}`, body);
    expect(r.status, `${method} ${suffix}`).toBe(404);
  };

const aKeyStillThere = async (w: AB) => {
  const r = await callJson("/api/v1/ai/settings", { token: w.a.accessToken, tenant: w.a.tenantId, ip: w.a.ip });
  expect(r.body.keys.map((k: { hint: string }) => k.hint)).toEqual(["…XYZW"]);
  expect(r.body.persona).toBe("A-persona-text");
};

export const KNOWLEDGE_CASES: Record<string, Case> = {
  "GET /api/v1/ai/settings": async (w) => {
    await aKnowledge(w);
    const r = await asB(w, "GET", "/api/v1/ai/settings");
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toMatch(/XYZW|A-persona-text/);
  },
  "PUT /api/v1/ai/settings": async (w) => {
    const r = await asB(w, "PUT", "/api/v1/ai/settings", {
      chain: [{ provider: "local", model: "extractive-v1" }],
      temperature: 0.5,
      max_output_tokens: 100,
      persona: "B persona",
      redact_pii: true,
      timeout_ms: 5000,
    });
    expect(r.status).toBe(200);
    await aKeyStillThere(w);
  },
  "PUT /api/v1/ai/keys/{provider}": async (w) => {
    expect((await asB(w, "PUT", "/api/v1/ai/keys/anthropic", { api_key: "sk-b-own-key-0000" })).status).toBe(200);
    await aKeyStillThere(w);
  },
  "DELETE /api/v1/ai/keys/{provider}": async (w) => {
    await aKnowledge(w);
    expect([204, 404]).toContain((await asB(w, "DELETE", "/api/v1/ai/keys/openai")).status);
    await aKeyStillThere(w);
  },
  "POST /api/v1/ai/providers/{provider}/test": async (w) => {
    await aKnowledge(w);
    // B has no OpenAI key of its own: A's key must not be used for B.
    const r = await asB(w, "POST", "/api/v1/ai/providers/openai/test");
    expect(r.status).toBe(400);
  },
  "GET /api/v1/ai/usage": async (w) => {
    await aKnowledge(w);
    const r = await asB(w, "GET", "/api/v1/ai/usage");
    expect(r.status).toBe(200);
  },
  "GET /api/v1/ai/calls": async (w) => {
    const { call } = await aKnowledge(w);
    const r = await asB(w, "GET", "/api/v1/ai/calls?limit=100");
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain(call);
  },
  "POST /api/v1/ai/ask": async (w) => {
    await aKnowledge(w);
    const r = await asB(w, "POST", "/api/v1/ai/ask", { question: `What is ${MARK}? the secret recipe`, stream: false });
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).not.toContain("secret recipe.");
  },
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
    expect(
      (await asB(w, "POST", "/api/v1/knowledge/sources/faq", { question: `What is ${MARK}?`, answer: "B's unrelated answer." })).status,
    ).toBe(201);
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
    expect(JSON.stringify(r.body.collections)).not.toContain('default","sources":1'); // B's own counts only
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
