import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { auditLogs } from "../../../../schema/audit";
import { signUp } from "../../../../test/helpers";
import { retrieve } from "../../knowledge";
import { waitForSource } from "../../knowledge/test/knowledge-helpers";
import { configure, keys } from "../../ai/test/ai-helpers";
import { fakeOpenAi } from "../../ai/test/fake-llm/server";
import { setProviderFetch } from "../../ai/transport";
import { fuse } from "../assemble";
import { confidenceOf } from "../candidate";
import { parseModelOutput } from "../generate";
import { competitorsIn, objectionOf, parseTranscript } from "../signals";
import { replyText } from "../sources";
import { asUser, db, documents, must, professional, runFusion, seedSources, T1_ANSWER, T1_PRICE } from "./fusion-helpers";

afterEach(() => setProviderFetch(null));

describe("local fusion (pure)", () => {
  it("reads speakers, objections, competitors and quoted replies", () => {
    const u = parseTranscript("Sales: Hi there.\nDana: We use Pipedrive today.\ncontinued line\nSam (AE): ok");
    expect(u.map((x) => [x.speaker, x.side])).toEqual([
      ["Sales", "us"],
      ["Dana", "them"],
      ["Sam (AE)", "them"],
    ]);
    expect(u[1]?.text).toBe("We use Pipedrive today. continued line");
    expect(objectionOf("Frankly that's too expensive for us")?.key).toBe("price");
    expect(objectionOf("We already use HubSpot")?.key).toBe("incumbent");
    expect(objectionOf("It is not a priority this year")?.key).toBe("priority");
    expect(objectionOf("Sounds great")).toBeNull();
    expect(competitorsIn("We switched from Acme Route last year and compared it vs Globex.", new Set())).toEqual(["Acme Route", "Globex"]);
    expect(competitorsIn("We use Weft for chat and I use Monday notes.", new Set(["weft"]))).toEqual([]);
    expect(replyText("Yes please.\n\nOn Mon, 1 Dec, Us wrote:\n> old text")).toBe("Yes please.");
    // One voice 0.5 at most, two 0.75, three 0.875; disagreement lowers it.
    const conv = (id: string, leadId: string | null) => ({
      conv: { type: "thread" as const, id, title: id, leadId, occurredAt: 0, utterances: [] },
    });
    expect(confidenceOf([conv("a", "l1")], 1, "Asked").confidence).toBe(0.5);
    expect(confidenceOf([conv("a", "l1"), conv("b", "l2")], 1, "Asked").confidence).toBe(0.75);
    expect(confidenceOf([conv("a", "l1"), conv("b", "l1")], 1, "Asked").basis.sources).toBe(1); // one lead = one voice
    expect(confidenceOf([conv("a", "l1"), conv("b", "l2")], 0, "Asked").confidence).toBe(0.45);
    expect(
      parseModelOutput('Sure: {"documents":[{"key":"faq:x","title":"A title","body":"A body long enough to keep."}]}')?.documents,
    ).toHaveLength(1);
    expect(parseModelOutput('{"documents":[{"key":"faq:x","title":"","body":"short"}]}')).toBeNull();
  });

  it("assembles nothing from small talk", () => {
    const convs = [
      {
        type: "transcript" as const,
        id: "c",
        title: "t",
        leadId: null,
        occurredAt: 0,
        utterances: parseTranscript("Rep: Hello!\nAnn: Hi, fine thanks."),
      },
    ];
    expect(fuse(convs)).toEqual([]);
  });
});

describe("knowledge fusion runs and documents", () => {
  it("turns calls and an email thread into an objection handler, FAQs, a battle card and a playbook — with sources, confidence and no duplicates on a second run", async () => {
    const u = await professional();
    const ids = await seedSources(u.tenantId);
    const run = await runFusion(u);
    expect(run).toMatchObject({
      scope: "new",
      transcripts: 2,
      threads: 1,
      transcripts_available: true,
      generator: "local-fusion-v1",
      progress: 100,
    });
    expect(run.created).toBeGreaterThanOrEqual(5);

    const all = await documents(u);
    expect(all.every((d) => d.status === "draft" && d.ai_generated === true && d.generator === "local-fusion-v1")).toBe(true);

    // Objection handler: the objection's quote and the answer that moved the deal, linked to the call.
    const price = must(
      all.find((d) => d.kind === "objection_handler" && d.title.includes("too expensive")),
      JSON.stringify(all.map((d) => d.title)),
    );
    expect(price.body).toContain(`“${T1_PRICE}”`);
    expect(price.body).toContain(`“${T1_ANSWER}” — the prospect reacted well`);
    expect(price.sources).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ type: "transcript", id: ids.t1, quote: T1_PRICE, role: "evidence", lead_id: "lead_dana" }),
        expect.objectContaining({ type: "transcript", id: ids.t1, quote: T1_ANSWER, role: "answer" }),
      ]),
    );

    // FAQ asked in three sources (two calls, one thread) vs one asked once: more sources, more confidence.
    const faqs = await documents(u, "&kind=faq");
    const sap = must(
      faqs.find((d) => /SAP/.test(d.title)),
      "SAP FAQ",
    );
    const onboarding = must(
      faqs.find((d) => /onboarding/i.test(d.title)),
      "onboarding FAQ",
    );
    expect(sap.body.startsWith("Yes, the SAP connector syncs orders every five minutes.") || sap.body.startsWith("It does")).toBe(true);
    expect(new Set(sap.sources.filter((s) => s.role === "evidence").map((s) => s.id))).toEqual(new Set([ids.t1, ids.t2, ids.thread]));
    expect(sap.confidence_basis).toMatchObject({ sources: 3, transcripts: 2, threads: 1, agreement: 1 });
    expect(onboarding.confidence_basis).toMatchObject({ sources: 1, transcripts: 1, threads: 0 });
    expect(sap.confidence).toBeGreaterThan(onboarding.confidence);
    expect(onboarding.confidence).toBe(0.5);

    // Battle card for the competitor named in a call and in the thread.
    const card = must(
      (await documents(u, "&kind=battle_card")).find((d) => d.title === "Battle card: Acme Route"),
      "battle card",
    );
    expect(card.body).toContain("“We switched from Acme Route last year.”");
    expect(card.body).toMatch(
      /strengths[^#]*easy to use but slow with large fleets[^#]*## Where they fall short[^#]*slow with large fleets/s,
    );
    expect(card.confidence_basis.sources).toBe(2);

    // Playbook: the variant that earned the positive reply, with its reply rates.
    const playbook = must((await documents(u, "&kind=playbook"))[0], "playbook");
    expect(playbook.title).toBe(`Playbook: ${ids.sequence}`);
    expect(playbook.body).toContain("20 sent, 5 replies (25 %), 3 positive (15 %)");
    expect(playbook.sources.map((s) => s.id)).toContain(ids.thread);

    // Filters and search.
    expect((await documents(u, "&q=SAP%20connector")).map((d) => d.id)).toContain(sap.id);
    expect((await documents(u, "&status=published")).length).toBe(0);

    // A second run: nothing new since the first. A chosen run over the same sources: the same documents, unchanged.
    const again = await runFusion(u);
    expect(again).toMatchObject({ transcripts: 0, threads: 0, created: 0, updated: 0 });
    const chosen = await runFusion(u, { transcripts: [ids.t1, ids.t2], threads: [ids.thread] });
    expect(chosen).toMatchObject({ scope: "chosen", transcripts: 2, threads: 1, created: 0, updated: 0 });
    expect(chosen.unchanged).toBe(all.length);
    const after = await documents(u);
    expect(after.map((d) => d.id).sort()).toEqual(all.map((d) => d.id).sort());

    // Runs are listed; a bad body answers 400 with the field.
    expect((await asUser(u)("/api/v1/sales/fusion/runs")).body.data.length).toBe(3);
    const bad = await asUser(u)("/api/v1/sales/fusion/runs", { method: "POST", body: { transcripts: "x" } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.errors)).toContain("transcripts");
  });

  it("editing clears the AI mark; review → publish makes it retrievable in the sales collection; unpublish removes it; views count", async () => {
    const u = await professional();
    const ids = await seedSources(u.tenantId);
    await runFusion(u);
    const sap = must(
      (await documents(u, "&kind=faq")).find((d) => /SAP/.test(d.title)),
      "SAP FAQ",
    );
    const as = asUser(u);

    expect((await as(`/api/v1/sales/fusion/documents/${sap.id}/publish`, { method: "POST" })).status).toBe(409); // review first
    const edited = await as(`/api/v1/sales/fusion/documents/${sap.id}`, {
      method: "PATCH",
      body: { body: "Yes. The SAP connector syncs orders and shipment status every five minutes, both ways." },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ ai_generated: false, edited_by: u.userId, safety_action: "allowed" });
    expect((await as(`/api/v1/sales/fusion/documents/${sap.id}`, { method: "PATCH", body: {} })).status).toBe(400);

    // A later run leaves the edited document alone.
    const rerun = await runFusion(u, { transcripts: [ids.t1, ids.t2], threads: [ids.thread] });
    expect(rerun.kept).toBeGreaterThanOrEqual(1);
    expect((await as(`/api/v1/sales/fusion/documents/${sap.id}`)).body.body).toContain("both ways");

    expect((await as(`/api/v1/sales/fusion/documents/${sap.id}/review`, { method: "POST" })).body).toMatchObject({
      status: "reviewed",
      reviewed_by: u.userId,
    });
    const pub = await as(`/api/v1/sales/fusion/documents/${sap.id}/publish`, { method: "POST" });
    expect(pub.status, JSON.stringify(pub.body)).toBe(200);
    expect(pub.body.status).toBe("published");
    const sourceId = pub.body.knowledge_source_id as string;
    const src = await waitForSource(u, sourceId);
    expect(src).toMatchObject({ kind: "faq", collection: "sales" });
    const hits = await retrieve({ env, tenantId: u.tenantId, query: "Does it integrate with SAP shipment status", collection: "sales" });
    expect(hits.chunks.some((c) => c.sourceId === sourceId && c.text.includes("both ways"))).toBe(true);
    expect((await as(`/api/v1/sales/fusion/documents/${sap.id}`, { method: "PATCH", body: { title: "x y z" } })).status).toBe(409);

    // Battle cards publish as Markdown.
    const card = must((await documents(u, "&kind=battle_card"))[0], "battle card");
    await as(`/api/v1/sales/fusion/documents/${card.id}/review`, { method: "POST" });
    const cardPub = await as(`/api/v1/sales/fusion/documents/${card.id}/publish`, { method: "POST" });
    expect((await waitForSource(u, cardPub.body.knowledge_source_id)).mime_type).toBe("text/markdown");

    const unpub = await as(`/api/v1/sales/fusion/documents/${sap.id}/unpublish`, { method: "POST" });
    expect(unpub.body).toMatchObject({ status: "reviewed", knowledge_source_id: null });
    expect((await as(`/api/v1/knowledge/sources/${sourceId}`)).status).toBe(404);
    const gone = await retrieve({ env, tenantId: u.tenantId, query: "Does it integrate with SAP shipment status", collection: "sales" });
    expect(gone.chunks.some((c) => c.sourceId === sourceId)).toBe(false);
    const actions = (
      await db
        .select()
        .from(auditLogs)
        .where(and(eq(auditLogs.tenantId, u.tenantId)))
        .all()
    ).map((a) => a.action);
    expect(actions).toEqual(
      expect.arrayContaining(["fusion.document_published", "fusion.document_unpublished", "fusion.document_reviewed"]),
    );

    expect((await as(`/api/v1/sales/fusion/documents/${sap.id}/view`, { method: "POST" })).body.view_count).toBe(1);
    expect((await as(`/api/v1/sales/fusion/documents/${sap.id}/view`, { method: "POST" })).body.view_count).toBe(2);
    expect((await as(`/api/v1/sales/fusion/documents/${sap.id}`)).body.view_count).toBe(2);
  });

  it("with a model configured, the gateway rewrites the documents it names (JSON validated); the rest stay the local fusion's", async () => {
    const u = await professional();
    await configure(u, [{ provider: "openai", model: "gpt-4o-mini" }], { max_output_tokens: 2000 });
    await keys(u);
    const oa = fakeOpenAi({
      reply: JSON.stringify({
        documents: [
          {
            key: "objection_handler:price",
            title: "Handling “too expensive”",
            body: "Lead with the payback: “Most teams save the licence cost within a quarter.”",
          },
        ],
      }),
    });
    setProviderFetch(oa.fetch);
    await seedSources(u.tenantId);
    const run = await runFusion(u);
    expect(run.generator).toBe("openai/gpt-4o-mini");
    const prompt = JSON.stringify(oa.requests.find((r) => r.path.endsWith("/chat/completions"))?.body);
    expect(prompt).toContain("[objection_handler:price]");
    expect(prompt).toContain(T1_PRICE); // the evidence is quoted to the model
    const all = await documents(u);
    const price = must(
      all.find((d) => d.title === "Handling “too expensive”"),
      "the model's document",
    );
    expect(price).toMatchObject({
      kind: "objection_handler",
      generator: "openai/gpt-4o-mini",
      ai_generated: true,
      safety_action: "allowed",
    });
    expect(price.sources.some((s) => s.quote === T1_PRICE)).toBe(true); // sources and confidence stay the evidence's
    expect(all.filter((d) => d.id !== price.id).every((d) => d.generator === "local-fusion-v1")).toBe(true);
  });

  it("answers 402 on a plan without knowledge fusion, and 404 for unknown ids", async () => {
    const free = await signUp();
    for (const [method, path] of [
      ["GET", "/api/v1/sales/fusion/documents"],
      ["POST", "/api/v1/sales/fusion/runs"],
    ] as const) {
      const r = await asUser(free)(path, { method, body: method === "POST" ? {} : undefined });
      expect(r.status).toBe(402);
      expect(r.body).toMatchObject({ feature: "knowledge_fusion", required_plan: "professional" });
    }
    const u = await professional();
    expect((await asUser(u)("/api/v1/sales/fusion/documents/kdoc_nope")).status).toBe(404);
    expect((await asUser(u)("/api/v1/sales/fusion/runs/frun_nope")).status).toBe(404);
  });
});
