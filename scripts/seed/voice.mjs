// Voice-to-action demo (modules/voice, docs/sales.md): two analysed calls of the demo workspace — a WebVTT
// transcript with Ava Walker (Northwind) and a "Speaker: line" text transcript with Ben Larsen (Brightpath) —
// each with the summary, action items and the open proposals (tasks, a ticket, the follow-up email) that the
// local extractor (workers/modules/voice/extract.ts) writes for these transcripts, and the call on the lead's
// timeline. Idempotent: fixed ids (`call_demo_…`, `prop_demo_…`) and ON CONFLICT DO NOTHING.
// The Calls page needs the voice_to_action feature (Enterprise, the demo workspace's plan).
import { insert, OWNER, raw, TENANT } from "./sql.mjs";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T = raw(TENANT);
const LEADS = { call_demo_01: "lead_demo_01", call_demo_02: "lead_demo_02" };
const AGO = { call_demo_01: 3 * DAY, call_demo_02: DAY + 4 * HOUR };

// Generated once from the transcripts with the local extractor (dueIn: ms after the call).
const CALLS = [
  {
    id: "call_demo_01",
    title: "Northwind pilot check-in",
    format: "vtt",
    segments: [
      {
        speaker: "Demo Owner",
        startMs: 2000,
        endMs: 9000,
        text: "Hi Ava, thanks for taking the time. How are the Northwind dispatch teams getting on with the pilot?",
      },
      {
        speaker: "Ava Walker",
        startMs: 10000,
        endMs: 21000,
        text: "Really well overall. The route planner saves the dispatchers about an hour a day. One problem though: the driver app doesn't sync when the phones go offline, and we get an error when they reconnect.",
      },
      {
        speaker: "Demo Owner",
        startMs: 22000,
        endMs: 31000,
        text: "Thanks for flagging that. I'll send you the rollout plan for the other three depots by Friday, and I'll ask our support team to look at the offline sync.",
      },
      {
        speaker: "Ava Walker",
        startMs: 32000,
        endMs: 40000,
        text: "Great. Can you also share the security questionnaire with our IT lead next week?",
      },
      {
        speaker: "Demo Owner",
        startMs: 41000,
        endMs: 50000,
        text: "Of course. The next step is a pricing review with your finance director in two weeks.",
      },
    ],
    text: "Demo Owner: Hi Ava, thanks for taking the time. How are the Northwind dispatch teams getting on with the pilot?\nAva Walker: Really well overall. The route planner saves the dispatchers about an hour a day. One problem though: the driver app doesn't sync when the phones go offline, and we get an error when they reconnect.\nDemo Owner: Thanks for flagging that. I'll send you the rollout plan for the other three depots by Friday, and I'll ask our support team to look at the offline sync.\nAva Walker: Great. Can you also share the security questionnaire with our IT lead next week?\nDemo Owner: Of course. The next step is a pricing review with your finance director in two weeks.",
    durationMs: 50000,
    summary:
      "Call with Demo Owner and Ava Walker (1 min). Ava Walker: One problem though: the driver app doesn't sync when the phones go offline, and we get an error when they reconnect. Demo Owner: I'll send you the rollout plan for the other three depots by Friday. Demo Owner: I'll ask our support team to look at the offline sync. 4 follow-up tasks and 1 problem raised.",
    actionItems: [
      "Demo Owner: Send Ava the rollout plan for the other three depots (by Friday)",
      "Demo Owner: Ask our support team to look at the offline sync",
      "Demo Owner: Share the security questionnaire with Ava's IT lead (next week)",
      "Next step: a pricing review with Ava's finance director (in two weeks)",
    ],
    proposals: [
      {
        kind: "task",
        proposed: {
          title: "Send Ava the rollout plan for the other three depots",
          ownerGuess: "Demo Owner",
          dueText: "by Friday",
          dueIn: 352800000,
          quote: "I'll send you the rollout plan for the other three depots by Friday",
        },
      },
      {
        kind: "task",
        proposed: {
          title: "Ask our support team to look at the offline sync",
          ownerGuess: "Demo Owner",
          dueText: null,
          dueIn: null,
          quote: "I'll ask our support team to look at the offline sync.",
        },
      },
      {
        kind: "task",
        proposed: {
          title: "Share the security questionnaire with Ava's IT lead",
          ownerGuess: "Demo Owner",
          dueText: "next week",
          dueIn: 612000000,
          quote: "Can you also share the security questionnaire with our IT lead next week?",
        },
      },
      {
        kind: "task",
        proposed: {
          title: "Next step: a pricing review with Ava's finance director",
          ownerGuess: null,
          dueText: "in two weeks",
          dueIn: 1216800000,
          quote: "The next step is a pricing review with your finance director in two weeks.",
        },
      },
      {
        kind: "ticket",
        proposed: {
          title: "The driver app doesn't sync when the phones go offline, and we get an error when they reconnect",
          body: "Raised on the call “Northwind pilot check-in”. Ava Walker at 00:10 said:\n\n“One problem though: the driver app doesn't sync when the phones go offline, and we get an error when they reconnect.”",
          priority: "normal",
          quote: "One problem though: the driver app doesn't sync when the phones go offline, and we get an error when they reconnect.",
        },
      },
      {
        kind: "email",
        proposed: {
          subject: "Following up on our call: Northwind pilot check-in",
          body: "Hi Ava,\n\nThank you for your time on our call. A short recap of what we agreed:\n\n- Send Ava the rollout plan for the other three depots (Demo Owner, by Friday)\n- Ask our support team to look at the offline sync (Demo Owner)\n- Share the security questionnaire with Ava's IT lead (Demo Owner, next week)\n- Next step: a pricing review with Ava's finance director (in two weeks)\n\nYou mentioned a problem (“One problem though: the driver app doesn't sync when the phones go offline, and we get an error when they reconnect.”). I have passed it to our support team, and they will be in touch.\n\nNext step: a pricing review with Ava's finance director.\n\nIf I missed anything, just reply to this email.\n\nBest regards,",
          safety: {
            action: "allowed",
            rules: [],
          },
        },
      },
    ],
  },
  {
    id: "call_demo_02",
    title: "Brightpath reporting follow-up",
    format: "text",
    segments: [
      {
        speaker: "Demo Owner",
        startMs: 0,
        endMs: 8000,
        text: "Ben, good to talk again. Did the team try the new reporting module?",
      },
      {
        speaker: "Ben Larsen",
        startMs: 8000,
        endMs: 17000,
        text: "We did, and the course completion report is exactly what our managers wanted.",
      },
      {
        speaker: "Ben Larsen",
        startMs: 17000,
        endMs: 26000,
        text: "The export to PDF is broken for reports with more than 50 learners though.",
      },
      {
        speaker: "Demo Owner",
        startMs: 26000,
        endMs: 34000,
        text: "Understood. Could you send me an example report so our engineers can reproduce it?",
      },
      {
        speaker: "Ben Larsen",
        startMs: 34000,
        endMs: 40000,
        text: "Sure, I will send it tomorrow.",
      },
      {
        speaker: "Demo Owner",
        startMs: 40000,
        endMs: null,
        text: "And I'll prepare a quote for the 200-seat plan by the end of the month.",
      },
    ],
    text: "Demo Owner: Ben, good to talk again. Did the team try the new reporting module?\nBen Larsen: We did, and the course completion report is exactly what our managers wanted.\nBen Larsen: The export to PDF is broken for reports with more than 50 learners though.\nDemo Owner: Understood. Could you send me an example report so our engineers can reproduce it?\nBen Larsen: Sure, I will send it tomorrow.\nDemo Owner: And I'll prepare a quote for the 200-seat plan by the end of the month.",
    durationMs: 40000,
    summary:
      "Call with Demo Owner and Ben Larsen (1 min). Ben Larsen: We did, and the course completion report is exactly what our managers wanted. Demo Owner: Could you send me an example report so our engineers can reproduce it? Demo Owner: And I'll prepare a quote for the 200-seat plan by the end of the month. 2 follow-up tasks and 1 problem raised.",
    actionItems: [
      "Ben Larsen: Send Demo an example report so our engineers can reproduce it (tomorrow)",
      "Demo Owner: Prepare a quote for the 200-seat plan (end of the month)",
    ],
    proposals: [
      {
        kind: "task",
        proposed: {
          title: "Send Demo an example report so our engineers can reproduce it",
          ownerGuess: "Ben Larsen",
          dueText: "tomorrow",
          dueIn: 93600000,
          quote: "Could you send me an example report so our engineers can reproduce it?",
        },
      },
      {
        kind: "task",
        proposed: {
          title: "Prepare a quote for the 200-seat plan",
          ownerGuess: "Demo Owner",
          dueText: "end of the month",
          dueIn: 2253600000,
          quote: "And I'll prepare a quote for the 200-seat plan by the end of the month.",
        },
      },
      {
        kind: "ticket",
        proposed: {
          title: "The export to PDF is broken for reports with more than 50 learners though",
          body: "Raised on the call “Brightpath reporting follow-up”. Ben Larsen at 00:17 said:\n\n“The export to PDF is broken for reports with more than 50 learners though.”",
          priority: "normal",
          quote: "The export to PDF is broken for reports with more than 50 learners though.",
        },
      },
      {
        kind: "email",
        proposed: {
          subject: "Following up on our call: Brightpath reporting follow-up",
          body: "Hi Ben,\n\nThank you for your time on our call. A short recap of what we agreed:\n\n- Send Demo an example report so our engineers can reproduce it (Ben Larsen, tomorrow)\n- Prepare a quote for the 200-seat plan (Demo Owner, end of the month)\n\nYou mentioned a problem (“The export to PDF is broken for reports with more than 50 learners though.”). I have passed it to our support team, and they will be in touch.\n\nIf I missed anything, just reply to this email.\n\nBest regards,",
          safety: {
            action: "allowed",
            rules: [],
          },
        },
      },
    ],
  },
];

export function voiceSql({ now }) {
  const calls = [];
  const proposals = [];
  const activities = [];
  for (const c of CALLS) {
    const at = now - AGO[c.id];
    calls.push({
      tenant_id: T,
      id: c.id,
      title: c.title,
      lead_id: LEADS[c.id],
      deal_id: null,
      source: "transcript",
      file_id: null,
      format: c.format,
      status: "analysed",
      failure_reason: null,
      speech_provider: "upload",
      segments: c.segments,
      transcript_text: c.text,
      duration_ms: c.durationMs,
      summary: c.summary,
      action_items: c.actionItems,
      analysed_by: "local/extractor",
      analysis_local: true,
      ai_call_id: null,
      activity_id: null,
      occurred_at: at,
      created_by: raw(OWNER),
      created_at: at + HOUR,
      updated_at: at + HOUR,
    });
    c.proposals.forEach((p, i) => {
      const { dueIn, ...proposed } = p.proposed;
      proposals.push({
        tenant_id: T,
        id: `prop_demo_${c.id.slice(-2)}_${i + 1}`,
        call_id: c.id,
        kind: p.kind,
        position: i,
        status: "proposed",
        proposed: dueIn === undefined ? proposed : { ...proposed, dueAt: dueIn === null ? null : at + dueIn },
        accepted: null,
        created_type: null,
        created_id: null,
        decided_by: null,
        decided_at: null,
        created_at: at + HOUR,
        updated_at: at + HOUR,
      });
    });
    activities.push({
      tenant_id: T,
      id: `act_demo_${c.id}`,
      lead_id: LEADS[c.id],
      company_id: null,
      deal_id: null,
      kind: "call",
      actor_id: raw(OWNER),
      summary: `Call: ${c.title}`,
      data: { call_id: c.id, summary: c.summary.slice(0, 400), duration_ms: c.durationMs, source: "transcript" },
      dedupe_key: `voice_call:${c.id}`,
      occurred_at: at,
      created_at: at + HOUR,
    });
  }
  return [insert("sales_calls", calls), insert("sales_call_proposals", proposals), insert("sales_activities", activities)].join("\n");
}
