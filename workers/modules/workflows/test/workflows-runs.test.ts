import { env } from "cloudflare:workers";
import { evictAllDurableObjects, introspectWorkflow } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { waitForMail } from "../../../../test/helpers";
import { and, eq } from "drizzle-orm";
import { workflowApprovals, workflowRuns } from "../../../../schema/workflows";
import { newId } from "../../../platform/ids";
import { dispatchQueued } from "../runs.service";
import { consumeQuotaOrThrow } from "../../billing";
import { currentUsage } from "../../billing/usage.store";
import { asUser, db, def, professional, published, stepOf, waitForRun } from "./workflows-helpers";

// A run's life: branches, waits and approvals (decided, rejected, escalated, resumed after the demo
// seed), the concurrency cap and the workflow_runs meter.
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
