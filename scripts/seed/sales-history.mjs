// Eight weeks of the demo workspace's sales history for the salesboard (docs/sales.md "salesboard"):
// a finished three-step sequence sent to the forty demo leads (replies fall off at step 3), replies
// and meetings on their timelines, and twenty closed deals with their stage changes (they sit in
// Proposal about three times as long as elsewhere; referral deals win more often than event ones).
// So the board's figures and several coaching insights have something to show.
//
// Idempotent like the rest of the seed: fixed ids (`…_demo_…`), ON CONFLICT DO NOTHING. Called by
// scripts/seed/sales.mjs with its leads and stage-id expression.
import { insert, OWNER, raw, TENANT } from "./sql.mjs";

const DAY = 86_400_000;
const T = raw(TENANT);
const SEQ = "seq_demo_outbound";
const STEPS = [
  { id: "sstep_demo_outbound_1", day: 52, subject: "A faster pipeline for {{company}}", replies: [1, 4, 9, 14, 22, 30] },
  { id: "sstep_demo_outbound_2", day: 47, subject: "Worth a look?", replies: [2, 17, 25] },
  { id: "sstep_demo_outbound_3", day: 41, subject: "Closing the loop", replies: [] },
];
const POSITIVE = new Set([1, 4, 14, 17]);

/** @param {{ now: number, leads: { id: string, company_id: string | null }[], stageId: (n: number) => { raw: string } }} ctx */
export function salesHistorySql({ now, leads, stageId }) {
  const t0 = now - 56 * DAY;
  const sequence = {
    tenant_id: T,
    id: SEQ,
    name: "Q4 outbound",
    status: "paused",
    auto_send: 0,
    enrol_filter: {},
    enrolled: leads.length,
    active: 0,
    replied: STEPS.reduce((n, s) => n + s.replies.length, 0),
    created_by: raw(OWNER),
    created_at: t0,
    updated_at: now - 40 * DAY,
  };
  const steps = STEPS.map((s, i) => ({
    tenant_id: T,
    id: s.id,
    sequence_id: SEQ,
    position: i + 1,
    kind: "email",
    delay_minutes: i === 0 ? 0 : 5 * 24 * 60,
    condition: i === 0 ? "always" : "no_reply",
    task_title: null,
    created_at: t0,
  }));
  const acts = [];
  const act = (lead, kind, summary, data, at, actor = raw(OWNER)) =>
    acts.push({
      tenant_id: T,
      id: `act_demo_h${String(acts.length + 1).padStart(4, "0")}`,
      lead_id: lead.id,
      company_id: lead.company_id,
      deal_id: null,
      kind,
      actor_id: actor,
      summary,
      data,
      occurred_at: at,
      created_at: at,
    });
  const replied = new Set();
  const sent = STEPS.map(() => 0);
  for (const lead of leads) act(lead, "enrolled", "Enrolled in the sequence “Q4 outbound”", { sequence_id: SEQ }, now - 53 * DAY);
  STEPS.forEach((s, k) => {
    leads.forEach((lead, i) => {
      if (replied.has(i)) return; // a reply stopped the sequence for this lead
      // Each step goes out over the morning of its day, a lead every few minutes.
      const at = now - s.day * DAY + (9 * 60 + i * 7) * 60_000 - ((now - s.day * DAY) % DAY);
      const draft = `drf_demo_outbound_${k + 1}_${String(i + 1).padStart(2, "0")}`;
      act(
        lead,
        "email_sent",
        `Email sent: ${s.subject}`,
        { draft_id: draft, sequence_id: SEQ, variant_id: `svar_demo_outbound_${k + 1}` },
        at,
        null,
      );
      sent[k]++;
      if (s.replies.includes(i)) {
        replied.add(i);
        const sentiment = POSITIVE.has(i) ? "positive" : "neutral";
        act(
          lead,
          "email_replied",
          `Replied (${sentiment}): ${s.subject}`,
          { draft_id: draft, sequence_id: SEQ, sentiment },
          at + (5 + (i % 20)) * 3_600_000,
          null,
        );
        if (POSITIVE.has(i)) act(lead, "meeting", "Meeting: Intro call", { title: "Intro call", notes: "" }, at + 3 * DAY);
      }
    });
  });
  const variants = STEPS.map((s, k) => ({
    tenant_id: T,
    id: `svar_demo_outbound_${k + 1}`,
    step_id: s.id,
    label: "A",
    subject: s.subject,
    body: "Hi {{first_name}},\n\nWe help teams like {{company}} follow up on every lead without the spreadsheet.\n\n{{sender_name}}",
    instructions: "",
    active: 1,
    sent: sent[k],
    replies: s.replies.length,
    positive_replies: s.replies.filter((i) => POSITIVE.has(i)).length,
    created_at: t0,
  }));
  const enrollments = leads.map((lead, i) => ({
    tenant_id: T,
    id: `enr_demo_outbound_${String(i + 1).padStart(2, "0")}`,
    sequence_id: SEQ,
    lead_id: lead.id,
    status: "finished",
    stop_reason: replied.has(i) ? "replied" : "completed",
    next_step: 4,
    next_run_at: null,
    last_sent_at: now - 41 * DAY,
    thread_id: null,
    waiting_on: null,
    enrolled_by: raw(OWNER),
    created_at: now - 53 * DAY,
    updated_at: now - 40 * DAY,
  }));

  // Twenty closed deals: Lead in ~4 days, Qualified ~5, Proposal ~18, then won or lost.
  const deals = [];
  const changes = [];
  for (let d = 0; d < 20; d++) {
    const referral = d % 2 === 0;
    const won = referral ? d % 10 !== 4 && d % 10 !== 8 : d % 10 === 3; // referral 6 of 10 won, event 2 of 10
    const lead = leads[(d * 3 + 5) % leads.length];
    const created = now - (76 - d * 2) * DAY; // closed 22–32 days later: all inside the last eight weeks
    const spans = [3 + (d % 3), 4 + (d % 4), 15 + (d % 7)];
    const id = `deal_demo_h${String(d + 1).padStart(2, "0")}`;
    let at = created;
    [
      [0, 1],
      [1, 3],
      [3, won ? 4 : 5],
    ].forEach(([from, to], k) => {
      at += spans[k] * DAY;
      changes.push({
        tenant_id: T,
        id: `act_demo_hs${String(changes.length + 1).padStart(3, "0")}`,
        lead_id: lead.id,
        company_id: lead.company_id,
        deal_id: id,
        kind: "stage_changed",
        actor_id: raw(OWNER),
        summary: `Deal moved${to >= 4 ? (won ? " (won)" : " (lost)") : ""}`,
        data: raw(
          `json_object('from_stage_id', ${stageId(from).raw}, 'to_stage_id', ${stageId(to).raw}, 'outcome', '${to === 4 ? "won" : to === 5 ? "lost" : "open"}')`,
        ),
        occurred_at: at,
        created_at: at,
      });
    });
    deals.push({
      tenant_id: T,
      id,
      name: `${referral ? "Referral" : "Event"} deal ${d + 1}`,
      lead_id: lead.id,
      company_id: lead.company_id,
      stage_id: stageId(won ? 4 : 5),
      position: 100 + d,
      amount_minor: (4 + (d % 5) * 3) * 100_000,
      currency: "USD",
      owner_id: raw(OWNER),
      source: referral ? "referral" : "event",
      expected_close_at: null,
      outcome: won ? "won" : "lost",
      lost_reason: won ? null : "No budget this year",
      closed_at: at,
      stage_changed_at: at,
      custom_fields: {},
      created_at: created,
      updated_at: at,
    });
  }
  return [
    "-- Sales history for the salesboard (scripts/seed/sales-history.mjs)",
    insert("sales_sequences", [sequence]),
    insert("sales_sequence_steps", steps),
    insert("sales_step_variants", variants),
    insert("sales_enrollments", enrollments),
    insert("sales_deals", deals),
    insert("sales_activities", [...acts, ...changes]),
  ].join("\n");
}
