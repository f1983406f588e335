import { env, exports } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { BASE, freshIp } from "../../../../test/helpers";
import { setTransport } from "../../messaging/providers/http";
import { and, eq } from "drizzle-orm";
import { workflows } from "../../../../schema/workflows";
import { newId } from "../../../platform/ids";
import { signatureHeaders } from "../../../platform/standard-webhooks";
import { runWorkflowsCron } from "../cron";
import { nextCronTime, parseCron } from "../cron-expression";
import { putSecret } from "../secrets.service";
import { salesDrafts } from "../../../../schema/sales-sequences";
import { processInbound } from "../../outreach/inbound";
import { answer, clientId, SITE, sendFeedback } from "../../surveys/test/surveys-helpers";
import type { WorkflowDefinition } from "../definition";
import { asUser, db, def, mustStep, professional, published, stepOf, waitForRun } from "./workflows-helpers";

// What starts a run: events, signed webhooks, cron schedules, the product events and the templates.
const callRaw = (path: string, body: string, headers: Record<string, string>) =>
  exports.default.fetch(BASE + path, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": "10.250.0.9", ...headers },
    body,
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
});
