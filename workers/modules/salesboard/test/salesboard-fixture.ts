import { env } from "cloudflare:workers";
import { sql } from "drizzle-orm";
import { getDb } from "../../../platform/db";

/**
 * A seeded sales history for the salesboard tests, written straight into D1 (the rows the CRM and the
 * sequence engine leave): leads, a three-step sequence, sends/replies/meetings as timeline entries,
 * stages, deals and stage changes. All inside 2026-10-05 … 2026-11-29 (eight weeks, from a Monday)
 * except what is placed outside on purpose. `scale` divides the sends (a small workspace: too little data).
 */
export const WINDOW = { from: "2026-10-05", to: "2026-11-29" };
const T = (iso: string) => Date.parse(`${iso}Z`);
const db = getDb(env.DB);

interface Activity {
  id: string;
  lead: string;
  kind: string;
  actor: string | null;
  data: Record<string, unknown>;
  at: number;
}

export async function seedBoard(t: string, repA: string, repB: string, opts: { leads?: number; scale?: number } = {}) {
  const n = opts.leads ?? 100;
  const tag = t.slice(-8);
  const lead = (i: number) => `lead_sb${tag}${String(i).padStart(4, "0")}`;
  const seq = `seq_sb${tag}`;
  const stepIds = [1, 2, 3].map((p) => `sstep_sb${tag}${p}`);
  const variantIds = [1, 2, 3].map((p) => `svar_sb${tag}${p}`);
  const stage = (i: number) => `stg_sb${tag}${i}`;
  const created = T("2026-09-20T09:00:00");

  const leads = Array.from({ length: n }, (_, i) => ({ id: lead(i), owner: i < n / 2 ? repA : repB, created, source: "import" }));
  // Five leads created inside the window that nobody contacted yet: in play, at the "leads" stage only.
  for (let i = 0; i < 5; i++) leads.push({ id: lead(n + i), owner: repA, created: T("2026-11-02T09:00:00"), source: "inbound" });
  await db.run(sql`insert into sales_leads (tenant_id, id, email, first_name, owner_id, source, status, tags, custom_fields,
      emails_sent, opens, replies, site_visits, created_at, updated_at)
    select ${t}, j.value ->> 'id', lower(j.value ->> 'id') || '@board.test', 'Lead', j.value ->> 'owner', j.value ->> 'source',
      'contacted', '[]', '{}', 0, 0, 0, 0, j.value ->> 'created', j.value ->> 'created'
    from json_each(${JSON.stringify(leads)}) j`);

  for (const q of [
    sql`insert into sales_sequences (tenant_id, id, name, status, created_at, updated_at)
      values (${t}, ${seq}, 'Board outreach', 'active', ${created}, ${created})`,
    sql`insert into sales_sequence_steps (tenant_id, id, sequence_id, position, kind, delay_minutes, condition, created_at)
      select ${t}, j.value ->> 'id', ${seq}, j.key + 1, 'email', 0, 'always', ${created} from json_each(${JSON.stringify(stepIds.map((id) => ({ id })))}) j`,
    sql`insert into sales_step_variants (tenant_id, id, step_id, label, subject, body, created_at)
      select ${t}, j.value ->> 'v', j.value ->> 's', 'A', 'Hi', 'Hello', ${created}
      from json_each(${JSON.stringify(variantIds.map((v, i) => ({ v, s: stepIds[i] })))}) j`,
  ])
    await db.run(q);

  const acts: Activity[] = [];
  let k = 0;
  const add = (leadId: string, kind: string, actor: string | null, data: Record<string, unknown>, at: number) =>
    acts.push({ id: `act_sb${tag}${String(k++).padStart(5, "0")}`, lead: leadId, kind, actor, data, at });
  for (let i = 0; i < n; i++) add(lead(i), "enrolled", repA, { sequence_id: seq }, T("2026-10-05T08:00:00"));
  // Step 1 to everyone on Tuesday 6 Oct; step 2 to leads ≥ 20% on Friday 16 Oct; step 3 to leads ≥ 40% on Wednesday 21 Oct.
  const scale = opts.scale ?? 1;
  const plan = [
    { step: 0, day: "2026-10-06", from: 0, replies: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], positive: [0, 1, 2, 3] },
    { step: 1, day: "2026-10-16", from: 20, replies: [20, 21, 22, 23, 24, 25], positive: [20, 21] },
    { step: 2, day: "2026-10-21", from: 40, replies: [40], positive: [] as number[] },
  ];
  for (const p of plan) {
    const at = T(`${p.day}T10:00:00`);
    for (let i = p.from; i < n; i += scale) {
      const draft = `drf_sb${tag}${p.step}${String(i).padStart(4, "0")}`;
      add(lead(i), "email_sent", null, { draft_id: draft, sequence_id: seq, variant_id: variantIds[p.step] }, at);
      if (p.replies.includes(i))
        add(
          lead(i),
          "email_replied",
          null,
          { draft_id: draft, sequence_id: seq, sentiment: p.positive.includes(i) ? "positive" : "neutral" },
          at + 86_400_000,
        );
    }
  }
  // Meetings (logged by rep A) two days after the reply: leads 0–3 after step 1, leads 20–21 after step 2.
  for (const i of [0, 1, 2, 3]) if (i % scale === 0) add(lead(i), "meeting", repA, { title: "Intro" }, T("2026-10-09T15:00:00"));
  for (const i of [20, 21]) if (i % scale === 0) add(lead(i), "meeting", repA, { title: "Demo" }, T("2026-10-19T15:00:00"));
  add(lead(0), "call", repA, { outcome: "connected" }, T("2026-10-08T11:00:00"));
  add(lead(0), "note", repB, {}, T("2026-10-08T12:00:00"));

  const stages = [
    { id: stage(0), name: "Lead in", position: 0, probability: 10, outcome: "open" },
    { id: stage(1), name: "Qualified", position: 1, probability: 25, outcome: "open" },
    { id: stage(2), name: "Meeting booked", position: 2, probability: 50, outcome: "open" },
    { id: stage(3), name: "Proposal", position: 3, probability: 75, outcome: "open" },
    { id: stage(4), name: "Won", position: 4, probability: 100, outcome: "won" },
    { id: stage(5), name: "Lost", position: 5, probability: 0, outcome: "lost" },
  ];
  const deal = (
    id: string,
    st: number,
    amount: number,
    owner: string,
    source: string,
    createdAt: string,
    closedAt: string | null,
    leadId: string | null,
  ) => ({
    id: `deal_sb${tag}${id}`,
    stage: stage(st),
    amount,
    owner,
    source,
    outcome: st === 4 ? "won" : st === 5 ? "lost" : "open",
    created: T(`${createdAt}T09:00:00`),
    closed: closedAt ? T(`${closedAt}T09:00:00`) : null,
    lead: leadId,
  });
  const deals = [
    deal("o1", 0, 100_000, repA, "inbound", "2026-11-20", null, lead(10)),
    deal("o2", 1, 200_000, repA, "inbound", "2026-11-01", null, lead(11)),
    deal("o3", 3, 400_000, repA, "referral", "2026-10-10", null, lead(12)),
    deal("w1", 4, 500_000, repA, "referral", "2026-10-01", "2026-10-21", lead(0)),
    deal("w2", 4, 300_000, repA, "referral", "2026-10-01", "2026-11-10", lead(1)),
    deal("w3", 4, 200_000, repB, "import", "2026-10-11", "2026-11-20", lead(2)),
    deal("l1", 5, 100_000, repB, "import", "2026-10-01", "2026-10-15", lead(50)),
    deal("old", 4, 900_000, repB, "import", "2026-08-01", "2026-09-15", lead(51)), // closed before the window
  ];
  const change = (d: string, from: number, to: number, at: string) =>
    add(
      lead(0),
      "stage_changed",
      repA,
      { from_stage_id: stage(from), to_stage_id: stage(to), outcome: "open", deal: `deal_sb${tag}${d}` },
      T(`${at}T09:00:00`),
    );
  change("o2", 0, 1, "2026-11-05");
  change("o3", 0, 1, "2026-10-12");
  change("o3", 1, 3, "2026-10-20");

  for (const q of [
    sql`insert into sales_stages (tenant_id, id, name, position, probability, outcome, created_at)
      select ${t}, j.value ->> 'id', j.value ->> 'name', j.value ->> 'position', j.value ->> 'probability', j.value ->> 'outcome', ${created}
      from json_each(${JSON.stringify(stages)}) j`,
    sql`insert into sales_deals (tenant_id, id, name, lead_id, stage_id, position, amount_minor, currency, owner_id, source,
        outcome, closed_at, stage_changed_at, custom_fields, created_at, updated_at)
      select ${t}, j.value ->> 'id', 'Deal ' || (j.value ->> 'id'), j.value ->> 'lead', j.value ->> 'stage', 0, j.value ->> 'amount', 'USD',
        j.value ->> 'owner', j.value ->> 'source', j.value ->> 'outcome', j.value ->> 'closed', coalesce(j.value ->> 'closed', j.value ->> 'created'),
        '{}', j.value ->> 'created', j.value ->> 'created'
      from json_each(${JSON.stringify(deals)}) j`,
  ])
    await db.run(q);
  // Activities in slices (one JSON parameter each); stage changes carry their deal id in the column.
  for (let i = 0; i < acts.length; i += 500)
    await db.run(sql`insert into sales_activities (tenant_id, id, lead_id, deal_id, kind, actor_id, summary, data, occurred_at, created_at)
      select ${t}, j.value ->> 'id', j.value ->> 'lead', j.value -> 'data' ->> 'deal', j.value ->> 'kind', j.value ->> 'actor', j.value ->> 'kind',
        json(j.value -> 'data'), j.value ->> 'at', j.value ->> 'at'
      from json_each(${JSON.stringify(acts.slice(i, i + 500))}) j`);
  return { seq, lead, stage, deal: (id: string) => `deal_sb${tag}${id}`, stepIds, variantIds };
}
