// The demo workspace's sales knowledge (knowledge fusion, modules/fusion, docs/sales.md): documents as a
// fusion run writes them from calls and email replies — drafts (AI-generated), reviewed ones and one a
// person edited — with their quoted sources on the seeded leads, confidence and basis, view counts.
// None is published: publishing writes a knowledge source that the running Worker indexes (R2, queue),
// so it is a click on the document page ("Publish"), not a row here.
//
// Idempotent: fixed ids (`kdoc_demo_…`) and ON CONFLICT DO NOTHING. The demo workspace is on Enterprise
// (knowledge fusion needs Professional or up).
import { insert, OWNER, raw, TENANT } from "./sql.mjs";

const DAY = 24 * 3_600_000;
const T = raw(TENANT);

const thread = (n, lead, title, at, quote, role = "evidence") => ({
  type: "thread",
  id: `enr_demo_fusion_${n}`,
  title,
  leadId: lead,
  occurredAt: at,
  quote,
  role,
});

export function fusionSql({ now }) {
  const a = now - 6 * DAY;
  const b = now - 4 * DAY;
  const c = now - 2 * DAY;
  const t1 = "Cut freight delays at Northwind (Logistics leaders)";
  const t2 = "A faster close for Helio Energy (Energy Q4)";
  const t3 = "Quick question for Granite Bank (Finance outreach)";
  const basis = (sources, threads, agreement, what) => ({
    sources,
    transcripts: 0,
    threads,
    agreement,
    note: `${what} in ${sources} independent source${sources === 1 ? "" : "s"} (0 calls, ${threads} email thread${threads === 1 ? "" : "s"}); agreement ${Math.round(agreement * 100)} %.`,
  });
  const doc = (id, o) => ({
    tenant_id: T,
    id: `kdoc_demo_${id}`,
    kind: o.kind,
    topic_key: o.topic,
    title: o.title,
    body: o.body,
    sources: o.sources,
    confidence: raw(String(o.confidence)), // insert() rounds plain numbers (times, counts)
    confidence_basis: o.basis,
    ai_generated: o.edited ? 0 : 1,
    generator: "local-fusion-v1",
    safety_action: "allowed",
    status: o.status,
    knowledge_source_id: null,
    view_count: o.views,
    run_id: "frun_demo_1",
    edited_by: o.edited ? raw(OWNER) : null,
    edited_at: o.edited ? c : null,
    reviewed_by: o.status === "reviewed" ? raw(OWNER) : null,
    reviewed_at: o.status === "reviewed" ? c : null,
    published_by: null,
    published_at: null,
    created_at: o.at,
    updated_at: o.edited ? c : o.at,
  });
  const docs = [
    doc("faq_sap", {
      kind: "faq",
      topic: "integrat sap",
      title: "Does it integrate with SAP?",
      status: "draft",
      views: 3,
      at: a,
      confidence: 0.75,
      basis: basis(2, 2, 1, "Asked"),
      body: [
        "Yes: the SAP connector syncs orders every five minutes.",
        "",
        "## Asked in",
        `- “Does it integrate with SAP?” — Email thread “${t1}”`,
        `- “Does this work with our SAP setup?” — Email thread “${t2}”`,
      ].join("\n"),
      sources: [
        thread(1, "lead_demo_01", t1, a, "Does it integrate with SAP?"),
        thread(2, "lead_demo_03", t2, a + DAY, "Does this work with our SAP setup?"),
      ],
    }),
    doc("objection_price", {
      kind: "objection_handler",
      topic: "price",
      title: "Objection: “Honestly it looks too expensive for a team our size.”",
      status: "draft",
      views: 1,
      at: b,
      confidence: 0.5,
      basis: basis(1, 1, 1, "Heard"),
      body: [
        "**Objection:** Price",
        "",
        "## What prospects say",
        `- “Honestly it looks too expensive for a team our size.” — Email thread “${t3}”`,
        "",
        "## The answer that moved the deal",
        "_No answer to this objection is in the sources yet: write one before publishing._",
      ].join("\n"),
      sources: [thread(3, "lead_demo_09", t3, b, "Honestly it looks too expensive for a team our size.")],
    }),
    doc("battle_acme", {
      kind: "battle_card",
      topic: "acme route",
      title: "Battle card: Acme Route",
      status: "reviewed",
      views: 7,
      at: a,
      confidence: 0.75,
      basis: basis(2, 2, 0.5, "Named"),
      body: [
        "**Competitor:** Acme Route — named by prospects in 2 sources.",
        "",
        "## Where we meet them",
        `- “We switched from Acme Route last year.” — Email thread “${t1}”`,
        `- “We use Acme Route today and it is slow with large fleets.” — Email thread “${t2}”`,
        "",
        "## Their strengths (as prospects tell it)",
        "_None said yet._",
        "",
        "## Where they fall short",
        `- “We use Acme Route today and it is slow with large fleets.” — Email thread “${t2}”`,
        "",
        "## Our answers",
        "_No answer in the sources yet: write one before publishing._",
      ].join("\n"),
      sources: [
        thread(1, "lead_demo_01", t1, a, "We switched from Acme Route last year."),
        thread(2, "lead_demo_03", t2, a + DAY, "We use Acme Route today and it is slow with large fleets."),
      ],
    }),
    doc("playbook_logistics", {
      kind: "playbook",
      topic: "logistics leaders",
      title: "Playbook: Logistics leaders",
      status: "reviewed",
      views: 4,
      at: b,
      confidence: 0.45,
      basis: basis(1, 1, 0.6, "Positive replies"),
      edited: true,
      body: [
        "**Sequence:** Logistics leaders. What earned positive replies, with the reply rates it rests on.",
        "",
        "## Step 1 — variant A",
        "Subject: “Cut freight delays at {{company}}”",
        "Opening: “Our route planner cuts freight delays by a third for logistics teams.”",
        "20 sent, 5 replies (25 %), 3 positive (15 %).",
        "- beside variant B: 20 sent, 0 % positive",
        "",
        "Lead with the delay figure, not the product name; keep it under 80 words.",
        "",
        "## Replies it earned",
        `- “Interested — can you show us a demo next week?” — Email thread “${t1}”`,
      ].join("\n"),
      sources: [
        thread(1, "lead_demo_01", t1, a, "Interested — can you show us a demo next week?"),
        thread(1, "lead_demo_01", t1, a, "Our route planner cuts freight delays by a third for logistics teams.", "answer"),
      ],
    }),
  ];
  const run = {
    tenant_id: T,
    id: "frun_demo_1",
    status: "done",
    scope: "new",
    since: null,
    chosen: null,
    progress: 100,
    stage: "Done",
    transcripts: 0,
    threads: 3,
    created: docs.length,
    updated: 0,
    unchanged: 0,
    kept: 0,
    generator: "local-fusion-v1",
    transcripts_available: 1,
    latest_source_at: b,
    error: null,
    created_by: raw(OWNER),
    started_at: c,
    finished_at: c,
    created_at: c,
  };
  return [insert("fusion_runs", [run]), insert("fusion_documents", docs)].join("\n");
}
