// Automation demo (modules/workflows, docs/automation.md): three workflows of the demo workspace —
// "Refund approvals" (published v1, manual trigger: a condition, an approval, in-app notes) with three
// runs (one approved, one small refund that skipped the approval, one waiting on a pending approval),
// and two drafts made from the templates "Customer onboarding" and "Weekly analytics report".
// Idempotent: fixed ids (`wf_demo_…`, `wfr_demo_…`, `wfa_demo_…`) and ON CONFLICT DO NOTHING.
// Workflows need Professional or up (the demo workspace is on Enterprise). The waiting run has no Workflow instance yet (the seed
// writes D1 only): deciding its approval starts one for it (approvals.service.ts), which replays the
// condition and resumes at the approval.
import { createHash, randomBytes } from "node:crypto";
import { insert, OWNER, raw, sealSecret, TENANT } from "./sql.mjs";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T = raw(TENANT);
const node = (id, type, name, x, config = {}) => ({ id, type, name, position: { x, y: 0 }, config });

export const REFUNDS = {
  trigger: { type: "manual" },
  nodes: [
    node("trigger", "trigger", "Start", 0),
    node("big", "condition", "Over 100?", 240, { condition: { left: "trigger.data.amount", op: "gt", right: 100 } }),
    node("approve", "approval", "Finance approval", 480, {
      title: "Refund {{ trigger.data.amount }} to {{ trigger.data.customer }}?",
      message: 'Order {{ trigger.data.order }}: {{ trigger.data.reason | default: "no reason given" }}',
      approver_roles: ["owner", "admin"],
      timeout_hours: 48,
      escalate_after_hours: 24,
    }),
    node("approved", "send_message", "Tell the team", 720, {
      channel: "in_app",
      to: "role:owner",
      subject: "Refund approved",
      body: "Refund for {{ trigger.data.order }} approved.",
    }),
    node("declined", "send_message", "Tell the team (declined)", 720, {
      channel: "in_app",
      to: "role:owner",
      subject: "Refund declined",
      body: '{{ steps.approve.output.comment | default: "" }}',
    }),
    node("auto", "send_message", "Small refund note", 480, {
      channel: "in_app",
      to: "role:owner",
      subject: "Small refund",
      body: "Refunded {{ trigger.data.amount }} automatically.",
    }),
  ],
  edges: [
    { id: "e1", from: "trigger", to: "big" },
    { id: "e2", from: "big", to: "approve", port: "true" },
    { id: "e3", from: "big", to: "auto", port: "false" },
    { id: "e4", from: "approve", to: "approved", port: "approved" },
    { id: "e5", from: "approve", to: "declined", port: "rejected" },
    { id: "e6", from: "approve", to: "declined", port: "timeout" },
  ],
};
const ONBOARDING = {
  trigger: { type: "event", event: "member.joined" },
  nodes: [
    { id: "trigger", type: "trigger", name: "Start", position: { x: 0, y: 0 }, config: {} },
    {
      id: "welcome",
      type: "send_message",
      name: "Welcome",
      position: { x: 240, y: 80 },
      config: {
        channel: "in_app",
        to: "{{ trigger.data.user_id }}",
        subject: "Welcome aboard",
        body: "Start with the checklist on your home page.",
      },
    },
    { id: "day1", type: "wait", name: "Wait a day", position: { x: 480, y: 0 }, config: { mode: "duration", amount: 1, unit: "days" } },
    {
      id: "tips",
      type: "send_message",
      name: "Tips",
      position: { x: 720, y: 80 },
      config: {
        channel: "in_app",
        to: "{{ trigger.data.user_id }}",
        subject: "Three tips for your first week",
        body: "Invite a teammate, connect your data, publish your first workflow.",
      },
    },
    { id: "day4", type: "wait", name: "Wait 3 days", position: { x: 960, y: 0 }, config: { mode: "duration", amount: 3, unit: "days" } },
    {
      id: "check",
      type: "http_request",
      name: "Activation check",
      position: { x: 1200, y: 80 },
      config: {
        method: "GET",
        url: "https://api.example.com/activation?user={{ trigger.data.user_id }}",
        headers: { Authorization: "Bearer {{ secrets.WEFT_API_KEY }}" },
        response_mapping: { activated: "body.activated" },
      },
    },
    {
      id: "active",
      type: "condition",
      name: "Activated?",
      position: { x: 1440, y: 0 },
      config: { condition: { left: "steps.check.output.activated", op: "eq", right: true } },
    },
    {
      id: "congrats",
      type: "send_message",
      name: "Congratulations",
      position: { x: 1680, y: 80 },
      config: { channel: "in_app", to: "{{ trigger.data.user_id }}", subject: "You're all set", body: "Nice work getting started." },
    },
    {
      id: "nudge",
      type: "send_message",
      name: "Nudge",
      position: { x: 1920, y: 0 },
      config: {
        channel: "in_app",
        to: "{{ trigger.data.user_id }}",
        subject: "Need a hand?",
        body: "Reply to this message and we'll help you finish setting up.",
      },
    },
  ],
  edges: [
    { id: "e1", from: "trigger", to: "welcome" },
    { id: "e2", from: "welcome", to: "day1" },
    { id: "e3", from: "day1", to: "tips" },
    { id: "e4", from: "tips", to: "day4" },
    { id: "e5", from: "day4", to: "check" },
    { id: "e6", from: "check", to: "active" },
    { id: "e7", from: "check", to: "nudge", port: "error" },
    { id: "e8", from: "active", to: "congrats", port: "true" },
    { id: "e9", from: "active", to: "nudge", port: "false" },
  ],
};
const WEEKLY = {
  trigger: { type: "schedule", cron: "0 9 * * 1", timezone: "UTC" },
  nodes: [
    { id: "trigger", type: "trigger", name: "Start", position: { x: 0, y: 0 }, config: {} },
    {
      id: "figures",
      type: "http_request",
      name: "Fetch figures",
      position: { x: 240, y: 80 },
      config: {
        method: "GET",
        url: "https://api.example.com/api/v1/analytics/overview?days=7",
        headers: { Authorization: "Bearer {{ secrets.WEFT_API_KEY }}" },
        response_mapping: { figures: "body" },
      },
    },
    {
      id: "summary",
      type: "ai",
      name: "Summarise",
      position: { x: 480, y: 0 },
      config: { prompt: "Summarise last week's product figures in five bullet points: {{ steps.figures.output.figures | json }}" },
    },
    {
      id: "send",
      type: "send_message",
      name: "Email the owners",
      position: { x: 720, y: 80 },
      config: { channel: "email", to: "role:owner", subject: "Your weekly report ({{ run.id }})", body: "{{ steps.summary.output.text }}" },
    },
    {
      id: "no_data",
      type: "send_message",
      name: "Report failed",
      position: { x: 960, y: 0 },
      config: {
        channel: "in_app",
        to: "role:owner",
        subject: "Weekly report: no figures",
        body: "Set WEFT_API_KEY in the workflow secrets.",
      },
    },
  ],
  edges: [
    { id: "e1", from: "trigger", to: "figures" },
    { id: "e2", from: "figures", to: "summary" },
    { id: "e3", from: "figures", to: "no_data", port: "error" },
    { id: "e4", from: "summary", to: "send" },
  ],
};

const step = (runId, key, type, at, ms, x) => ({
  tenant_id: T,
  run_id: runId,
  step_key: key,
  attempt: 1,
  node_id: key,
  node_type: type,
  status: x.status ?? "succeeded",
  input: x.input ?? null,
  output: x.output ?? null,
  port: x.port ?? null,
  error: null,
  replayed: 0,
  duration_ms: x.status === "waiting" ? null : ms,
  started_at: at,
  finished_at: x.status === "waiting" ? null : at + ms,
});

export function workflowsSql({ now, encryptionKey }) {
  const secret = () => sealSecret(`whsec_${randomBytes(24).toString("base64")}`, encryptionKey);
  const wf = (id, name, description, status, draft, templateId, publishedAt, at) => ({
    tenant_id: T,
    id,
    name,
    description,
    status,
    draft,
    draft_updated_at: publishedAt ?? at,
    published_version: publishedAt ? 1 : null,
    published_at: publishedAt,
    trigger_type: publishedAt ? draft.trigger.type : null,
    trigger_event: null,
    schedule_cron: null,
    schedule_timezone: null,
    next_run_at: null,
    webhook_secret: secret(),
    template_id: templateId,
    created_by: raw(OWNER),
    created_at: at,
    updated_at: publishedAt ?? at,
  });
  const published = now - 6 * DAY;
  const workflows = [
    wf(
      "wf_demo_refunds",
      "Refund approvals",
      "Refunds over 100 need a finance approval; small ones are noted.",
      "published",
      REFUNDS,
      null,
      published,
      now - 7 * DAY,
    ),
    wf(
      "wf_demo_onboarding",
      "Customer onboarding",
      "Welcome series, activation check and a nudge.",
      "draft",
      ONBOARDING,
      "customer_onboarding",
      null,
      now - 2 * DAY,
    ),
    wf(
      "wf_demo_weekly",
      "Weekly analytics report",
      "Every Monday: figures, an AI summary, an email to the owners.",
      "draft",
      WEEKLY,
      "weekly_analytics_report",
      null,
      now - DAY,
    ),
  ];
  const versions = [
    { tenant_id: T, workflow_id: "wf_demo_refunds", version: 1, definition: REFUNDS, published_by: raw(OWNER), created_at: published },
  ];

  const run = (id, at, data, status, extra = {}) => ({
    tenant_id: T,
    id,
    workflow_id: "wf_demo_refunds",
    version: 1,
    status,
    trigger_type: "manual",
    dedupe_key: null,
    input: { type: "manual", data },
    output: extra.output ?? null,
    error: null,
    current_node_id: extra.current ?? null,
    retry_of: null,
    started_by: raw(OWNER),
    started_at: at,
    finished_at: extra.finished ?? null,
    created_at: at,
    updated_at: extra.finished ?? at,
  });
  const r1 = now - 5 * DAY;
  const r2 = now - 3 * DAY;
  const r3 = now - 2 * HOUR;
  const d1 = { amount: 240, customer: "Ava Walker", order: "#1042", reason: "damaged in transit" };
  const d2 = { amount: 35, customer: "Ben Larsen", order: "#1051", reason: "late delivery" };
  const d3 = { amount: 180, customer: "Chloé Martin", order: "#1063", reason: "wrong size" };
  const runs = [
    run("wfr_demo_01", r1, d1, "completed", { output: { sent: 1 }, finished: r1 + 3 * HOUR + 4000, current: "approved" }),
    run("wfr_demo_02", r2, d2, "completed", { output: { sent: 1 }, finished: r2 + 900, current: "auto" }),
    run("wfr_demo_03", r3, d3, "waiting", { current: "approve" }),
  ];
  const steps = [
    step("wfr_demo_01", "big", "condition", r1 + 200, 12, {
      input: REFUNDS.nodes[1].config.condition,
      output: { result: true },
      port: "true",
    }),
    step("wfr_demo_01", "approve", "approval", r1 + 400, 3 * HOUR, {
      input: { approval_id: "wfa_demo_01" },
      output: { approval_id: "wfa_demo_01", decision: "approved", comment: "Carrier confirmed the damage.", decided_by: "owner" },
      port: "approved",
    }),
    step("wfr_demo_01", "approved", "send_message", r1 + 3 * HOUR + 600, 48, {
      input: { channel: "in_app", to: "role:owner", subject: "Refund approved", body: "Refund for #1042 approved." },
      output: { sent: 1, message_ids: [] },
      port: "next",
    }),
    step("wfr_demo_02", "big", "condition", r2 + 200, 9, {
      input: REFUNDS.nodes[1].config.condition,
      output: { result: false },
      port: "false",
    }),
    step("wfr_demo_02", "auto", "send_message", r2 + 400, 41, {
      input: { channel: "in_app", to: "role:owner", subject: "Small refund", body: "Refunded 35 automatically." },
      output: { sent: 1, message_ids: [] },
      port: "next",
    }),
    step("wfr_demo_03", "big", "condition", r3 + 200, 10, {
      input: REFUNDS.nodes[1].config.condition,
      output: { result: true },
      port: "true",
    }),
    step("wfr_demo_03", "approve", "approval", r3 + 400, 0, {
      status: "waiting",
      input: { title: "Refund 180 to Chloé Martin?", approval_id: "wfa_demo_02" },
    }),
  ];
  const approval = (id, runId, at, status, data, extra = {}) => ({
    tenant_id: T,
    id,
    run_id: runId,
    workflow_id: "wf_demo_refunds",
    node_id: "approve",
    step_key: "approve",
    event_type: "approval-approve",
    status,
    title: `Refund ${data.amount} to ${data.customer}?`,
    message: `Order ${data.order}: ${data.reason}`,
    context: { trigger: { type: "manual", data }, steps: { big: { result: true } } },
    approver_user_ids: [],
    approver_roles: ["owner", "admin"],
    escalation_user_ids: [],
    // The seed prints no link: the token is random and only its hash is stored.
    token_hash: createHash("sha256").update(randomBytes(32)).digest("hex"),
    token_used_at: null,
    decided_by: extra.decidedBy ?? null,
    decided_via: extra.via ?? null,
    comment: extra.comment ?? null,
    decided_at: extra.decidedAt ?? null,
    expires_at: at + 48 * HOUR,
    escalated_at: null,
    created_at: at,
  });
  const approvals = [
    approval("wfa_demo_01", "wfr_demo_01", r1 + 400, "approved", d1, {
      decidedBy: raw(OWNER),
      via: "dashboard",
      comment: "Carrier confirmed the damage.",
      decidedAt: r1 + 3 * HOUR + 400,
    }),
    approval("wfa_demo_02", "wfr_demo_03", r3 + 400, "pending", d3),
  ];
  return [
    insert("workflows", workflows),
    insert("workflow_versions", versions),
    insert("workflow_runs", runs),
    insert("workflow_run_steps", steps),
    insert("workflow_approvals", approvals),
  ].join("\n");
}
