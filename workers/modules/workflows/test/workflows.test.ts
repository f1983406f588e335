import { env, exports } from "cloudflare:workers";
import { evictAllDurableObjects, introspectWorkflow } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { BASE, freshIp, signUp, type TestUser, waitForMail } from "../../../../test/helpers";
import { setTransport } from "../../messaging/providers/http";
import { and, eq } from "drizzle-orm";
import { workflowApprovals, workflowRuns, workflows } from "../../../../schema/workflows";
import { newId } from "../../../platform/ids";
import { signatureHeaders } from "../../../platform/standard-webhooks";
import { runWorkflowsCron } from "../cron";
import { nextCronTime, parseCron } from "../cron-expression";
import { parseTemplate, render } from "../expressions";
import { dispatchQueued } from "../runs.service";
import { putSecret } from "../secrets.service";
import { consumeQuotaOrThrow } from "../../billing";
import { currentUsage } from "../../billing/usage.store";
import { auditLogs } from "../../../../schema/audit";
import { salesDrafts } from "../../../../schema/sales-sequences";
import { memberships } from "../../../../schema/tenancy";
import { processInbound } from "../../outreach/inbound";
import { answer, clientId, SITE, sendFeedback } from "../../surveys/test/surveys-helpers";
import { createTicket, getTicket } from "../../tickets";
import type { WorkflowDefinition } from "../definition";
import { asUser, db, def, mustStep, professional, published, stepOf, waitForRun } from "./workflows-helpers";

const callRaw = (path: string, body: string, headers: Record<string, string>) =>
  exports.default.fetch(BASE + path, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": "10.250.0.9", ...headers },
    body,
  });
const scope = {
  trigger: { type: "manual", data: { name: "ada", n: 3, list: [1, 2] } },
  steps: {},
  vars: {},
  run: { id: "wfr_x", workflow_id: "wf_x", version: 1 },
};

describe("workflow expressions", () => {
  it("looks up paths and applies the pure filters", () => {
    expect(render("Hi {{ trigger.data.name | upper }}!", scope)).toBe("Hi ADA!");
    expect(render("{{ trigger.data.list }}", scope)).toEqual([1, 2]);
    expect(render("{{ trigger.data.missing | default: 'x' }}", scope)).toBe("x");
    expect(render("{{ trigger.data.list[1] }}", scope)).toBe(2);
  });

  it("refuses code: constructor, __proto__, calls, template literals", () => {
    for (const [src, msg] of [
      ["{{ trigger.constructor }}", /"constructor" is not allowed/],
      ["{{ trigger.data.__proto__.x }}", /"__proto__" is not allowed/],
      ["{{ run.id() }}", /function calls are not allowed/],
      [`x $${"{"}process.env} y`, /template literal/],
      ["{{ globalThis.fetch }}", /unknown root/],
      ["{{ trigger.data | eval }}", /unknown filter/],
      ["{{ trigger.data", /unclosed/],
    ] as const) {
      expect(() => parseTemplate(src), src).toThrow(msg);
    }
    // Lookups never reach the prototype chain even through data that looks like it.
    expect(render("{{ trigger.data.toString }}", scope)).toBeUndefined();
    expect(render("[{{ trigger.data.constructorx | default: '-' }}]", scope)).toBe("[-]");
  });
});

describe("workflow cron expressions", () => {
  it("parses five fields and finds the next match in a time zone", () => {
    const at = Date.parse("2026-12-07T08:05:00Z"); // a Monday
    expect(new Date(nextCronTime(parseCron("0 9 * * 1"), at) ?? 0).toISOString()).toBe("2026-12-07T09:00:00.000Z");
    expect(new Date(nextCronTime(parseCron("*/15 * * * *"), at) ?? 0).toISOString()).toBe("2026-12-07T08:15:00.000Z");
    expect(new Date(nextCronTime(parseCron("30 8 1 * *"), at) ?? 0).toISOString()).toBe("2027-01-01T08:30:00.000Z");
    // 09:00 in Berlin (UTC+1 in December) is 08:00 UTC: already past today, so next Monday.
    expect(new Date(nextCronTime(parseCron("0 9 * * 1"), at, "Europe/Berlin") ?? 0).toISOString()).toBe("2026-12-14T08:00:00.000Z");
    expect(new Date(nextCronTime(parseCron("0 0 * * 7"), at) ?? 0).toISOString()).toBe("2026-12-13T00:00:00.000Z"); // 7 = Sunday
    for (const bad of ["* * * *", "60 * * * *", "* 24 * * *", "*/0 * * * *", "a b c d e", "5-1 * * * *"])
      expect(() => parseCron(bad), bad).toThrow();
  });
});

describe("workflows engine (Cloudflare Workflows in workerd)", () => {
  it("runs a branch, a wait and an approval to completion; records each step; the email link works once", async () => {
    const u = await professional();
    const as = asUser(u);
    const id = await published(
      u,
      def(
        { type: "manual" },
        [
          ["big", "condition", { condition: { left: "trigger.data.amount", op: "gt", right: 100 } }],
          ["pause", "wait", { mode: "duration", amount: 1, unit: "seconds" }],
          [
            "ok",
            "approval",
            { title: "Refund {{ trigger.data.amount }}?", message: "Customer {{ trigger.data.email }}", approver_roles: ["owner"] },
          ],
          [
            "notify",
            "send_message",
            { channel: "in_app", to: "role:owner", subject: "Refund approved", body: "{{ steps.ok.output.comment }}" },
          ],
          ["small", "send_message", { channel: "in_app", to: "role:owner", subject: "Small refund", body: "auto" }],
        ],
        ["trigger>big", "big>pause:true", "big>small:false", "pause>ok", "ok>notify:approved"],
      ),
    );
    const start = await as(`/api/v1/workflows/${id}/runs`, {
      method: "POST",
      body: { input: { amount: 250, email: "buyer@example.test" } },
    });
    expect(start.status, JSON.stringify(start.body)).toBe(201);
    expect(start.body.version).toBe(1);
    const waiting = await waitForRun(u, start.body.id, (r) => r.status === "waiting" && r.approvals.length === 1);
    expect(stepOf(waiting, "big")).toMatchObject({ status: "succeeded", port: "true", output: { result: true } });
    expect(stepOf(waiting, "pause")).toMatchObject({ status: "succeeded", port: "next" });
    expect(stepOf(waiting, "small")).toBeUndefined();
    expect(waiting.approvals[0]).toMatchObject({ status: "pending", title: "Refund 250?", message: "Customer buyer@example.test" });

    // In the approver's queue; a viewer-role request would not list it.
    const mine = await as("/api/v1/workflow-approvals?status=pending");
    expect(mine.body.data.map((a: { id: string }) => a.id)).toContain(waiting.approvals[0].id);

    // The email carries a single-use link: its GET shows the context.
    const mail = await waitForMail(u.email, "Approval needed: Refund 250?");
    const token = /\/workflow-approvals\/([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] ?? "";
    const shown = await as(`/public/v1/workflow-approvals/${token}`);
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({ title: "Refund 250?", status: "pending", context: { trigger: { data: { amount: 250 } } } });

    const decided = await as(`/api/v1/workflow-approvals/${waiting.approvals[0].id}/decide`, {
      method: "POST",
      body: { decision: "approved", comment: "fine by me" },
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const done = await waitForRun(u, start.body.id, (r) => r.status === "completed");
    expect(stepOf(done, "ok")).toMatchObject({
      port: "approved",
      output: { decision: "approved", comment: "fine by me", decided_by: u.userId },
    });
    expect(stepOf(done, "notify")).toMatchObject({ status: "succeeded", attempts: 1 });
    expect(done.finished_at).not.toBeNull();
    // Decided from the dashboard: the email link is now spent.
    expect((await as(`/public/v1/workflow-approvals/${token}`, { method: "POST", body: { decision: "rejected" } })).status).toBe(410);
    const second = await as(`/api/v1/workflow-approvals/${waiting.approvals[0].id}/decide`, {
      method: "POST",
      body: { decision: "rejected" },
    });
    expect(second.status).toBe(409);
  });

  it("a rejected approval (from the email link) ends the run; a paused run survives a restart of the Workflows engine", async () => {
    const u = await professional();
    const as = asUser(u);
    const id = await published(
      u,
      def(
        { type: "manual" },
        [
          ["ok", "approval", { title: "Ship it?", approver_roles: ["owner", "admin"] }],
          ["ship", "send_message", { channel: "in_app", to: "role:owner", subject: "Shipped", body: "done" }],
        ],
        ["trigger>ok", "ok>ship:approved"],
      ),
    );
    const start = await as(`/api/v1/workflows/${id}/runs`, { method: "POST", body: {} });
    await waitForRun(u, start.body.id, (r) => r.status === "waiting" && r.approvals.length === 1);
    // Restart: every Durable Object (the Workflows engine's instances among them) is torn down; only
    // storage (the instance's state) and D1 remain.
    await evictAllDurableObjects();
    const instance = await (env as unknown as { AUTOMATION_RUN: Workflow }).AUTOMATION_RUN.get(start.body.id);
    // (Locally the engine reports a run parked in waitForEvent as "waiting" or "running".)
    expect(["waiting", "running"]).toContain((await instance.status()).status);
    const mail = await waitForMail(u.email, "Approval needed: Ship it?");
    const token = /\/workflow-approvals\/([A-Za-z0-9_-]+)/.exec(mail.text)?.[1] ?? "";
    const rejected = await as(`/public/v1/workflow-approvals/${token}`, {
      method: "POST",
      body: { decision: "rejected", comment: "not yet" },
    });
    expect(rejected.status, JSON.stringify(rejected.body)).toBe(200);
    expect(rejected.body.status).toBe("rejected");
    const done = await waitForRun(u, start.body.id, (r) => r.status === "completed");
    expect(stepOf(done, "ok")).toMatchObject({ port: "rejected", output: { decision: "rejected", comment: "not yet" } });
    expect(stepOf(done, "ship")).toBeUndefined();
    expect(done.approvals[0]).toMatchObject({ status: "rejected", decided_via: "email", comment: "not yet" });
    // Single use.
    expect((await as(`/public/v1/workflow-approvals/${token}`, { method: "POST", body: { decision: "approved" } })).status).toBe(410);
  });

  it("an approval nobody decides escalates, then leaves by its timeout port", async () => {
    const u = await professional();
    const as = asUser(u);
    const id = await published(
      u,
      def(
        { type: "manual" },
        [
          ["ok", "approval", { title: "Late?", approver_roles: ["owner"], timeout_hours: 2, escalate_after_hours: 1 }],
          ["late", "send_message", { channel: "in_app", to: "role:owner", subject: "Timed out", body: "nobody decided" }],
        ],
        ["trigger>ok", "ok>late:timeout"],
      ),
    );
    // The engine's own test hooks time the two waits out at once (1 h to escalation, 1 h more).
    const introspector = await introspectWorkflow((env as unknown as { AUTOMATION_RUN: Workflow }).AUTOMATION_RUN);
    try {
      await introspector.modifyAll(async (m) => {
        await m.forceEventTimeout({ name: "ok:wait" });
        await m.forceEventTimeout({ name: "ok:wait-escalated" });
      });
      const start = await as(`/api/v1/workflows/${id}/runs`, { method: "POST", body: {} });
      const done = await waitForRun(u, start.body.id, (r) => r.status === "completed" || r.status === "failed");
      expect(done.status, JSON.stringify(done)).toBe("completed");
      expect(stepOf(done, "ok")).toMatchObject({ port: "timeout", output: { decision: "timeout" } });
      expect(stepOf(done, "late")).toMatchObject({ status: "succeeded" });
      expect(done.approvals[0].status).toBe("timeout");
      await waitForMail(u.email, "Escalated approval: Late?");
    } finally {
      await introspector.dispose();
    }
  });

  it("a step failing twice then succeeding shows three attempts; secrets reach the request but never the history", async () => {
    const u = await professional();
    const as = asUser(u);
    expect((await as("/api/v1/workflows/secrets/CRM_TOKEN", { method: "PUT", body: { value: "s3cret-value" } })).status).toBe(200);
    let calls = 0;
    const seen: string[] = [];
    setTransport(async (req) => {
      if (!req.url.startsWith("https://flaky.example.test/")) return new Response("unexpected", { status: 599 });
      calls++;
      seen.push(req.headers.get("Authorization") ?? "");
      return calls <= 2 ? new Response("busy", { status: 503 }) : Response.json({ id: "crm_42", ok: true });
    });
    try {
      const id = await published(
        u,
        def(
          { type: "manual" },
          [
            [
              "push",
              "http_request",
              {
                method: "POST",
                url: "https://flaky.example.test/contacts",
                headers: { Authorization: "Bearer {{ secrets.CRM_TOKEN }}" },
                body: "{{ trigger.data | json }}",
                response_mapping: { crm_id: "body.id" },
                retries: { limit: 2, delay_seconds: 0, backoff: "constant" },
              },
            ],
          ],
          ["trigger>push"],
        ),
      );
      const start = await as(`/api/v1/workflows/${id}/runs`, { method: "POST", body: { input: { email: "x@example.test" } } });
      const done = await waitForRun(u, start.body.id, (r) => r.status === "completed" || r.status === "failed");
      expect(done.status, JSON.stringify(done)).toBe("completed");
      const step = mustStep(done, "push");
      expect(step.attempts).toBe(3);
      expect(step.attempt_log.map((a) => a.status)).toEqual(["failed", "failed", "succeeded"]);
      expect(step.attempt_log[0].error).toContain("HTTP 503");
      expect(step.output).toMatchObject({ status: 200, crm_id: "crm_42" });
      expect(seen).toEqual(["Bearer s3cret-value", "Bearer s3cret-value", "Bearer s3cret-value"]);
      expect(JSON.stringify(done)).not.toContain("s3cret-value");
      expect(step.input?.headers?.Authorization).toBe("Bearer ••••");
    } finally {
      setTransport(null);
    }
  });

  it("a run keeps its version after a new publish; re-run from the failed step replays earlier outputs", async () => {
    const u = await professional();
    const as = asUser(u);
    const v1 = def(
      { type: "manual" },
      [
        ["first", "send_message", { channel: "in_app", to: "role:owner", subject: "v1 first", body: "one" }],
        ["ok", "approval", { title: "Go on?", approver_roles: ["owner"] }],
        [
          "last",
          "send_message",
          {
            channel: "in_app",
            to: "{{ trigger.data.to }}",
            subject: "v1 last",
            body: "end",
            retries: { limit: 0, delay_seconds: 0, backoff: "constant" },
          },
        ],
      ],
      ["trigger>first", "first>ok", "ok>last:approved"],
    );
    const id = await published(u, v1);
    const run1 = await as(`/api/v1/workflows/${id}/runs`, { method: "POST", body: { input: { to: "usr_nobody" } } });
    await waitForRun(u, run1.body.id, (r) => r.status === "waiting" && r.approvals.length === 1);
    // Publish v2 (different subject) while run 1 waits.
    const v2 = structuredClone(v1);
    v2.nodes[1].config.subject = "v2 first";
    expect((await as(`/api/v1/workflows/${id}`, { method: "PATCH", body: { definition: v2 } })).status).toBe(200);
    const pub = await as(`/api/v1/workflows/${id}/publish`, { method: "POST" });
    expect(pub.body.published_version).toBe(2);
    const versions = await as(`/api/v1/workflows/${id}/versions`);
    expect(versions.body.data.map((v: { version: number }) => v.version)).toEqual([2, 1]);

    const pending = await waitForRun(u, run1.body.id, (r) => r.approvals.length === 1);
    await as(`/api/v1/workflow-approvals/${pending.approvals[0].id}/decide`, { method: "POST", body: { decision: "approved" } });
    // v1's last step sends to `usr_nobody` (not a member): it fails after its retries.
    const failed = await waitForRun(u, run1.body.id, (r) => r.status === "failed", 60_000);
    expect(failed.version).toBe(1);
    expect(mustStep(failed, "first").input?.subject).toBe("v1 first");
    expect(failed.error).toContain("usr_nobody is not a member");

    const retry = await as(`/api/v1/workflow-runs/${run1.body.id}/retry`, { method: "POST" });
    expect(retry.status, JSON.stringify(retry.body)).toBe(201);
    expect(retry.body).toMatchObject({ version: 1, retry_of: run1.body.id });
    const again = await waitForRun(u, retry.body.id, (r) => r.status === "failed", 60_000);
    // The steps before the failed one were replayed from run 1, not executed again (no new approval).
    expect(stepOf(again, "first")).toMatchObject({ replayed: true, input: null });
    expect(stepOf(again, "ok")).toMatchObject({ replayed: true, port: "approved" });
    expect(again.approvals).toEqual([]);
    expect(stepOf(again, "last")).toMatchObject({ status: "failed", replayed: false });
    expect((await as(`/api/v1/workflow-runs/${retry.body.id}/retry`, { method: "POST" })).status).toBe(201);
    expect((await as(`/api/v1/workflow-runs/${run1.body.id}/retry`, { method: "POST" })).body.id).toBe(retry.body.id); // idempotent
  });

  it("event triggers start once per event id; cancel terminates; validation names nodes; plans without workflows get 402", async () => {
    const u = await professional();
    const as = asUser(u);
    const id = await published(
      u,
      def(
        { type: "event", event: "order.paid", filter: { left: "trigger.data.total_cents", op: "gte", right: 1000 } },
        [["hold", "wait", { mode: "duration", amount: 1, unit: "days" }]],
        ["trigger>hold"],
      ),
    );
    const { publishEvent } = await import("../../webhooks");
    const { getDb } = await import("../../../platform/db");
    const db = getDb(env.DB);
    const paid = { order_id: "ord_1", total_cents: 2500, currency: "eur" };
    await publishEvent(db, env.OUTBOX, { tenantId: u.tenantId, type: "order.paid", data: paid, eventId: "evt_wf_same" });
    await publishEvent(db, env.OUTBOX, { tenantId: u.tenantId, type: "order.paid", data: paid, eventId: "evt_wf_same" });
    await publishEvent(db, env.OUTBOX, {
      tenantId: u.tenantId,
      type: "order.paid",
      data: { ...paid, total_cents: 5 },
      eventId: "evt_wf_small",
    });
    const runs = await as(`/api/v1/workflows/${id}/runs`);
    expect(runs.body.data).toHaveLength(1);
    expect(runs.body.data[0]).toMatchObject({ trigger_type: "event", input: { type: "order.paid", data: paid } });
    const waiting = await waitForRun(u, runs.body.data[0].id, (r) => r.status === "waiting");
    const cancelled = await as(`/api/v1/workflow-runs/${waiting.id}/cancel`, { method: "POST" });
    expect(cancelled.body.status).toBe("cancelled");
    const instance = await (env as unknown as { AUTOMATION_RUN: Workflow }).AUTOMATION_RUN.get(waiting.id);
    expect((await instance.status()).status).toBe("terminated");
    expect((await as(`/api/v1/workflow-runs/${waiting.id}/cancel`, { method: "POST" })).status).toBe(409);

    // Validation: per-node errors with positions; publish refuses an invalid draft.
    const bad = def(
      { type: "schedule", cron: "61 * * * *" },
      [["x", "send_message", { channel: "email", to: "{{ trigger.constructor }}", subject: "s", body: "{{ steps.nope.output }}" }]],
      ["trigger>x", "x>x:true"],
    );
    const v = await as(`/api/v1/workflows/${id}/validate`, { method: "POST", body: { definition: bad } });
    expect(v.body.valid).toBe(false);
    type DefErr = { node_id: string | null; field: string; message: string };
    const fields = v.body.errors.map((e: DefErr) => `${e.node_id}|${e.field}`);
    expect(fields).toEqual(expect.arrayContaining(["null|trigger.cron", "x|config.to", "x|config.body", "x|edges.e1.port"]));
    expect(v.body.errors.find((e: DefErr) => e.field === "config.to")?.message).toMatch(
      /"constructor" is not allowed in expressions \(at position 11\)/,
    );
    await as(`/api/v1/workflows/${id}`, { method: "PATCH", body: { definition: bad } });
    const refused = await as(`/api/v1/workflows/${id}/publish`, { method: "POST" });
    expect(refused.status).toBe(400);
    expect(refused.body.errors.length).toBeGreaterThan(2);

    // Every template is valid.
    const templates = await as("/api/v1/workflows/templates");
    expect(templates.body.data).toHaveLength(7);
    for (const t of templates.body.data) {
      const r = await as(`/api/v1/workflows/${id}/validate`, { method: "POST", body: { definition: t.definition } });
      expect(r.body, t.id).toEqual({ valid: true, errors: [] });
    }
    const types = await as("/api/v1/workflows/node-types");
    expect(types.body.data.find((t: { type: string }) => t.type === "approval")).toMatchObject({
      outputs: ["approved", "rejected", "timeout", "error"],
    });
    expect(types.body.data.find((t: { type: string }) => t.type === "http_request")?.config_schema.properties.url).toBeDefined();

    const free = await (await import("../../../../test/helpers")).signUp();
    const r402 = await asUser(free)("/api/v1/workflows", { method: "POST", body: { name: "x" } });
    expect(r402.status).toBe(402);
    expect(r402.body).toMatchObject({ feature: "workflows" });
  });

  it("loops over items (step keys per iteration) and an AI step answers offline with labelled empty values", async () => {
    const u = await professional();
    const as = asUser(u);
    const id = await published(
      u,
      def(
        { type: "manual" },
        [
          ["each", "loop", { items: "trigger.data.people", max_items: 2 }],
          [
            "hello",
            "send_message",
            { channel: "in_app", to: "role:owner", subject: "Hello {{ vars.item.name }} ({{ vars.index }})", body: "hi" },
          ],
          [
            "score",
            "ai",
            {
              prompt: "Score {{ trigger.data.people | json }}",
              output_schema: { type: "object", properties: { score: { type: "number" } }, required: ["score"] },
            },
          ],
          ["until", "wait", { mode: "until", until: "{{ trigger.data.at }}" }],
        ],
        ["trigger>each", "each>hello:each", "each>score:done", "score>until"],
      ),
    );
    const people = [{ name: "Ada" }, { name: "Grace" }, { name: "Edsger" }];
    const start = await as(`/api/v1/workflows/${id}/runs`, { method: "POST", body: { input: { people, at: "2020-01-01T00:00:00Z" } } });
    const done = await waitForRun(u, start.body.id, (r) => r.status === "completed" || r.status === "failed");
    expect(done.status, JSON.stringify(done)).toBe("completed");
    expect(stepOf(done, "each")).toMatchObject({ output: { count: 2, truncated: true } });
    expect(mustStep(done, "hello#0").input?.subject).toBe("Hello Ada (0)");
    expect(mustStep(done, "hello#1").input?.subject).toBe("Hello Grace (1)");
    expect(stepOf(done, "hello#2")).toBeUndefined();
    expect(stepOf(done, "score")).toMatchObject({ status: "succeeded", output: { score: 0, local: true } });
    expect(stepOf(done, "until")).toMatchObject({ status: "succeeded", output: { waited_until: "2020-01-01T00:00:00.000Z" } });
  });

  it("webhook triggers need the workflow's signature and start once per webhook-id; schedules start on the cron tick once", async () => {
    const u = await professional();
    const as = asUser(u);
    const hook = await published(
      u,
      def(
        { type: "webhook" },
        [["note", "send_message", { channel: "in_app", to: "role:owner", subject: "{{ trigger.data.name }}", body: "x" }]],
        ["trigger>note"],
      ),
    );
    const { secret } = (await as(`/api/v1/workflows/${hook}/webhook`)).body;
    const body = JSON.stringify({ name: "From the form" });
    const post = async (headers: Record<string, string>) => callRaw(`/webhooks/workflows/${hook}`, body, headers);
    const signed = await signatureHeaders([secret], "msg_wf_1", Math.floor(Date.now() / 1000), body);
    expect((await post({ ...signed, "webhook-signature": "v1,AAAA" })).status).toBe(401);
    const first = await post(signed);
    expect(first.status).toBe(202);
    const again = await post(signed);
    const [a, b] = [await first.json<{ run_id: string }>(), await again.json<{ run_id: string }>()];
    expect(b.run_id).toBe(a.run_id);
    const run = await waitForRun(u, a.run_id, (r) => r.status === "completed");
    expect(mustStep(run, "note").input?.subject).toBe("From the form");

    const cron = await published(
      u,
      def(
        { type: "schedule", cron: "0 9 * * 1" },
        [["note", "send_message", { channel: "in_app", to: "role:owner", subject: "weekly", body: "x" }]],
        ["trigger>note"],
      ),
    );
    const due = Date.now() - 60_000;
    await db
      .update(workflows)
      .set({ nextRunAt: due })
      .where(and(eq(workflows.tenantId, u.tenantId), eq(workflows.id, cron)));
    await runWorkflowsCron(env);
    await runWorkflowsCron(env);
    const runs = (await as(`/api/v1/workflows/${cron}/runs`)).body.data;
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ trigger_type: "schedule", input: { data: { scheduled_for: new Date(due).toISOString() } } });
    const row = await db.select({ next: workflows.nextRunAt }).from(workflows).where(eq(workflows.id, cron)).get();
    expect(row?.next).toBeGreaterThan(Date.now());
  });

  it("holds runs over the concurrency cap as queued and starts them when a slot frees", async () => {
    const u = await professional();
    const as = asUser(u);
    const id = await published(
      u,
      def(
        { type: "manual" },
        [["note", "send_message", { channel: "in_app", to: "role:owner", subject: "s", body: "b" }]],
        ["trigger>note"],
      ),
    );
    // Ten runs already hold the Professional plan's ten slots (rows only: they wait on nothing).
    const now = Date.now();
    const held = Array.from({ length: 10 }, () => newId("wfr"));
    await db.insert(workflowRuns).values(
      held.map((rid) => ({
        tenantId: u.tenantId,
        id: rid,
        workflowId: id,
        version: 1,
        status: "waiting" as const,
        triggerType: "manual" as const,
        input: {},
        createdAt: now,
        updatedAt: now,
      })),
    );
    const start = await as(`/api/v1/workflows/${id}/runs`, { method: "POST", body: {} });
    expect(start.body.status).toBe("queued");
    await db
      .update(workflowRuns)
      .set({ status: "completed", finishedAt: now })
      .where(and(eq(workflowRuns.tenantId, u.tenantId), eq(workflowRuns.id, held[0])));
    expect(await dispatchQueued(db, env, u.tenantId)).toBe(1);
    await waitForRun(u, start.body.id, (r) => r.status === "completed");
  });

  it("meters workflow_runs once per run: a manual run over the plan's runs gets 402, a triggered one is recorded as skipped", async () => {
    const u = await professional();
    const as = asUser(u);
    const noted = (trigger: Parameters<typeof def>[0]) =>
      def(trigger, [["note", "send_message", { channel: "in_app", to: "role:owner", subject: "s", body: "b" }]], ["trigger>note"]);
    const onPaid = await published(u, noted({ type: "event", event: "order.paid" }), "On paid");
    const manual = await published(u, noted({ type: "manual" }), "By hand");
    const { publishEvent } = await import("../../webhooks");
    const used = () => currentUsage(env.DB, u.tenantId, "workflow_runs");
    const catalog = await as("/api/v1/billing/plans");
    const pro = catalog.body.plans.find((p: { id: string }) => p.id === "professional");
    expect(pro.limits.workflow_runs).toBe(10_000);
    // Two runs short of Professional's 10,000 this month.
    await consumeQuotaOrThrow(env, u.tenantId, "workflow_runs", 9_998 - (await used()), { eventId: `fill:${u.tenantId}` });
    const paid = { order_id: "ord_q", total_cents: 100, currency: "usd" };
    await publishEvent(db, env.OUTBOX, { tenantId: u.tenantId, type: "order.paid", data: paid, eventId: "evt_q_1" });
    await publishEvent(db, env.OUTBOX, { tenantId: u.tenantId, type: "order.paid", data: paid, eventId: "evt_q_1" });
    expect(await used()).toBe(9_999); // a redelivered event: one run, one unit
    const last = await as(`/api/v1/workflows/${manual}/runs`, { method: "POST", body: {} });
    expect(last.status).toBe(201);
    expect(await used()).toBe(10_000);
    const metered = await env.DB.prepare(`SELECT quantity FROM usage_events WHERE tenant_id = ?1 AND event_id = ?2`)
      .bind(u.tenantId, `workflow_run:${last.body.id}`)
      .all();
    expect(metered.results).toEqual([{ quantity: 1 }]);

    const over = await as(`/api/v1/workflows/${manual}/runs`, { method: "POST", body: {} });
    expect(over.status).toBe(402);
    expect(over.body).toMatchObject({ meter: "workflow_runs", limit: 10_000, current_usage: 10_000 });
    expect(over.body.upgrade_url).toMatch(/\/settings\/billing$/);
    expect((await as(`/api/v1/workflows/${manual}/runs`)).body.data).toHaveLength(1); // the refused run left no row

    await publishEvent(db, env.OUTBOX, { tenantId: u.tenantId, type: "order.paid", data: paid, eventId: "evt_q_2" });
    await publishEvent(db, env.OUTBOX, { tenantId: u.tenantId, type: "order.paid", data: paid, eventId: "evt_q_2" });
    const skipped = await as(`/api/v1/workflows/${onPaid}/runs?status=skipped`);
    expect(skipped.body.data).toHaveLength(1);
    expect(skipped.body.data[0]).toMatchObject({
      status: "skipped",
      started_at: null,
      output: { reason: "quota_exceeded", meter: "workflow_runs", used: 10_000, limit: 10_000 },
    });
    expect(skipped.body.data[0].error).toMatch(/^Not started: the plan's 10,000 workflow runs for \d{4}-\d{2} are used/);
    expect(skipped.body.data[0].finished_at).not.toBeNull();
    expect(await used()).toBe(10_000);
    const ran = (await as(`/api/v1/workflows/${onPaid}/runs`)).body.data.filter((r: { status: string }) => r.status !== "skipped");
    expect(ran).toHaveLength(1);
    await waitForRun(u, ran[0].id, (r) => r.status === "completed");
  });

  it("lead.created, lead.replied and feedback.received start published workflows (the lead management template end to end)", async () => {
    const u = await professional();
    const as = asUser(u);
    const events = (await as("/api/v1/workflows/events")).body.data.map((e: { type: string }) => e.type);
    expect(events).toEqual(expect.arrayContaining(["lead.created", "lead.replied", "feedback.received"]));

    // Lead management from its template: a lead created in the API is scored (offline: 0, not hot) and tagged for nurture.
    const template = (await as("/api/v1/workflows/templates")).body.data.find((t: { id: string }) => t.id === "lead_management");
    expect(template.definition.trigger).toEqual({ type: "event", event: "lead.created" });
    const leads = await published(u, template.definition, "Lead management");
    const lead = await as("/api/v1/sales/leads", {
      method: "POST",
      body: { email: `ada-${u.tenantId.slice(-6)}@engines.example`, first_name: "Ada" },
    });
    expect(lead.status, JSON.stringify(lead.body)).toBe(201);
    const [leadRun] = (await as(`/api/v1/workflows/${leads}/runs`)).body.data;
    expect(leadRun).toMatchObject({ trigger_type: "event", input: { type: "lead.created", data: { lead_id: lead.body.id, name: "Ada" } } });
    const managed = await waitForRun(u, leadRun.id, (r) => r.status === "completed" || r.status === "failed");
    expect(managed.status, JSON.stringify(managed)).toBe("completed");
    expect(stepOf(managed, "hot")).toMatchObject({ port: "false" });
    expect(stepOf(managed, "nurture")).toMatchObject({ status: "succeeded", output: { id: lead.body.id, tags: ["nurture"] } });
    expect((await as(`/api/v1/sales/leads/${lead.body.id}`)).body.tags).toEqual(["nurture"]);

    // lead.replied: an outreach reply (the dev inbox's path), filtered to positive replies; a replayed message starts nothing new.
    const replied = await published(
      u,
      def(
        { type: "event", event: "lead.replied", filter: { left: "trigger.data.sentiment", op: "eq", right: "positive" } },
        [["tell", "send_message", { channel: "in_app", to: "role:owner", subject: "Reply from {{ trigger.data.email }}", body: "x" }]],
        ["trigger>tell"],
      ),
      "On reply",
    );
    const draftId = newId("drf");
    const now = Date.now();
    await db.insert(salesDrafts).values({
      tenantId: u.tenantId,
      id: draftId,
      enrollmentId: newId("enr"),
      sequenceId: newId("seq"),
      stepId: newId("sstep"),
      variantId: newId("svar"),
      leadId: lead.body.id,
      subject: "Quick question",
      body: "Hi Ada",
      writer: "local-writer-v1",
      status: "sent",
      sentAt: now,
      createdAt: now,
      updatedAt: now,
    });
    const reply = {
      provider: "dev" as const,
      providerMessageId: `dev-${draftId}`,
      from: "",
      to: `reply+${draftId}@reply.weft.test`,
      subject: "Re: Quick question",
      text: "Interested, let's book a call",
      inReplyTo: null,
      references: null,
      receivedAt: now,
    };
    expect(await processInbound(env, reply, u.tenantId)).toMatchObject({ matched: true, sentiment: "positive" });
    expect(await processInbound(env, reply, u.tenantId)).toMatchObject({ duplicate: true });
    const replyRuns = (await as(`/api/v1/workflows/${replied}/runs`)).body.data;
    expect(replyRuns).toHaveLength(1);
    expect(replyRuns[0].input).toMatchObject({
      type: "lead.replied",
      data: { lead_id: lead.body.id, draft_id: draftId, sentiment: "positive", subject: "Re: Quick question" },
    });
    const told = await waitForRun(u, replyRuns[0].id, (r) => r.status === "completed");
    expect(mustStep(told, "tell").input?.subject).toBe(`Reply from ${lead.body.email}`);

    // feedback.received: widget feedback and an NPS answer from the workspace's site; a retried submission is one event.
    const fb = await published(
      u,
      def(
        { type: "event", event: "feedback.received" },
        [["tell", "send_message", { channel: "in_app", to: "role:owner", subject: "{{ trigger.data.kind }}", body: "x" }]],
        ["trigger>tell"],
      ),
      "On feedback",
    );
    const pk = await as("/api/v1/publishable-keys", { method: "POST", body: { name: "shop", allowed_origins: [SITE] } });
    const site = { owner: u, key: pk.body.key as string, ip: freshIp() };
    const cid = clientId();
    for (let i = 0; i < 2; i++)
      expect((await sendFeedback(site, { id: cid, category: "bug", message: "Export does nothing" })).status).toBe(201);
    await answer(site, 3, { comment: "Too slow" });
    const fbRuns = (await as(`/api/v1/workflows/${fb}/runs`)).body.data as { input: { data: Record<string, unknown> } }[];
    expect(fbRuns.map((r) => r.input.data.kind).sort()).toEqual(["feedback", "nps"]);
    expect(fbRuns.find((r) => r.input.data.kind === "feedback")?.input.data).toMatchObject({
      category: "bug",
      message: "Export does nothing",
    });
    expect(fbRuns.find((r) => r.input.data.kind === "nps")?.input.data).toMatchObject({ score: 3, comment: "Too slow", follow_up: true });
  });

  it("each of the seven templates starts from its trigger (catalogue examples for events) and runs to a wait or the end", async () => {
    const u = await professional();
    const as = asUser(u);
    const templates = (await as("/api/v1/workflows/templates")).body.data as { id: string; definition: WorkflowDefinition }[];
    expect(templates).toHaveLength(7);
    const samples = Object.fromEntries(
      ((await as("/api/v1/workflows/events")).body.data as { type: string; sample: Record<string, unknown> }[]).map((e) => [
        e.type,
        e.sample,
      ]),
    );
    // The templates' HTTP steps (fulfilment, release-note API, integration ping, figures) answer 200 from a local
    // fake, with the vault secrets they name.
    const system = { type: "system" as const, id: null, ip: null, userAgent: null };
    for (const name of ["FULFILMENT_TOKEN", "INTEGRATION_TOKEN", "WEFT_API_KEY"])
      await putSecret(db, env, u.tenantId, name, "t0ken", system);
    setTransport(async () => new Response(JSON.stringify({ id: "ext_1", ok: true }), { headers: { "content-type": "application/json" } }));
    try {
      const ids = Object.fromEntries(
        await Promise.all(templates.map(async (t) => [t.id, await published(u, t.definition, t.id)] as const)),
      );
      const { publishEvent } = await import("../../webhooks");
      const fire = (type: "order.paid" | "member.joined" | "subscription.updated", data: Record<string, unknown>) =>
        publishEvent(db, env.OUTBOX, { tenantId: u.tenantId, type, data: { ...samples[type], ...data }, eventId: newId("evt") });
      await as("/api/v1/sales/leads", { method: "POST", body: { email: `t-${u.tenantId.slice(-6)}@leads.example`, first_name: "Tim" } });
      await fire("order.paid", { order_id: "ord_template" });
      await fire("member.joined", { user_id: u.userId, role: "owner" });
      await fire("subscription.updated", { status: "past_due" });
      for (const id of ["content_publishing", "integration_setup"])
        await as(`/api/v1/workflows/${ids[id]}/runs`, {
          method: "POST",
          body: { input: { title: "Export", body: "CSV export is here." } },
        });
      await db
        .update(workflows)
        .set({ nextRunAt: Date.now() - 60_000 })
        .where(and(eq(workflows.tenantId, u.tenantId), eq(workflows.id, ids.weekly_analytics_report)));
      await runWorkflowsCron(env);
      for (const t of templates) {
        const runs = (await as(`/api/v1/workflows/${ids[t.id]}/runs`)).body.data as { id: string }[];
        expect(runs, t.id).toHaveLength(1);
        const r = await waitForRun(u, runs[0].id, (x) => ["completed", "waiting", "failed"].includes(x.status));
        expect(r.status, `${t.id}: ${JSON.stringify(r.steps)}`).not.toBe("failed");
        expect(
          r.steps.filter((x) => x.status === "failed"),
          t.id,
        ).toEqual([]);
      }
    } finally {
      setTransport(null);
    }
  });

  it("update_record changes a member's role (the members route's guards, audited) and a ticket's status and assignee", async () => {
    const u = await professional();
    const as = asUser(u);
    const other = await signUp();
    const now = Date.now();
    await db.insert(memberships).values({ tenantId: u.tenantId, userId: other.userId, role: "member", createdAt: now, updatedAt: now });
    const noRetry = { limit: 0, delay_seconds: 0, backoff: "constant" };
    const updater = (record: string, changes: Record<string, unknown>) =>
      def(
        { type: "manual" },
        [["change", "update_record", { record, record_id: "{{ trigger.data.id }}", changes, retries: noRetry }]],
        ["trigger>change"],
      );
    const run = async (who: TestUser, wf: string, input: Record<string, unknown>) => {
      const r = await asUser(who)(`/api/v1/workflows/${wf}/runs`, { method: "POST", body: { input } });
      expect(r.status, JSON.stringify(r.body)).toBe(201);
      return waitForRun(u, r.body.id, (x) => x.status === "completed" || x.status === "failed");
    };

    const roles = await published(u, updater("member", { role: "{{ trigger.data.role }}" }), "Roles");
    const promoted = await run(u, roles, { id: other.userId, role: "admin" });
    expect(promoted.status, JSON.stringify(promoted)).toBe("completed");
    expect(stepOf(promoted, "change")?.output).toEqual({ user_id: other.userId, role: "admin" });
    const members = (await as("/api/v1/members")).body.data as { user_id: string; role: string }[];
    expect(members.find((m) => m.user_id === other.userId)?.role).toBe("admin");
    const audit = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, u.tenantId), eq(auditLogs.action, "member.role_changed")));
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "system", targetId: other.userId, metadata: { from: "member", to: "admin" } });
    expect(audit[0].userAgent).toBe(`workflow run ${promoted.id}`);

    // The last owner is never demoted; another workspace's user is not found.
    const lastOwner = await run(u, roles, { id: u.userId, role: "member" });
    expect(lastOwner.status).toBe("failed");
    expect(mustStep(lastOwner, "change").error).toMatch(/at least one owner/);
    const stranger = await run(u, roles, { id: (await signUp()).userId, role: "viewer" });
    expect(mustStep(stranger, "change").error).toMatch(/not found/i);
    // A workflow an admin published acts with the admin's authority: it cannot make an owner.
    const asAdmin = { ...other, tenantId: u.tenantId };
    const byAdmin = await published(asAdmin, updater("member", { role: "owner" }), "Admin's roles");
    const refused = await run(asAdmin, byAdmin, { id: other.userId });
    expect(mustStep(refused, "change").error).toMatch(/cannot grant owner/);
    expect((await as("/api/v1/members")).body.data.find((m: { user_id: string }) => m.user_id === other.userId)?.role).toBe("admin");

    // Tickets: status and assignee (a member); priority is not a ticket field.
    const ticket = await createTicket(db, u.tenantId, {
      endUserId: newId("eu"),
      authorName: "Eve",
      subject: "Refund?",
      body: "Hi",
      attachments: [],
    });
    const tickets = await published(u, updater("ticket", { status: "closed", assignee_id: "{{ trigger.data.assignee }}" }), "Tickets");
    const closed = await run(u, tickets, { id: ticket.id, assignee: other.userId });
    expect(closed.status, JSON.stringify(closed)).toBe("completed");
    expect(stepOf(closed, "change")?.output).toEqual({ id: ticket.id, number: ticket.number, status: "closed", assignee_id: other.userId });
    const row = await getTicket(db, u.tenantId, ticket.id);
    expect(row).toMatchObject({ status: "closed", assigneeId: other.userId });
    expect(row.closedAt).not.toBeNull();
    const ticketAudit = await db
      .select()
      .from(auditLogs)
      .where(and(eq(auditLogs.tenantId, u.tenantId), eq(auditLogs.action, "ticket.updated")));
    expect(ticketAudit[0]).toMatchObject({ actorType: "system", targetId: ticket.id });
    const badAssignee = await run(u, tickets, { id: ticket.id, assignee: (await signUp()).userId });
    expect(mustStep(badAssignee, "change").error).toMatch(/not a member of this workspace/);
    const v = await as(`/api/v1/workflows/${tickets}/validate`, {
      method: "POST",
      body: { definition: updater("ticket", { priority: "high" }) },
    });
    expect(v.body.errors).toEqual([
      expect.objectContaining({
        node_id: "change",
        field: "config.changes.priority",
        message: expect.stringMatching(/status, assignee_id/),
      }),
    ]);
  });

  it("a run written to D1 without its instance (the demo seed) gets one when its approval is decided, and resumes there", async () => {
    const u = await professional();
    const as = asUser(u);
    const id = await published(
      u,
      def(
        { type: "manual" },
        [
          ["ok", "approval", { title: "Seeded?", approver_roles: ["owner"] }],
          ["after", "send_message", { channel: "in_app", to: "role:owner", subject: "Resumed", body: "x" }],
        ],
        ["trigger>ok", "ok>after:approved"],
      ),
    );
    const now = Date.now();
    const runId = newId("wfr");
    await db.insert(workflowRuns).values({
      tenantId: u.tenantId,
      id: runId,
      workflowId: id,
      version: 1,
      status: "waiting",
      triggerType: "manual",
      input: { type: "manual", data: {} },
      startedAt: now,
      createdAt: now,
      updatedAt: now,
    });
    await db.insert(workflowApprovals).values({
      tenantId: u.tenantId,
      id: newId("wfa"),
      runId,
      workflowId: id,
      nodeId: "ok",
      stepKey: "ok",
      eventType: "approval-ok",
      status: "pending",
      title: "Seeded?",
      message: "",
      context: {},
      approverUserIds: [],
      approverRoles: ["owner"],
      escalationUserIds: [],
      tokenHash: `seeded-${runId}`,
      createdAt: now,
    });
    const pending = await waitForRun(u, runId, (r) => r.approvals.length === 1);
    const decided = await as(`/api/v1/workflow-approvals/${pending.approvals[0].id}/decide`, {
      method: "POST",
      body: { decision: "approved" },
    });
    expect(decided.status, JSON.stringify(decided.body)).toBe(200);
    const done = await waitForRun(u, runId, (r) => r.status === "completed" || r.status === "failed");
    expect(done.status, JSON.stringify(done)).toBe("completed");
    expect(stepOf(done, "ok")).toMatchObject({ port: "approved" });
    expect(stepOf(done, "after")).toMatchObject({ status: "succeeded" });
  });
});
