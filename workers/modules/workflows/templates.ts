import type { Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { notFound } from "../../platform/errors";
import type { NodeType, WorkflowDefinition, WorkflowEdge, WorkflowNode } from "./definition";
import { createWorkflow } from "./workflows.service";

/**
 * The product owner's seven workflows as definitions that use only the engine's node types. Each
 * is valid (the test validates all of them) and runnable: steps that call outside services have an
 * error port, so a template run completes (and says what failed) before its URLs are filled in.
 */
export interface WorkflowTemplate {
  id: string;
  name: string;
  description: string;
  category: string;
  definition: WorkflowDefinition;
}

type N = [id: string, type: NodeType, name: string, config?: Record<string, unknown>];
type E = [from: string, to: string, port?: string];
/** Lays nodes out left to right by their order (the builder's auto-layout refines it). */
function build(trigger: WorkflowDefinition["trigger"], nodes: N[], edges: E[]): WorkflowDefinition {
  const all: N[] = [["trigger", "trigger", "Start", {}], ...nodes];
  return {
    trigger,
    nodes: all.map(
      ([id, type, name, config], i): WorkflowNode => ({ id, type, name, position: { x: i * 240, y: (i % 2) * 80 }, config: config ?? {} }),
    ),
    edges: edges.map(([from, to, port], i): WorkflowEdge => ({ id: `e${i + 1}`, from, to, ...(port ? { port } : {}) })),
  };
}
const email = (to: string, subject: string, body: string) => ({ channel: "email", to, subject, body });
const inApp = (to: string, subject: string, body: string) => ({ channel: "in_app", to, subject, body });
const wait = (amount: number, unit: string) => ({ mode: "duration", amount, unit });
// Notices "to the admins" go to owners too: a workspace with only its owner must still hear of a failure
// (role:admin alone finds nobody there and fails the step, and with it the run).
const ADMINS = "role:owner, role:admin";

export const TEMPLATES: WorkflowTemplate[] = [
  {
    id: "lead_management",
    name: "Lead management",
    description:
      "A new lead is scored by AI; hot leads go to a person for a quick check, then are assigned, emailed and get a follow-up task.",
    category: "Sales",
    definition: build(
      // lead.created: a lead added in the dashboard or through the API (its id, name, company, email).
      { type: "event", event: "lead.created" },
      [
        [
          "score",
          "ai",
          "Score the lead",
          {
            prompt:
              'Score this lead from 0 to 100 for fit with our ideal customer.\nName: {{ trigger.data.name }}\nCompany: {{ trigger.data.company | default: "unknown" }}\nTitle: {{ trigger.data.title | default: "unknown" }}\nSource: {{ trigger.data.source }}',
            output_schema: { type: "object", properties: { score: { type: "number" }, reason: { type: "string" } }, required: ["score"] },
          },
        ],
        ["hot", "condition", "Hot lead?", { condition: { left: "steps.score.output.score", op: "gte", right: 70 } }],
        [
          "override",
          "approval",
          "Human override",
          {
            title: "Assign hot lead {{ trigger.data.name }}?",
            message: 'AI score {{ steps.score.output.score }}: {{ steps.score.output.reason | default: "" }}',
            approver_roles: ["owner", "admin"],
            timeout_hours: 4,
          },
        ],
        [
          "assign",
          "update_record",
          "Assign and tag",
          { record: "lead", record_id: "{{ trigger.data.lead_id }}", changes: { status: "qualified", add_tags: ["hot"] } },
        ],
        [
          "intro",
          "send_message",
          "Start the sequence",
          email(
            "{{ trigger.data.email }}",
            "Hello {{ trigger.data.name }}",
            "Thanks for your interest. Could we find 20 minutes this week?",
          ),
        ],
        ["pause", "wait", "Wait 2 days", wait(2, "days")],
        [
          "task",
          "send_message",
          "Follow-up task",
          inApp(
            ADMINS,
            "Follow up with {{ trigger.data.name }}",
            "Two days since the intro email to {{ trigger.data.email }}: call or write.",
          ),
        ],
        [
          "nurture",
          "update_record",
          "Tag for nurture",
          { record: "lead", record_id: "{{ trigger.data.lead_id }}", changes: { add_tags: ["nurture"] } },
        ],
      ],
      [
        ["trigger", "score"],
        ["score", "hot"],
        ["hot", "override", "true"],
        ["hot", "nurture", "false"],
        ["override", "assign", "approved"],
        ["override", "assign", "timeout"],
        ["override", "nurture", "rejected"],
        ["assign", "intro"],
        ["intro", "pause"],
        ["pause", "task"],
      ],
    ),
  },
  {
    id: "order_processing",
    name: "Order processing",
    description: "A paid order is sent to fulfilment, the customer gets a receipt, then a review request; returns take their own branch.",
    category: "Commerce",
    definition: build(
      { type: "event", event: "order.paid" },
      [
        [
          "fulfil",
          "http_request",
          "Send to fulfilment",
          {
            method: "POST",
            url: "https://fulfilment.example.com/orders",
            headers: { Authorization: "Bearer {{ secrets.FULFILMENT_TOKEN }}", "Content-Type": "application/json" },
            body: '{"order_id": "{{ trigger.data.order_id }}"}',
            response_mapping: { status: "status", return_requested: "body.return_requested" },
          },
        ],
        [
          "receipt",
          "send_message",
          "Receipt note",
          inApp(
            "role:owner",
            "Order {{ trigger.data.order_id }} paid",
            "Total {{ trigger.data.total_cents }} {{ trigger.data.currency | upper }}; sent to fulfilment.",
          ),
        ],
        [
          "is_return",
          "condition",
          "Return requested?",
          { condition: { left: "steps.fulfil.output.return_requested", op: "eq", right: true } },
        ],
        [
          "returned",
          "update_record",
          "Record the return",
          { record: "order", record_id: "{{ trigger.data.order_id }}", changes: { note: "Return requested by the customer" } },
        ],
        ["later", "wait", "Wait a week", wait(7, "days")],
        [
          "review",
          "send_message",
          "Review request",
          inApp("role:owner", "Ask for a review of {{ trigger.data.order_id }}", "A week since delivery: time to ask for a review."),
        ],
        [
          "fulfil_failed",
          "send_message",
          "Fulfilment failed",
          inApp(
            ADMINS,
            "Fulfilment failed for {{ trigger.data.order_id }}",
            "The fulfilment service did not accept the order; check FULFILMENT_TOKEN.",
          ),
        ],
      ],
      [
        ["trigger", "fulfil"],
        ["fulfil", "receipt"],
        ["fulfil", "fulfil_failed", "error"],
        ["receipt", "is_return"],
        ["is_return", "returned", "true"],
        ["is_return", "later", "false"],
        ["later", "review"],
      ],
    ),
  },
  {
    id: "content_publishing",
    name: "Content publishing",
    description: "A draft is reviewed by AI, approved by a person, then published as a release note.",
    category: "Content",
    definition: build(
      { type: "manual" },
      [
        [
          "review",
          "ai",
          "AI review",
          {
            prompt: "Review this draft release note for clarity and tone. Title: {{ trigger.data.title }}\n\n{{ trigger.data.body }}",
            output_schema: { type: "object", properties: { ok: { type: "boolean" }, notes: { type: "string" } }, required: ["notes"] },
          },
        ],
        [
          "approve",
          "approval",
          "Editor approval",
          {
            title: 'Publish "{{ trigger.data.title | default: "untitled" }}"?',
            message: "AI review: {{ steps.review.output.notes }}",
            approver_roles: ["owner", "admin"],
            timeout_hours: 48,
          },
        ],
        [
          "publish",
          "http_request",
          "Publish the release note",
          {
            method: "POST",
            url: "https://api.example.com/api/v1/releases",
            headers: { Authorization: "Bearer {{ secrets.WEFT_API_KEY }}", "Content-Type": "application/json" },
            body: '{"title": {{ trigger.data.title | json }}, "type": "feature", "body_md": {{ trigger.data.body | json }}}',
            response_mapping: { id: "body.id" },
          },
        ],
        ["done", "send_message", "Tell the author", inApp(ADMINS, "Published: {{ trigger.data.title }}", "The release note is live.")],
        [
          "declined",
          "send_message",
          "Tell the author (declined)",
          inApp(ADMINS, "Not published: {{ trigger.data.title }}", "The editor declined the draft."),
        ],
        [
          "failed",
          "send_message",
          "Publishing failed",
          inApp(ADMINS, "Publishing failed: {{ trigger.data.title }}", "Set WEFT_API_KEY in the workflow secrets and re-run."),
        ],
      ],
      [
        ["trigger", "review"],
        ["review", "approve"],
        ["approve", "publish", "approved"],
        ["approve", "declined", "rejected"],
        ["approve", "declined", "timeout"],
        ["publish", "done"],
        ["publish", "failed", "error"],
      ],
    ),
  },
  {
    id: "customer_onboarding",
    name: "Customer onboarding",
    description: "A new member gets a welcome series; after a few days an activation check decides between congratulations and a nudge.",
    category: "Onboarding",
    definition: build(
      { type: "event", event: "member.joined" },
      [
        [
          "welcome",
          "send_message",
          "Welcome",
          inApp("{{ trigger.data.user_id }}", "Welcome aboard", "Start with the checklist on your home page."),
        ],
        ["day1", "wait", "Wait a day", wait(1, "days")],
        [
          "tips",
          "send_message",
          "Tips",
          inApp(
            "{{ trigger.data.user_id }}",
            "Three tips for your first week",
            "Invite a teammate, connect your data, publish your first workflow.",
          ),
        ],
        ["day4", "wait", "Wait 3 days", wait(3, "days")],
        [
          "check",
          "http_request",
          "Activation check",
          {
            method: "GET",
            url: "https://api.example.com/activation?user={{ trigger.data.user_id }}",
            headers: { Authorization: "Bearer {{ secrets.WEFT_API_KEY }}" },
            response_mapping: { activated: "body.activated" },
          },
        ],
        ["active", "condition", "Activated?", { condition: { left: "steps.check.output.activated", op: "eq", right: true } }],
        [
          "congrats",
          "send_message",
          "Congratulations",
          inApp("{{ trigger.data.user_id }}", "You're all set", "Nice work getting started."),
        ],
        [
          "nudge",
          "send_message",
          "Nudge",
          inApp("{{ trigger.data.user_id }}", "Need a hand?", "Reply to this message and we'll help you finish setting up."),
        ],
      ],
      [
        ["trigger", "welcome"],
        ["welcome", "day1"],
        ["day1", "tips"],
        ["tips", "day4"],
        ["day4", "check"],
        ["check", "active"],
        ["check", "nudge", "error"],
        ["active", "congrats", "true"],
        ["active", "nudge", "false"],
      ],
    ),
  },
  {
    id: "billing_dunning",
    name: "Billing and subscription dunning",
    description: "When a subscription goes past due: two reminders, then an approval to pause it.",
    category: "Billing",
    definition: build(
      { type: "event", event: "subscription.updated", filter: { left: "trigger.data.status", op: "eq", right: "past_due" } },
      [
        [
          "first",
          "send_message",
          "First reminder",
          inApp("role:owner", "Payment failed", "Your {{ trigger.data.plan }} payment failed; please update the card."),
        ],
        ["w3", "wait", "Wait 3 days", wait(3, "days")],
        [
          "second",
          "send_message",
          "Second reminder",
          inApp("role:owner", "Payment still failing", "We will pause the subscription soon unless the card is updated."),
        ],
        ["w4", "wait", "Wait 4 days", wait(4, "days")],
        [
          "approve",
          "approval",
          "Pause the subscription?",
          {
            title: "Pause the {{ trigger.data.plan }} subscription?",
            message: "Still past due after two reminders.",
            approver_roles: ["owner", "admin"],
            timeout_hours: 72,
            escalate_after_hours: 24,
          },
        ],
        [
          "pause",
          "http_request",
          "Pause",
          {
            method: "POST",
            url: "https://billing.example.com/subscriptions/pause",
            headers: { Authorization: "Bearer {{ secrets.BILLING_TOKEN }}" },
            body: '{"plan": {{ trigger.data.plan | json }}}',
          },
        ],
        ["paused", "send_message", "Paused notice", inApp("role:owner", "Subscription paused", "Update the card to resume.")],
        ["kept", "send_message", "Kept running", inApp(ADMINS, "Subscription kept running", "Pause declined or timed out.")],
      ],
      [
        ["trigger", "first"],
        ["first", "w3"],
        ["w3", "second"],
        ["second", "w4"],
        ["w4", "approve"],
        ["approve", "pause", "approved"],
        ["approve", "kept", "rejected"],
        ["approve", "kept", "timeout"],
        ["pause", "paused"],
        ["pause", "kept", "error"],
      ],
    ),
  },
  {
    id: "integration_setup",
    name: "Integration setup",
    description: "Checks an integration's endpoint with its token from the vault and tells you whether it is connected.",
    category: "Integrations",
    definition: build(
      { type: "manual" },
      [
        [
          "ping",
          "http_request",
          "Check the endpoint",
          {
            method: "GET",
            url: '{{ trigger.data.endpoint_url | default: "https://api.example.com/ping" }}',
            headers: { Authorization: "Bearer {{ secrets.INTEGRATION_TOKEN }}" },
            response_mapping: { status: "status" },
            retries: { limit: 2, delay_seconds: 5, backoff: "exponential" },
          },
        ],
        [
          "ok",
          "condition",
          "Answered 2xx?",
          {
            condition: {
              all: [
                { left: "steps.ping.output.status", op: "gte", right: 200 },
                { left: "steps.ping.output.status", op: "lt", right: 300 },
              ],
            },
          },
        ],
        [
          "connected",
          "send_message",
          "Connected",
          inApp(ADMINS, "Integration connected", "{{ trigger.data.endpoint_url }} answered {{ steps.ping.output.status }}."),
        ],
        [
          "broken",
          "send_message",
          "Not connected",
          inApp(ADMINS, "Integration not connected", "Check the URL and INTEGRATION_TOKEN in the workflow secrets."),
        ],
      ],
      [
        ["trigger", "ping"],
        ["ping", "ok"],
        ["ping", "broken", "error"],
        ["ok", "connected", "true"],
        ["ok", "broken", "false"],
      ],
    ),
  },
  {
    id: "weekly_analytics_report",
    name: "Weekly analytics report",
    description: "Every Monday at 09:00 UTC: fetch last week's figures, summarise them with AI and email the owners.",
    category: "Analytics",
    definition: build(
      { type: "schedule", cron: "0 9 * * 1", timezone: "UTC" },
      [
        [
          "figures",
          "http_request",
          "Fetch figures",
          {
            method: "GET",
            url: "https://api.example.com/api/v1/analytics/overview?days=7",
            headers: { Authorization: "Bearer {{ secrets.WEFT_API_KEY }}" },
            response_mapping: { figures: "body" },
          },
        ],
        [
          "summary",
          "ai",
          "Summarise",
          { prompt: "Summarise last week's product figures in five bullet points: {{ steps.figures.output.figures | json }}" },
        ],
        [
          "send",
          "send_message",
          "Email the owners",
          email("role:owner", "Your weekly report ({{ run.id }})", "{{ steps.summary.output.text }}"),
        ],
        [
          "no_data",
          "send_message",
          "Report failed",
          inApp("role:owner", "Weekly report: no figures", "Set WEFT_API_KEY in the workflow secrets."),
        ],
      ],
      [
        ["trigger", "figures"],
        ["figures", "summary"],
        ["figures", "no_data", "error"],
        ["summary", "send"],
      ],
    ),
  },
];

export async function createFromTemplate(db: Db, env: Env, tenantId: string, input: { template_id: string; name?: string }, actor: Actor) {
  const t = TEMPLATES.find((x) => x.id === input.template_id);
  if (!t) throw notFound("Template");
  return createWorkflow(
    db,
    env,
    tenantId,
    { name: input.name ?? t.name, description: t.description, definition: structuredClone(t.definition), templateId: t.id },
    actor,
  );
}
