import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { aiCalls } from "../../../../schema/ai";
import { aiHolds } from "../../../../schema/ai-safety";
import { memberships } from "../../../../schema/tenancy";
import { salesEnrollments, salesStepVariants } from "../../../../schema/sales-sequences";
import { callJson, signUp, type TestUser } from "../../../../test/helpers";
import { setProviderFetch } from "../../ai/transport";
import { configure, keys } from "../../ai/test/ai-helpers";
import { fakeOpenAi } from "../../ai/test/fake-llm/server";
import { upload, waitForSource } from "../../knowledge/test/knowledge-helpers";
import { pickArm, posterior, probabilityBest, seededRandom, winningArm } from "../bandit";
import { createDraftForStep, releaseHeldDraft } from "../drafts.service";
import { advanceDueEnrollments, scheduleApprovedDrafts } from "../engine";
import { bestSentence, fillTemplate, LOCAL_WRITER, parseModelOutput, weave } from "../writer";
import { db, draftFor, guardrails, writerWorld } from "./writer-helpers";

afterEach(() => setProviderFetch(null));

const as = (u: TestUser) => (method: string, path: string, body?: unknown) =>
  callJson(path, { method, token: u.accessToken, tenant: u.tenantId, ip: u.ip, body });

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

describe("drafts: safety, approval, auto-send", () => {
  it("a blocked phrase holds the draft (ai_holds row); the safety console's decision releases it", async () => {
    const u = await signUp();
    await guardrails(u.tenantId, { blockedPhrases: ["act now"] });
    const w = await writerWorld(u.tenantId, {
      autoSend: true, // even auto-send cannot send what the rules hold
      variants: [{ label: "A", subject: "Offer for {{company}}", body: "Hi {{first_name}},\n\nAct now and save.\n\nReply?" }],
    });
    const d = await draftFor(w);
    expect(d.status).toBe("held");
    expect(d.heldFor).toEqual(["blocked_phrase:act now"]);
    const hold = await db
      .select()
      .from(aiHolds)
      .where(and(eq(aiHolds.tenantId, u.tenantId), eq(aiHolds.refType, "sales_draft"), eq(aiHolds.refId, d.id)))
      .get();
    expect(hold).toMatchObject({ status: "pending", surface: "writer" });
    expect(hold?.content).toContain("Act now and save.");
    // Not approvable from the drafts queue…
    const r = await as(u)("POST", `/api/v1/outreach/drafts/${d.id}/approve`);
    expect(r.status).toBe(409);
    expect(r.body.type).toContain("draft-held");
    // …but through the console's approval queue, which runs the registered "sales_draft" handler.
    const ok = await as(u)("POST", `/api/v1/ai/holds/${hold?.id}/approve`, { comment: "fine" });
    expect(ok.status).toBe(200);
    const after = await as(u)("GET", `/api/v1/outreach/drafts/${d.id}`);
    expect(after.body).toMatchObject({ status: "approved", decided_by: u.userId });
    // Rejected in the console: the draft is rejected and its enrolment skips the step (due now for the engine).
    const w2 = await writerWorld(u.tenantId, { variants: [{ label: "A", subject: "Hi", body: "Act now, {{first_name}}." }] });
    const d2 = await draftFor(w2);
    const hold2 = await db
      .select()
      .from(aiHolds)
      .where(and(eq(aiHolds.tenantId, u.tenantId), eq(aiHolds.refId, d2.id)))
      .get();
    expect((await as(u)("POST", `/api/v1/ai/holds/${hold2?.id}/reject`, { comment: "no" })).status).toBe(200);
    expect((await as(u)("GET", `/api/v1/outreach/drafts/${d2.id}`)).body).toMatchObject({ status: "rejected", decided_by: u.userId });
    const e2 = await db.select().from(salesEnrollments).where(eq(salesEnrollments.id, w2.enrollment.id)).get();
    expect(e2?.nextRunAt).toBeLessThanOrEqual(Date.now());
    // A stale decision (the draft is no longer held) changes nothing.
    await releaseHeldDraft(env, u.tenantId, d.id, "rejected", u.userId);
    expect((await as(u)("GET", `/api/v1/outreach/drafts/${d.id}`)).body.status).toBe("approved");
  });

  it("auto-send approves only drafts no rule fired on (a disclaimer counts)", async () => {
    const u = await signUp();
    const clean = await draftFor(await writerWorld(u.tenantId, { autoSend: true }));
    expect(clean).toMatchObject({ status: "approved", decidedBy: "auto-send" });
    const manual = await draftFor(await writerWorld(u.tenantId, { autoSend: false }));
    expect(manual.status).toBe("pending");
    await guardrails(u.tenantId, { disclaimer: "Sent by Weft's AI writer." });
    const modified = await draftFor(await writerWorld(u.tenantId, { autoSend: true }));
    expect(modified.status).toBe("pending");
    expect(modified.heldFor).toEqual(["disclaimer:writer"]);
    expect(modified.body.endsWith("Sent by Weft's AI writer.")).toBe(true);
    expect(modified.subject).toBe("Ada, a question about Harbor Freight Co");
    // Held and with a disclaimer required: the held text already carries it (what a person approves is what goes out).
    await guardrails(u.tenantId, { disclaimer: "Sent by Weft's AI writer.", blockedPhrases: ["a question"] });
    const heldToo = await draftFor(await writerWorld(u.tenantId, { autoSend: true }));
    expect(heldToo.status).toBe("held");
    expect(heldToo.body.endsWith("Sent by Weft's AI writer.")).toBe(true);
  });

  it("edit (re-checked), approve, reject (skip or stop), regenerate; sales:approve required", async () => {
    const u = await signUp();
    await guardrails(u.tenantId, { blockedPhrases: ["guaranteed"] });
    const w = await writerWorld(u.tenantId);
    const d = await draftFor(w);
    const api = as(u);

    const bad = await api("PATCH", `/api/v1/outreach/drafts/${d.id}`, { subject: "" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("subject");
    const edited = await api("PATCH", `/api/v1/outreach/drafts/${d.id}`, { body: "Hi Ada,\n\nResults guaranteed.\n\nCall?" });
    expect(edited.body).toMatchObject({ status: "held", held_for: ["blocked_phrase:guaranteed"], edited_by: u.userId });
    const holdsOf = () =>
      db
        .select()
        .from(aiHolds)
        .where(and(eq(aiHolds.tenantId, u.tenantId), eq(aiHolds.refId, d.id)));
    expect((await holdsOf()).map((h) => h.status)).toEqual(["pending"]);
    // Edited again while held, still with a blocked phrase: the old text's hold is withdrawn, the new text held anew.
    const again = await api("PATCH", `/api/v1/outreach/drafts/${d.id}`, { body: "Hi Ada,\n\nGuaranteed results, guaranteed.\n\nCall?" });
    expect(again.body).toMatchObject({ status: "held" });
    const held = await holdsOf();
    expect(held).toHaveLength(1);
    expect(held[0]?.content).toContain("Guaranteed results, guaranteed.");
    const fixed = await api("PATCH", `/api/v1/outreach/drafts/${d.id}`, { body: "Hi Ada,\n\nResults you can measure.\n\nCall?" });
    expect(fixed.body).toMatchObject({ status: "pending", held_for: [] });
    expect(await holdsOf()).toEqual([]); // nothing left in the safety console to decide the new text unseen
    const regen = await api("POST", `/api/v1/outreach/drafts/${d.id}/regenerate`);
    expect(regen.body).toMatchObject({ status: "pending", variant_id: d.variantId, edited_by: null });
    expect(regen.body.body).toContain("Hi Ada,");

    // A viewer (sales:read only) reads but may not decide.
    const viewer = await signUp();
    const now = Date.now();
    await db.insert(memberships).values({ tenantId: u.tenantId, userId: viewer.userId, role: "viewer", createdAt: now, updatedAt: now });
    const asViewer = (m: string, p: string, b?: unknown) =>
      callJson(p, { method: m, token: viewer.accessToken, tenant: u.tenantId, ip: viewer.ip, body: b });
    expect((await asViewer("GET", `/api/v1/outreach/drafts/${d.id}`)).status).toBe(200);
    expect((await asViewer("POST", `/api/v1/outreach/drafts/${d.id}/approve`)).status).toBe(403);
    expect((await asViewer("PATCH", `/api/v1/outreach/drafts/${d.id}`, { subject: "x" })).status).toBe(403);
    expect((await asViewer("PUT", "/api/v1/outreach/writer", { tone: "formal" })).status).toBe(403);

    const approved = await api("POST", `/api/v1/outreach/drafts/${d.id}/approve`);
    expect(approved.body).toMatchObject({ status: "approved", decided_by: u.userId });
    expect((await api("POST", `/api/v1/outreach/drafts/${d.id}/approve`)).status).toBe(409);
    const list = await api("GET", `/api/v1/outreach/drafts?status=approved&sequence_id=${w.sequenceId}`);
    expect(list.body.data.map((x: { id: string }) => x.id)).toEqual([d.id]);
    expect(list.body.data[0]).toMatchObject({
      lead_name: "Ada Lovelace",
      lead_email: expect.stringContaining("@harbor.example"),
      variant_label: "A",
    });
    expect((await api("GET", `/api/v1/outreach/drafts?lead_id=${w.leadId}&status=pending`)).body.data).toEqual([]);

    // Reject → skip: the enrolment is due now (the engine moves it to the next step in the window).
    const w2 = await writerWorld(u.tenantId);
    const d2 = await draftFor(w2);
    const rej = await api("POST", `/api/v1/outreach/drafts/${d2.id}/reject`, { reason: "wrong angle" });
    expect(rej.body).toMatchObject({ status: "rejected", decided_by: u.userId, reject_reason: "wrong angle" });
    expect((await api("GET", `/api/v1/outreach/drafts?status=rejected&sequence_id=${w2.sequenceId}`)).body.data[0]).toMatchObject({
      reject_reason: "wrong angle",
    });
    const e2 = await db.select().from(salesEnrollments).where(eq(salesEnrollments.id, w2.enrollment.id)).get();
    expect(e2?.status).toBe("active");
    expect(e2?.nextRunAt).toBeLessThanOrEqual(Date.now());
    // Reject → stop: the enrolment ends (manual).
    const w3 = await writerWorld(u.tenantId);
    const d3 = await draftFor(w3);
    expect((await api("POST", `/api/v1/outreach/drafts/${d3.id}/reject`, { reason: "not a fit", enrollment: "stop" })).status).toBe(200);
    const e3 = await db.select().from(salesEnrollments).where(eq(salesEnrollments.id, w3.enrollment.id)).get();
    expect(e3).toMatchObject({ status: "finished", stopReason: "manual" });
    expect((await api("POST", `/api/v1/outreach/drafts/${d3.id}/reject`, {})).status).toBe(409);
  });

  it("with the engine: a rejected draft's enrolment moves to the next step; an approved draft is scheduled in the window", async () => {
    const u = await signUp();
    const api = as(u);
    const w = await writerWorld(u.tenantId, { secondStep: true });
    const d1 = await draftFor(w);
    expect((await api("POST", `/api/v1/outreach/drafts/${d1.id}/reject`, { reason: "too generic" })).status).toBe(200);
    // Due first among whatever other tests left due (the engine takes the oldest due first).
    const enrollment = () => db.select().from(salesEnrollments).where(eq(salesEnrollments.id, w.enrollment.id)).get();
    const makeDueFirst = () => db.update(salesEnrollments).set({ nextRunAt: 1 }).where(eq(salesEnrollments.id, w.enrollment.id));
    await makeDueFirst();
    const now = Date.now();
    await advanceDueEnrollments(env, now, 50);
    const moved = await enrollment();
    expect(moved).toMatchObject({ status: "active", nextStep: 2, waitingOn: null });
    expect(moved?.nextRunAt).toBeGreaterThanOrEqual(now + 60 * 60_000);
    await makeDueFirst();
    await advanceDueEnrollments(env, Date.now(), 50);
    const waiting = await enrollment();
    const d2id = waiting?.waitingOn?.replace("draft:", "") ?? "";
    const d2 = await api("GET", `/api/v1/outreach/drafts/${d2id}`);
    expect(d2.body).toMatchObject({ status: "pending", subject: "Following up, Ada" });
    expect((await api("POST", `/api/v1/outreach/drafts/${d2id}/approve`)).status).toBe(200);
    await scheduleApprovedDrafts(env, Date.now(), 1000);
    const scheduled = (await api("GET", `/api/v1/outreach/drafts/${d2id}`)).body;
    expect(scheduled.status).toBe("scheduled");
    const at = new Date(scheduled.send_at);
    // The mailbox's window: Monday–Friday, 09:00–17:00 UTC.
    expect([1, 2, 3, 4, 5]).toContain(at.getUTCDay());
    expect(at.getUTCHours()).toBeGreaterThanOrEqual(9);
    expect(at.getUTCHours()).toBeLessThan(17);
  });

  it("writer settings: defaults, partial PUT, validation", async () => {
    const u = await signUp();
    const api = as(u);
    expect((await api("GET", "/api/v1/outreach/writer")).body).toMatchObject({
      tone: "friendly",
      max_words: 120,
      use_knowledge: true,
      updated_at: null,
    });
    const put = await api("PUT", "/api/v1/outreach/writer", { tone: "formal", value_props: ["Fewer delays"], collection: "sales" });
    expect(put.body).toMatchObject({ tone: "formal", value_props: ["Fewer delays"], collection: "sales", max_words: 120 });
    expect((await api("PUT", "/api/v1/outreach/writer", { max_words: 5, tone: "rude" })).status).toBe(400);
    expect((await api("GET", "/api/v1/outreach/writer")).body.tone).toBe("formal");
  });

  it("variant figures: per arm counters, rates, probability of being best, the winner", async () => {
    const u = await signUp();
    const w = await writerWorld(u.tenantId, {
      variants: [
        { label: "A", subject: "A {{company}}", body: "a", sent: 120, replies: 30, positive: 24 },
        { label: "B", subject: "B {{company}}", body: "b", sent: 120, replies: 8, positive: 3 },
        { label: "C", subject: "C", body: "c" },
      ],
    });
    await db
      .update(salesStepVariants)
      .set({ active: false })
      .where(eq(salesStepVariants.id, w.variants[2]?.id ?? ""));
    const r = await as(u)("GET", `/api/v1/outreach/sequences/${w.sequenceId}/variants`);
    expect(r.status).toBe(200);
    const arms = r.body.steps[0].arms;
    expect(arms.map((a: { label: string }) => a.label)).toEqual(["A", "B", "C"]);
    expect(arms[0]).toMatchObject({ sent: 120, replies: 30, positive_replies: 24, positive_rate: 0.2, reply_rate: 0.25, winner: true });
    expect(arms[0].probability_best).toBeGreaterThan(0.99);
    expect(arms[1].winner).toBe(false);
    expect(arms[2]).toMatchObject({ active: false, probability_best: null, positive_rate: null });
    expect((await as(u)("GET", "/api/v1/outreach/sequences/seq_nope/variants")).status).toBe(404);
  });
});
