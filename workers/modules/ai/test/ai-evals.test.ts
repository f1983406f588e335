import { afterEach, describe, expect, it } from "vitest";
import { asUser, waitForSource } from "../../knowledge/test/knowledge-helpers";
import { checkExpectations, toneFailure } from "../evals.service";
import { setProviderFetch } from "../transport";
import { enterprise } from "./ai-helpers";

afterEach(() => setProviderFetch(null));
describe("model evaluations", () => {
  it("checks each expectation kind", () => {
    expect(checkExpectations("See [1].", true, [{ kind: "must_cite" }])).toEqual([]);
    expect(checkExpectations("No source.", false, [{ kind: "must_cite" }])).toEqual(["must_cite: the answer cites no source"]);
    expect(checkExpectations("Refunds take 5 days", false, [{ kind: "must_include", value: "refunds" }])).toEqual([]);
    expect(checkExpectations("Hello", false, [{ kind: "must_include", value: "refund" }])).toHaveLength(1);
    expect(checkExpectations("We beat Acme", false, [{ kind: "must_not_include", value: "acme" }])).toEqual([
      "must_not_include: mentions “acme”",
    ]);
    expect(checkExpectations("one two three", false, [{ kind: "max_words", value: 2 }])).toEqual(["max_words: 3 words > 2"]);
    expect(checkExpectations("one two three", false, [{ kind: "min_words", value: 4 }])).toEqual(["min_words: 3 words < 4"]);
    expect(toneFailure("We will reply within a day.", "formal")).toBeNull();
    expect(toneFailure("We'll reply soon!", "formal")).toBe("tone: not formal (a contraction)");
    expect(toneFailure("Happy to help!", "friendly")).toBeNull();
    expect(toneFailure("Ticket closed.", "friendly")).toMatch(/not friendly/);
    expect(toneFailure("This is amazing.", "neutral")).toBe("tone: not neutral (a hype word)");
  });

  it("runs the cases against a model through the gateway and shows pass rates side by side", async () => {
    const u = await enterprise();
    const f = await asUser(u)("/api/v1/knowledge/sources/faq", {
      body: { question: "How long do refunds take?", answer: "Refunds are processed within five business days." },
    });
    await waitForSource(u, f.body.id);
    const add = (body: unknown) => asUser(u)("/api/v1/ai/evals/cases", { body });
    const cited = await add({
      name: "cites",
      prompt: "How long do refunds take?",
      grounded: true,
      expectations: [{ kind: "must_cite" }, { kind: "must_include", value: "five business days" }],
    });
    expect(cited.status).toBe(201);
    // The local answerer without grounding says it only answers from the knowledge base.
    const short = await add({ name: "short", prompt: "Write a poem", expectations: [{ kind: "max_words", value: 5 }] });
    const formal = await add({
      name: "formal",
      prompt: "Write a poem",
      expectations: [
        { kind: "tone", value: "formal" },
        { kind: "must_not_include", value: "poem" },
      ],
    });
    const bad = await add({ name: "x", prompt: "y", expectations: [{ kind: "max_words", value: "lots" }] });
    expect(bad.status).toBe(400);
    const edited = await asUser(u)(`/api/v1/ai/evals/cases/${formal.body.id}`, { method: "PATCH", body: { name: "formal tone" } });
    expect(edited.body).toMatchObject({ name: "formal tone", prompt: "Write a poem" });

    const run = await asUser(u)("/api/v1/ai/evals/runs", { body: { provider: "local", model: "extractive-v1" } });
    expect(run.status).toBe(201);
    expect(run.body).toMatchObject({ status: "done", cases: 3, passed: 2 });
    const byCase = Object.fromEntries(run.body.results.map((r: { case_id: string }) => [r.case_id, r]));
    expect(byCase[cited.body.id]).toMatchObject({ pass: true, failures: [] });
    expect(byCase[short.body.id].failures[0]).toMatch(/^max_words: \d+ words > 5$/);
    expect(byCase[formal.body.id]).toMatchObject({ pass: true });
    const evalCalls = await asUser(u)("/api/v1/ai/calls?surface=eval&limit=100");
    expect(evalCalls.body.data.length).toBe(3);

    // A model without a key fails every case, and both show side by side.
    await asUser(u)("/api/v1/ai/evals/runs", { body: { provider: "openai", model: "gpt-4o-mini" } });
    const runs = await asUser(u)("/api/v1/ai/evals/runs");
    expect(runs.body.data.length).toBe(2);
    expect(runs.body.models).toEqual([
      expect.objectContaining({ provider: "openai", model: "gpt-4o-mini", runs: 1, last_pass_rate: 0 }),
      expect.objectContaining({ provider: "local", model: "extractive-v1", runs: 1, last_pass_rate: 2 / 3 }),
    ]);
    expect((await asUser(u)(`/api/v1/ai/evals/cases/${short.body.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await asUser(u)("/api/v1/ai/evals/cases")).body.data.length).toBe(2);
  });
});
