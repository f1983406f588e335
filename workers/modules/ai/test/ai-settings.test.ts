import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { setProviderFetch } from "../transport";
import { signUp } from "../../../../test/helpers";
import { fakeOpenAi } from "./fake-llm/server";
import { asUser } from "../../knowledge/test/knowledge-helpers";

afterEach(() => setProviderFetch(null));

describe("AI settings and bring-your-own keys", () => {
  it("stores keys encrypted, never returns them, and tests the connection", async () => {
    const u = await signUp();
    const put = await asUser(u)("/api/v1/ai/keys/openai", { method: "PUT", body: { api_key: "sk-test-openai" } });
    expect(put.status).toBe(200);
    expect(JSON.stringify(put.body)).not.toContain("sk-test-openai");
    expect(put.body.hint).toBe("…enai");
    const row = await env.DB.prepare("SELECT sealed_key FROM ai_provider_keys WHERE tenant_id = ?1")
      .bind(u.tenantId)
      .first<{ sealed_key: string }>();
    expect(row!.sealed_key).toMatch(/^v1\./);
    expect(row!.sealed_key).not.toContain("sk-test");
    const settings = await asUser(u)("/api/v1/ai/settings");
    expect(JSON.stringify(settings.body)).not.toContain("sk-test-openai");
    expect(settings.body.providers.find((p: any) => p.provider === "openai")).toMatchObject({ configured: true, key_source: "workspace" });

    setProviderFetch(fakeOpenAi().fetch);
    const ok = await asUser(u)("/api/v1/ai/providers/openai/test", { method: "POST" });
    expect(ok.body).toMatchObject({ ok: true, provider: "openai", key_source: "workspace" });
    setProviderFetch(fakeOpenAi({ apiKey: "sk-other" }).fetch);
    const bad = await asUser(u)("/api/v1/ai/providers/openai/test", { method: "POST" });
    expect(bad.body.ok).toBe(false);
    expect(bad.body.detail).toMatch(/401/);
    const after = await asUser(u)("/api/v1/ai/settings");
    expect(after.body.keys[0]).toMatchObject({ provider: "openai", last_test_ok: false });
    expect((await asUser(u)("/api/v1/ai/keys/openai", { method: "DELETE" })).status).toBe(204);
    expect((await asUser(u)("/api/v1/ai/settings")).body.keys).toEqual([]);
  });

  it("validates the chain", async () => {
    const u = await signUp();
    const dup = await asUser(u)("/api/v1/ai/settings", {
      method: "PUT",
      body: {
        chain: [
          { provider: "local", model: "a" },
          { provider: "local", model: "b" },
        ],
        temperature: 0.2,
        max_output_tokens: 100,
        persona: "",
        redact_pii: true,
        timeout_ms: 5000,
      },
    });
    expect(dup.status).toBe(400);
    const four = await asUser(u)("/api/v1/ai/settings", {
      method: "PUT",
      body: {
        chain: [1, 2, 3, 4].map(() => ({ provider: "local", model: "x" })),
        temperature: 0.2,
        max_output_tokens: 100,
        persona: "",
        redact_pii: true,
        timeout_ms: 5000,
      },
    });
    expect(four.status).toBe(400);
    const def = await asUser(u)("/api/v1/ai/settings");
    expect(def.body.chain).toEqual([{ provider: "local", model: "extractive-v1" }]);
  });
});
