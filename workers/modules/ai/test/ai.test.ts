import { env } from "cloudflare:workers";
import { afterEach, describe, expect, it } from "vitest";
import { complete, stream, type GatewayEvent } from "..";
import { BREAKER_THRESHOLD } from "../breaker";
import { redactPii } from "../redact";
import { setProviderFetch } from "../transport";
import { WorkersAiAdapter } from "../providers/workers-ai";
import { OpenAiEmbedder } from "../../knowledge/embedders";
import { signUp } from "../../../../test/helpers";
import { fakeAnthropic, fakeOpenAi, routeFakes } from "./fake-llm/server";
import { asUser } from "../../knowledge/test/knowledge-helpers";

import { calls, configure, events, keys, noSleep, req, text } from "./ai-helpers";

afterEach(() => setProviderFetch(null));

describe("AI gateway: providers over their HTTP APIs", () => {
  it("streams from OpenAI through the official SDK (SSE), with usage", async () => {
    const u = await signUp();
    await keys(u);
    await configure(u, [{ provider: "openai", model: "gpt-4o-mini" }]);
    const oa = fakeOpenAi({ reply: "Hello there, friend." });
    const evs = await events(stream(req(u), { fetch: oa.fetch, ...noSleep }));
    expect(text(evs)).toBe("Hello there, friend.");
    expect(evs.filter((e) => e.type === "token").length).toBe(3);
    const done = evs.at(-1) as Extract<GatewayEvent, { type: "done" }>;
    expect(done).toMatchObject({ type: "done", provider: "openai", model: "gpt-4o-mini", fallback: false, local: false });
    expect(done.usage.output_tokens).toBe(3);
    const sent = oa.requests[0]!;
    expect(sent.path).toBe("/v1/chat/completions");
    expect(sent.body).toMatchObject({
      model: "gpt-4o-mini",
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.1,
      max_completion_tokens: 300,
    });
    expect(sent.body.messages[0]).toEqual({ role: "system", content: "Be brief." });
  });

  it("streams from Anthropic through the official SDK (typed SSE events), with usage", async () => {
    const u = await signUp();
    await keys(u);
    await configure(u, [{ provider: "anthropic", model: "claude-3-5-haiku-latest" }]);
    const an = fakeAnthropic({ reply: "Greetings from Claude." });
    const evs = await events(stream(req(u), { fetch: an.fetch, ...noSleep }));
    expect(text(evs)).toBe("Greetings from Claude.");
    expect(evs.at(-1)).toMatchObject({ type: "done", provider: "anthropic", usage: { output_tokens: 3 } });
    expect(an.requests[0]!.body).toMatchObject({ model: "claude-3-5-haiku-latest", system: "Be brief.", stream: true, max_tokens: 300 });
    expect(an.requests[0]!.headers.get("anthropic-version")).toBeTruthy();
    expect(an.requests[0]!.headers.get("x-api-key") ?? an.requests[0]!.headers.get("authorization")).toMatch(/sk-ant-test/);
  });

  it("retries 429 with backoff (honouring Retry-After) and then answers", async () => {
    const u = await signUp();
    await keys(u);
    await configure(u, [{ provider: "openai", model: "gpt-4o-mini" }]);
    const oa = fakeOpenAi();
    oa.faults.push({ status: 429, retryAfter: 2 }, { status: 500 });
    const waits: number[] = [];
    const r = await complete(req(u), { fetch: oa.fetch, sleep: async (ms) => void waits.push(ms), backoffMs: 10 });
    expect(r.text).toBe("Hello from OpenAI.");
    expect(oa.requests).toHaveLength(3);
    expect(waits[0]).toBe(2000);
    expect(waits[1]).toBeGreaterThanOrEqual(20);
    const log = (await calls(u))[0];
    expect(log.attempts.map((a: any) => a.outcome)).toEqual(["http_429", "http_500", "ok"]);
  });

  it("falls through to the next provider, then to the local answerer", async () => {
    const u = await signUp();
    await keys(u);
    await configure(u, [
      { provider: "openai", model: "gpt-4o-mini" },
      { provider: "anthropic", model: "claude-3-5-haiku-latest" },
      { provider: "local", model: "extractive-v1" },
    ]);
    const oa = fakeOpenAi();
    const an = fakeAnthropic({ reply: "Claude covers for OpenAI." });
    oa.faults.push({ status: 500 }, { status: 500 }, { status: 500 });
    const f = routeFakes(oa, an);
    const evs = await events(stream(req(u), { fetch: f, ...noSleep }));
    expect(text(evs)).toBe("Claude covers for OpenAI.");
    expect(evs.at(-1)).toMatchObject({ type: "done", provider: "anthropic", fallback: true });
    // Both hosted providers down (401 is not retried): the local answerer still answers.
    an.faults.push({ status: 401 });
    oa.faults.push({ status: 503 }, { status: 503 }, { status: 503 });
    const evs2 = await events(stream(req(u), { fetch: f, ...noSleep }));
    expect(evs2.at(-1)).toMatchObject({ type: "done", provider: "local", local: true, fallback: true });
    const log = await calls(u);
    expect(log[0].attempts.map((a: any) => `${a.provider}:${a.outcome}`)).toEqual([
      "openai:http_503",
      "openai:http_503",
      "openai:http_503",
      "anthropic:http_401",
      "local:ok",
    ]);
    expect(log[0].fallback).toBe(true);
  });

  it("opens the circuit after repeated failures and skips the provider until it cools down", async () => {
    const u = await signUp();
    await keys(u);
    await configure(u, [
      { provider: "openai", model: "gpt-4o-mini" },
      { provider: "anthropic", model: "claude-3-5-haiku-latest" },
    ]);
    const oa = fakeOpenAi();
    const an = fakeAnthropic();
    const f = routeFakes(oa, an);
    for (let i = 0; i < BREAKER_THRESHOLD; i++) {
      oa.faults.push({ status: 500 }, { status: 500 }, { status: 500 });
      expect((await events(stream(req(u), { fetch: f, ...noSleep }))).at(-1)).toMatchObject({ provider: "anthropic" });
    }
    const before = oa.requests.length;
    const evs = await events(stream(req(u), { fetch: f, ...noSleep }));
    expect(evs.at(-1)).toMatchObject({ provider: "anthropic", fallback: true });
    expect(oa.requests.length).toBe(before); // skipped: not even tried
    expect((await calls(u))[0].attempts[0]).toMatchObject({ provider: "openai", outcome: "circuit_open" });
    const s = await asUser(u)("/api/v1/ai/settings");
    expect(s.body.breakers.find((b: any) => b.provider === "openai").open_until).not.toBeNull();
    // Cool-down over: half-open lets one call through; success closes the circuit.
    await env.DB.prepare("UPDATE ai_breakers SET open_until = ?1 WHERE tenant_id = ?2")
      .bind(Date.now() - 1, u.tenantId)
      .run();
    expect((await events(stream(req(u), { fetch: f, ...noSleep }))).at(-1)).toMatchObject({ provider: "openai" });
    const row = await env.DB.prepare("SELECT failures, open_until FROM ai_breakers WHERE tenant_id = ?1 AND provider = 'openai'")
      .bind(u.tenantId)
      .first();
    expect(row).toEqual({ failures: 0, open_until: null });
  });

  it("times out a provider that does not answer and falls through", async () => {
    const u = await signUp();
    await keys(u);
    await configure(
      u,
      [
        { provider: "openai", model: "gpt-4o-mini" },
        { provider: "local", model: "extractive-v1" },
      ],
      { timeout_ms: 1000 },
    );
    const oa = fakeOpenAi();
    oa.faults.push({ hang: true }, { hang: true }, { hang: true });
    const evs = await events(stream(req(u), { fetch: oa.fetch, ...noSleep }));
    expect(evs.at(-1)).toMatchObject({ type: "done", provider: "local" });
    expect((await calls(u))[0].attempts.slice(0, 3).map((a: any) => a.outcome)).toEqual(["timeout", "timeout", "timeout"]);
  });

  it("ends with an error event (no fall-through) when a stream breaks after the first token", async () => {
    const u = await signUp();
    await keys(u);
    await configure(u, [
      { provider: "openai", model: "gpt-4o-mini" },
      { provider: "local", model: "extractive-v1" },
    ]);
    const oa = fakeOpenAi({ reply: "one two three four" });
    oa.faults.push({ cutAfterChunks: 3 });
    const evs = await events(stream(req(u), { fetch: oa.fetch, ...noSleep }));
    expect(text(evs)).toBe("one two ");
    expect(evs.at(-1)).toMatchObject({ type: "error", code: "stream_interrupted" });
  });

  it("redacts PII before it reaches an external provider", async () => {
    const u = await signUp();
    await keys(u);
    await configure(u, [{ provider: "openai", model: "gpt-4o-mini" }]);
    const oa = fakeOpenAi();
    await complete(req(u, "I am jane.doe@example.com, card 4242 4242 4242 4242, call +1 415-555-0100"), { fetch: oa.fetch, ...noSleep });
    const sent = JSON.stringify(oa.requests[0]!.body);
    expect(sent).not.toContain("jane.doe@example.com");
    expect(sent).not.toContain("4242 4242 4242 4242");
    expect(sent).not.toContain("555-0100");
    expect(sent).toContain("[EMAIL]");
    expect((await calls(u))[0].redactions).toBe(3);
    expect(redactPii("order 12345, year 2024, card 4242 4242 4242 4241").count).toBe(0); // not Luhn-valid, not phones
  });

  it("embeds with OpenAI embeddings through the SDK (base64 wire format) and Workers AI's SSE stream format", async () => {
    const oa = fakeOpenAi({ apiKey: "sk-emb" });
    const e = new OpenAiEmbedder({ apiKey: "sk-emb", fetch: oa.fetch }, 16);
    const [v] = await e.embedDocuments(["hello world"]);
    expect(v!.length).toBe(16);
    expect(Math.abs(v!.reduce((s, x) => s + x * x, 0) - 1)).toBeLessThan(1e-4);
    expect(oa.requests[0]!.body).toMatchObject({ model: "text-embedding-3-small", dimensions: 16, input: ["hello world"] });

    const ai = {
      async run(_model: string, inputs: any) {
        expect(inputs.stream).toBe(true);
        const parts = [
          'data: {"response":"Hi"}\n\n',
          'data: {"response":" there"}\n\n',
          'data: {"response":"","usage":{"prompt_tokens":7,"completion_tokens":2}}\n\n',
          "data: [DONE]\n\n",
        ];
        return new ReadableStream({ start: (c) => (parts.forEach((p) => c.enqueue(new TextEncoder().encode(p))), c.close()) });
      },
    };
    const out: any[] = [];
    for await (const ev of new WorkersAiAdapter(ai).stream({
      model: "@cf/meta/llama-3.1-8b-instruct",
      system: "s",
      messages: [],
      temperature: 0,
      maxTokens: 5,
      signal: new AbortController().signal,
    }))
      out.push(ev);
    expect(out).toEqual([
      { type: "text", text: "Hi" },
      { type: "text", text: " there" },
      { type: "usage", input: 7, output: 2 },
      { type: "finish", reason: "stop" },
    ]);
  });
});
