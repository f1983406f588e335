import { describe, expect, it } from "vitest";
import { signUp, type TestUser } from "../../../../test/helpers";
import { setTransport } from "../../messaging/providers/http";
import { and, eq } from "drizzle-orm";
import { newId } from "../../../platform/ids";
import { parseTemplate, render } from "../expressions";
import { auditLogs } from "../../../../schema/audit";
import { memberships } from "../../../../schema/tenancy";
import { createTicket, getTicket } from "../../tickets";
import { asUser, db, def, mustStep, professional, published, stepOf, waitForRun } from "./workflows-helpers";

// Expressions, and what steps do: retries and secrets, versions and re-runs, loops and the AI step,
// update_record.
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

describe("workflows engine (Cloudflare Workflows in workerd)", () => {
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
});
