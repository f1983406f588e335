// The demo workspace's CRM (modules/sales, docs/sales.md): twelve companies, forty leads (a few on
// free-mail addresses, so without a company), the default pipeline stages with ten deals across
// them (two won, one lost), tasks (some overdue, some done) and a timeline of notes, calls,
// meetings and stage changes over the last month.
//
// Idempotent: fixed ids (`…_demo_…`) and ON CONFLICT DO NOTHING. Stage ids follow the module's
// default-stage rule (`stg_<tenant id without "ten_">_<n>`, stages.service.ts) so the API finds them
// instead of creating its own set. Rows are written straight into D1 (times in the past).
// Not counted: the `leads` meter's usage (the demo's Enterprise plan allows 100,000; the seed writes 40).
import { salesHistorySql } from "./sales-history.mjs";
import { insert, OWNER, raw, TENANT } from "./sql.mjs";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T = raw(TENANT);
const stageId = (n) => raw(`'stg_' || substr(${TENANT}, 5) || '_${n}'`);

const COMPANIES = [
  ["northwind", "Northwind Logistics", "northwind-logistics.com", "Logistics", 420, "US"],
  ["brightpath", "Brightpath Learning", "brightpath.io", "Education", 85, "GB"],
  ["helio", "Helio Energy", "helio-energy.de", "Energy", 1200, "DE"],
  ["quillco", "Quill & Co", "quillco.com", "Retail", 35, "US"],
  ["tandem", "Tandem Health", "tandemhealth.com", "Healthcare", 640, "US"],
  ["fjord", "Fjord Analytics", "fjord-analytics.no", "Software", 150, "NO"],
  ["cobalt", "Cobalt Robotics", "cobalt-robotics.com", "Manufacturing", 310, "US"],
  ["lumen", "Lumen Studios", "lumenstudios.fr", "Media", 22, "FR"],
  ["granite", "Granite Bank", "granitebank.com", "Financial services", 5200, "US"],
  ["saffron", "Saffron Foods", "saffronfoods.in", "Food", 900, "IN"],
  ["orbit", "Orbit Travel", "orbittravel.es", "Travel", 260, "ES"],
  ["kite", "Kite Software", "kitesoftware.io", "Software", 48, "CA"],
];
const FIRST = ["Ava", "Ben", "Chloe", "Diego", "Emma", "Felix", "Grace", "Hugo", "Isla", "Jonas", "Kira", "Liam", "Maya", "Noah"];
const LAST = ["Walker", "Schmidt", "Okafor", "Rossi", "Nguyen", "Larsen", "Dubois", "Patel", "Garcia", "Kim", "Silva", "Cohen"];
const TITLES = ["VP Sales", "Head of Operations", "CTO", "Marketing Manager", "CEO", "Director of IT", "Procurement Lead", "Founder"];
const STATUSES = ["new", "new", "contacted", "engaged", "qualified", "new", "contacted", "unqualified"];
const TIMEZONES = {
  US: "America/New_York",
  GB: "Europe/London",
  DE: "Europe/Berlin",
  NO: "Europe/Oslo",
  FR: "Europe/Paris",
  IN: "Asia/Kolkata",
  ES: "Europe/Madrid",
  CA: "America/Toronto",
};

export function salesSql({ now }) {
  const companies = COMPANIES.map(([key, name, domain, industry, employees, country], i) => ({
    tenant_id: T,
    id: `co_demo_${key}`,
    name,
    domain,
    industry,
    employees,
    country,
    owner_id: raw(OWNER),
    source: i % 3 ? "import" : "manual",
    tags: i < 4 ? ["target-account"] : [],
    custom_fields: {},
    enriched_by: "local-domain",
    created_at: now - (40 - i) * DAY,
    updated_at: now - (40 - i) * DAY,
  }));
  const leads = [];
  for (let i = 0; i < 40; i++) {
    const first = FIRST[i % FIRST.length];
    const last = LAST[(i * 5) % LAST.length];
    const free = i >= 36; // four people writing from personal addresses: no company
    const co = COMPANIES[i % COMPANIES.length];
    const email = free ? `${first}.${last}${i}@gmail.com`.toLowerCase() : `${first}.${last}@${co[2]}`.toLowerCase();
    const created = now - (35 - (i % 30)) * DAY - i * HOUR;
    const status = STATUSES[i % STATUSES.length];
    const sent = status === "new" ? 0 : 1 + (i % 3);
    leads.push({
      tenant_id: T,
      id: `lead_demo_${String(i + 1).padStart(2, "0")}`,
      email,
      first_name: first,
      last_name: last,
      title: TITLES[i % TITLES.length],
      company_id: free ? null : `co_demo_${co[0]}`,
      company_name: free ? null : co[1],
      domain: free ? null : co[2],
      industry: free ? null : co[3],
      employees: free ? null : co[4],
      country: co[5],
      timezone: TIMEZONES[co[5]] ?? null,
      source: ["import", "website", "event", "referral"][i % 4],
      owner_id: raw(OWNER),
      status,
      tags: i % 5 === 0 ? ["webinar"] : i % 7 === 0 ? ["hot"] : [],
      custom_fields: {},
      emails_sent: sent,
      opens: sent ? i % 4 : 0,
      replies: status === "engaged" || status === "qualified" ? 1 : 0,
      last_contacted_at: sent ? created + 2 * DAY : null,
      created_at: created,
      updated_at: created,
    });
  }
  const stageNames = [
    ["Lead in", 10, "open"],
    ["Qualified", 25, "open"],
    ["Meeting booked", 50, "open"],
    ["Proposal", 75, "open"],
    ["Won", 100, "won"],
    ["Lost", 0, "lost"],
  ];
  const stages = stageNames.map(([name, probability, outcome], n) => ({
    tenant_id: T,
    id: stageId(n),
    name,
    position: n,
    probability,
    outcome,
    created_at: now - 40 * DAY,
  }));
  // Ten deals: [lead index, stage, amount in dollars].
  const DEALS = [
    [4, 0, 4800],
    [12, 0, 2400],
    [3, 1, 12000],
    [20, 1, 6000],
    [11, 2, 18000],
    [27, 2, 9600],
    [19, 3, 36000],
    [28, 4, 15000],
    [35, 4, 7200],
    [7, 5, 3000],
  ];
  const perStage = new Map();
  const deals = DEALS.map(([li, stage, dollars], i) => {
    const lead = leads[li];
    const position = perStage.get(stage) ?? 0;
    perStage.set(stage, position + 1);
    const changed = now - (10 - i) * DAY;
    return {
      tenant_id: T,
      id: `deal_demo_${String(i + 1).padStart(2, "0")}`,
      name: `${lead.company_name ?? `${lead.first_name} ${lead.last_name}`} — ${["Pilot", "Annual plan", "Expansion", "Team plan"][i % 4]}`,
      lead_id: lead.id,
      company_id: lead.company_id,
      stage_id: stageId(stage),
      position,
      amount_minor: dollars * 100,
      currency: "USD",
      owner_id: raw(OWNER),
      source: lead.source,
      expected_close_at: now + (i + 1) * 7 * DAY,
      outcome: stageNames[stage][2],
      lost_reason: stage === 5 ? "Went with an in-house tool" : null,
      closed_at: stage >= 4 ? changed : null,
      stage_changed_at: changed,
      custom_fields: {},
      created_at: changed - 5 * DAY,
      updated_at: changed,
    };
  });
  const TASKS = [
    ["Call back about the pilot scope", 4, "call", -1, false],
    ["Send the security questionnaire", 11, "email", 1, false],
    ["Prepare the proposal deck", 19, "todo", 2, false],
    ["Book a demo with their ops team", 3, "meeting", -3, false],
    ["Follow up after the webinar", 10, "follow_up", 4, false],
    ["Confirm the signed order form", 28, "todo", -6, true],
    ["Intro call", 20, "call", -8, true],
    ["Share the case study", 27, "email", 0, false],
  ];
  const tasks = TASKS.map(([title, li, kind, dueDays, done], i) => ({
    tenant_id: T,
    id: `task_demo_${String(i + 1).padStart(2, "0")}`,
    title,
    notes: "",
    kind,
    lead_id: leads[li].id,
    owner_id: raw(OWNER),
    due_at: now + dueDays * DAY,
    done_at: done ? now + dueDays * DAY : null,
    origin: "manual",
    created_by: raw(OWNER),
    created_at: now - 12 * DAY + i * HOUR,
    updated_at: now - 12 * DAY + i * HOUR,
  }));
  const acts = [];
  const act = (lead, kind, summary, data, at, extra = {}) =>
    acts.push({
      tenant_id: T,
      id: `act_demo_${String(acts.length + 1).padStart(3, "0")}`,
      lead_id: lead.id,
      company_id: lead.company_id,
      deal_id: extra.deal_id ?? null,
      kind,
      actor_id: raw(OWNER),
      summary,
      data,
      occurred_at: at,
      created_at: at,
    });
  const NOTES = [
    "Interested in the analytics add-on; budget is approved for Q1.",
    "Prefers email over calls. Decision maker is the CFO.",
    "Using a spreadsheet today — pain is manual follow-ups.",
    "Met at the SaaS Connect booth; asked for pricing for 25 seats.",
  ];
  const CALLS = [
    ["connected", 540, "Walked through the pipeline view; wants a trial."],
    ["left_voicemail", 40, ""],
    ["no_answer", 0, ""],
    ["meeting_booked", 780, "Demo booked for next Tuesday."],
  ];
  leads.forEach((lead, i) => {
    if (i % 3 === 0) act(lead, "note", NOTES[i % NOTES.length], { body: NOTES[i % NOTES.length] }, lead.created_at + DAY);
    if (i % 4 === 1) {
      const [outcome, duration, notes] = CALLS[i % CALLS.length];
      const label = {
        connected: "Connected",
        left_voicemail: "Left a voicemail",
        no_answer: "No answer",
        meeting_booked: "Meeting booked",
      }[outcome];
      act(
        lead,
        "call",
        `Call: ${label}${duration ? ` (${Math.round(duration / 60)} min)` : ""}`,
        { outcome, duration_s: duration, notes },
        lead.created_at + 2 * DAY,
      );
    }
    if (i % 10 === 3) act(lead, "meeting", "Meeting: Discovery call", { title: "Discovery call", notes: "" }, lead.created_at + 3 * DAY);
  });
  deals.forEach((d, i) => {
    const stage = DEALS[i][1];
    if (stage > 0)
      act(
        leads[DEALS[i][0]],
        "stage_changed",
        `${d.name}: moved to ${stageNames[stage][0]}${stage >= 4 ? ` (${stageNames[stage][2]})` : ""}`,
        { to_stage: stageNames[stage][0], outcome: stageNames[stage][2] },
        d.stage_changed_at,
        { deal_id: d.id },
      );
  });
  return [
    "-- Sales CRM (scripts/seed/sales.mjs)",
    insert("sales_companies", companies),
    insert("sales_leads", leads),
    insert("sales_stages", stages),
    insert("sales_deals", deals),
    insert("sales_tasks", tasks),
    insert("sales_activities", acts),
    salesHistorySql({ now, leads, stageId }),
  ].join("\n");
}
