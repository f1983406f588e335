import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { aiCalls } from "../../../../schema/ai";
import { signUp } from "../../../../test/helpers";
import { setProviderFetch } from "../../ai/transport";
import { configure, keys } from "../../ai/test/ai-helpers";
import { fakeOpenAi } from "../../ai/test/fake-llm/server";
import { upload, waitForSource } from "../../knowledge/test/knowledge-helpers";
import { pickArm, posterior, probabilityBest, seededRandom, winningArm } from "../bandit";
import { createDraftForStep } from "../drafts.service";
import { bestSentence, fillTemplate, LOCAL_WRITER, parseModelOutput, weave } from "../writer";
import { as, db, draftFor, writerWorld } from "./writer-helpers";

// The pure parts (bandit, writer helpers) and the writer itself; the drafts' safety checks,
// decisions and auto-send are in writer-drafts.test.ts.

afterEach(() => setProviderFetch(null));

const PLAYBOOK = [
  "# Freight planning",
  "",
  "Weft's route planner cuts freight delays for logistics teams by a third, measured across 40 carriers.",
  "",
  "Every head of logistics gets a weekly exceptions report.",
].join("\n");

describe("bandit (pure)", () => {
  it("gives most picks to an arm with a much higher positive-reply rate (fixed seed, 1,000 draws)", () => {
    const rng = seededRandom(17);
    const arms = [
      { id: "a", sent: 200, positive: 40 }, // 20 %
      { id: "b", sent: 200, positive: 4 }, // 2 %
    ];
    const picks = { a: 0, b: 0 } as Record<string, number>;
    for (let i = 0; i < 1000; i++) picks[pickArm(arms, rng)?.id ?? "none"]++;
    expect(picks.a).toBeGreaterThan(990);
    expect(picks.a + picks.b).toBe(1000);
  });

  it("respects the uniform prior: untried arms share the picks; little evidence moves little", () => {
    const rng = seededRandom(5);
    const fresh = [
      { id: "x", sent: 0, positive: 0 },
      { id: "y", sent: 0, positive: 0 },
    ];
    const p = probabilityBest(fresh, 4000, rng);
    expect(p.get("x")).toBeGreaterThan(0.45);
    expect(p.get("x")).toBeLessThan(0.55);
    // 1 positive in 2 sends vs 0 in 2: favoured, but far from certain — the prior still weighs.
    const early = probabilityBest(
      [
        { id: "x", sent: 2, positive: 1 },
        { id: "y", sent: 2, positive: 0 },
      ],
      4000,
      seededRandom(9),
    );
    expect(early.get("x")).toBeGreaterThan(0.6);
    expect(early.get("x")).toBeLessThan(0.9);
    expect(posterior({ id: "z", sent: 10, positive: 3 })).toEqual({ alpha: 4, beta: 8 });
    expect(posterior({ id: "bad", sent: -1, positive: 5 })).toEqual({ alpha: 1, beta: 1 }); // a broken counter cannot break the sampler
  });

  it("names a winner only with enough evidence", () => {
    const strong = [
      { id: "a", sent: 100, positive: 20 },
      { id: "b", sent: 100, positive: 2 },
    ];
    expect(winningArm(strong, probabilityBest(strong, 2000, seededRandom(1)))?.id).toBe("a");
    const thin = [
      { id: "a", sent: 5, positive: 2 },
      { id: "b", sent: 5, positive: 0 },
    ];
    expect(winningArm(thin, probabilityBest(thin, 2000, seededRandom(1)))).toBeNull();
  });
});

describe("writer helpers (pure)", () => {
  it("fills templates, weaves a paragraph before the last one and reads model JSON", () => {
    expect(fillTemplate("Hi {{ first_name }}, {{company}} and {{unknown}}!", { first_name: "Ada", company: "Harbor" })).toBe(
      "Hi Ada, Harbor and!",
    );
    expect(weave("Hi Ada,\n\nPoint.\n\nCall?", "Fact.")).toBe("Hi Ada,\n\nPoint.\n\nFact.\n\nCall?");
    expect(parseModelOutput('```json\n{"subject":"S","body":"B","sources":[1]}\n```')).toEqual({ subject: "S", body: "B", sources: [1] });
    expect(parseModelOutput('{"subject":""}')).toBeNull();
    expect(parseModelOutput("no json here")).toBeNull();
    expect(bestSentence("Our office is in Berlin. Logistics teams ship faster with us.", "logistics head")).toBe(
      "Logistics teams ship faster with us.",
    );
    expect(bestSentence("Our office is in Berlin, near the river.", "logistics head")).toBeNull();
    expect(parseModelOutput('{"subject":"Two\\nlines ","body":"B"}')?.subject).toBe("Two lines");
  });
});

describe("the writer", () => {
  it("local writer: the template filled for the lead, one sentence from the knowledge base, its source listed", async () => {
    const u = await signUp();
    const up = await upload(u, "freight-playbook.md", PLAYBOOK, "text/markdown");
    expect(up.status).toBe(201);
    await waitForSource(u, up.body.id);
    const w = await writerWorld(u.tenantId);
    const d = await draftFor(w);
    expect(d.writer).toBe(LOCAL_WRITER);
    expect(d.status).toBe("pending"); // no auto-send: a person approves
    expect(d.subject).toBe("Ada, a question about Harbor Freight Co");
    expect(d.body).toContain("Hi Ada,");
    expect(d.body).toMatch(/logistics/i);
    expect(d.body).toMatch(/Weft's route planner cuts freight delays|Every head of logistics gets a weekly exceptions report/);
    expect(d.sources).toEqual([expect.objectContaining({ sourceId: up.body.id, title: expect.any(String), chunkId: expect.any(String) })]);
    // Deterministic: the same inputs write the same draft (a second enrolment of an identical lead).
    const w2 = await writerWorld(u.tenantId);
    expect((await draftFor(w2)).body).toBe(d.body);

    const r = await as(u)("GET", `/api/v1/outreach/drafts/${d.id}`);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      id: d.id,
      local_writer: true,
      writer: LOCAL_WRITER,
      status: "pending",
      sources: [{ source_id: up.body.id }],
      lead_name: "Ada Lovelace",
      lead_company: "Harbor Freight Co",
      variant_label: "A",
    });
    // The engine retrying the step gets the same draft, not a second one.
    expect((await createDraftForStep(env, w.enrollment, w.step)).id).toBe(d.id);
    // The gateway call is in the call log under the writer's surface.
    const logged = await db
      .select()
      .from(aiCalls)
      .where(and(eq(aiCalls.tenantId, u.tenantId), eq(aiCalls.surface, "writer")));
    expect(logged.length).toBeGreaterThanOrEqual(1);
  });

  it("a model writes through the gateway (JSON validated, cited sources kept); bad JSON falls back to the local writer", async () => {
    const u = await signUp();
    await configure(u, [{ provider: "openai", model: "gpt-4o-mini" }]);
    await keys(u);
    const up = await upload(u, "freight-playbook.md", PLAYBOOK, "text/markdown");
    await waitForSource(u, up.body.id);
    const oa = fakeOpenAi({
      reply: JSON.stringify({ subject: "Fewer freight delays at Harbor", body: "Hi Ada,\n\nShort note.\n\nOpen to a call?", sources: [1] }),
    });
    setProviderFetch(oa.fetch);
    await as(u)("PUT", "/api/v1/outreach/writer", { tone: "direct", persona: "Weft, a freight planning tool", max_words: 90 });
    const w = await writerWorld(u.tenantId);
    const d = await draftFor(w);
    expect(d.writer).toBe("openai/gpt-4o-mini");
    expect(d.subject).toBe("Fewer freight delays at Harbor");
    const prompt = JSON.stringify(oa.requests.at(-1)?.body);
    expect(prompt).toContain("Tone: direct");
    expect(prompt).toContain("Head of Logistics");
    expect(prompt).toContain("Weft, a freight planning tool");
    expect(prompt).toContain("[1] freight-playbook"); // the passage, numbered for citing
    expect(d.sources).toEqual([expect.objectContaining({ sourceId: up.body.id })]);

    oa.reply = "Sure! Here is an email: Dear Ada…";
    const w2 = await writerWorld(u.tenantId);
    const d2 = await draftFor(w2);
    expect(d2.writer).toBe(LOCAL_WRITER);
    expect(d2.subject).toBe("Ada, a question about Harbor Freight Co");
  });

  it("a winning variant's subject and opening are given to the model as an example for the other variants", async () => {
    const u = await signUp();
    await configure(u, [{ provider: "openai", model: "gpt-4o-mini" }]);
    await keys(u);
    const oa = fakeOpenAi({ reply: JSON.stringify({ subject: "S", body: "B" }) });
    setProviderFetch(oa.fetch);
    const w = await writerWorld(u.tenantId, {
      variants: [
        {
          label: "A",
          subject: "Quick idea for {{company}}",
          body: "Hi {{first_name}},\n\nHarbor could ship a day faster.\n\nCall?",
          sent: 40,
          replies: 12,
          positive: 10,
        },
        {
          label: "B",
          subject: "Hello {{first_name}}",
          body: "Hi {{first_name}},\n\nWe sell software.\n\nCall?",
          sent: 25,
          replies: 5,
          positive: 4,
        },
      ],
    });
    // A is best with probability ≈ 0.78 (≥ 0.6, 40 sends): the winner. A seed whose first draw explores B:
    const arms = w.variants.map((v) => ({ id: v.id, sent: v.sent, positive: v.positiveReplies }));
    let seed = 1;
    while (pickArm(arms, seededRandom(seed))?.id !== w.variants[1]?.id) seed++;
    const draftB = await createDraftForStep(env, w.enrollment, w.step, { rng: seededRandom(seed) });
    expect(draftB.variantId).toBe(w.variants[1]?.id);
    const prompt = JSON.stringify(oa.requests.at(-1)?.body);
    expect(prompt).toContain("variant A");
    expect(prompt).toContain("Quick idea for Harbor Freight Co");
    expect(prompt).toContain("Harbor could ship a day faster.");
  });
});
