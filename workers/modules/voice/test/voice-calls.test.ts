import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { outboxMessages } from "../../../../schema/messaging";
import { salesTasks } from "../../../../schema/sales";
import { supportTickets } from "../../../../schema/tickets";
import { signUp } from "../../../../test/helpers";
import { getTranscriptText, listTranscriptsForFusion } from "..";
import { CALL_SRT, CALL_TEXT, CALL_VTT, MONDAY } from "./fixtures";
import { type ActivityJson, asUser, db, enterprise, makeLead, type ProposalJson, uploadForm, waitForCall } from "./voice-helpers";

// The calls API: the plan gate, upload → analysis → proposals, accepting and dismissing them,
// linking a lead, re-analysis and delete. Parsing, extraction and speech are in voice-transcripts.test.ts.

describe("calls API", () => {
  it("refuses a plan without voice-to-action (402)", async () => {
    const u = await signUp();
    const r = await asUser(u)("/api/v1/sales/calls", { body: { transcript: CALL_TEXT } });
    expect(r.status).toBe(402);
    expect(r.body).toMatchObject({ feature: "voice_to_action", required_plan: "enterprise" });
    expect((await asUser(u)("/api/v1/sales/calls")).status).toBe(402);
  });

  it("upload → analysis → proposals; accepting creates exactly one task/ticket/email, on the lead's timeline", async () => {
    const u = await enterprise();
    const as = asUser(u);
    const email = `dana-${Date.now()}@acme.test`;
    const lead = await makeLead(u, { first_name: "Dana", last_name: "Whitfield", email });

    // Malformed input names the line; an unknown lead is a 404 naming the field.
    const bad = await as("/api/v1/sales/calls", { body: { transcript: "WEBVTT\n\nnot a cue\nSam: hi\n" } });
    expect(bad.status).toBe(422);
    expect(bad.body).toMatchObject({ line: 3, errors: [{ path: "transcript:line 3" }] });
    const noLead = await as("/api/v1/sales/calls", { body: { transcript: CALL_TEXT, lead_id: "lead_nope" } });
    expect(noLead.status).toBe(404);
    expect(noLead.body.errors).toEqual([{ path: "lead_id", message: "no such lead in this workspace" }]);

    // A transcript file (multipart) with the lead.
    const up = await uploadForm(u, {
      file: new File([CALL_VTT], "rollout-check-in.vtt", { type: "text/vtt" }),
      lead_id: lead,
      occurred_at: new Date(MONDAY).toISOString(),
    });
    expect(up.status, JSON.stringify(up.body)).toBe(201);
    expect(up.body).toMatchObject({
      title: "rollout-check-in",
      format: "vtt",
      source: "transcript",
      lead: { id: lead, name: "Dana Whitfield" },
    });
    expect(up.body.segments[0]).toEqual({ speaker: "Sam Rivera", start_ms: 1000, end_ms: 6500, text: expect.stringContaining("Hi Dana") });
    const call = await waitForCall(u, up.body.id);
    expect(call).toMatchObject({ status: "analysed", analysed_by: "local/extractor", analysis_local: true, open_proposals: 6 });
    const byKind = (k: string) => call.proposals.filter((p: ProposalJson) => p.kind === k);
    expect(byKind("task")).toHaveLength(4);
    expect(byKind("ticket")).toHaveLength(1);
    expect(byKind("email")).toHaveLength(1);
    expect(byKind("email")[0].proposed.safety).toEqual({ action: "allowed", rules: [] });

    // The list: search in transcripts, status filter.
    expect((await as("/api/v1/sales/calls?q=pricing%20sheet")).body.data.map((c: { id: string }) => c.id)).toEqual([call.id]);
    expect((await as("/api/v1/sales/calls?status=failed")).body.data).toEqual([]);

    // Accept a task with an edited title, twice: one task.
    const pricing = byKind("task")[0];
    const accept = (p: { id: string }, body: unknown = {}) => as(`/api/v1/sales/calls/${call.id}/proposals/${p.id}/accept`, { body });
    const first = await accept(pricing, { title: "Send Dana the 2027 pricing sheet" });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({
      status: "accepted",
      created: { type: "task" },
      accepted: { title: "Send Dana the 2027 pricing sheet" },
    });
    const again = await accept(pricing, { title: "Something else" });
    expect(again.body).toEqual(first.body);
    // A double click: two requests at once, still one task.
    const second = byKind("task")[1];
    const both = await Promise.all([accept(second), accept(second)]);
    expect(both.map((r) => r.status).sort()).toEqual(both.some((r) => r.status === 409) ? [200, 409] : [200, 200]);
    const tasks = await db.select().from(salesTasks).where(eq(salesTasks.leadId, lead));
    expect(tasks.map((t) => t.title).sort()).toEqual(["Ask support to look at the export", "Send Dana the 2027 pricing sheet"]);
    const pricingTask = tasks.find((t) => t.id === first.body.created.id);
    expect(pricingTask).toMatchObject({ origin: "voice", kind: "follow_up", ownerId: u.userId, dueAt: Date.UTC(2026, 11, 11, 17) });
    const listed = await as(`/api/v1/sales/tasks?lead_id=${lead}&status=all`);
    expect(listed.body.data.map((t: { id: string }) => t.id)).toContain(first.body.created.id);

    // Dismiss one; accepting it afterwards is refused.
    const pilot = byKind("task")[3];
    expect((await as(`/api/v1/sales/calls/${call.id}/proposals/${pilot.id}/dismiss`, { method: "POST" })).body.status).toBe("dismissed");
    expect((await accept(pilot)).status).toBe(409);

    // The ticket: opened for the lead (a portal account by their email), once.
    const ticketP = byKind("ticket")[0];
    const t1 = await accept(ticketP, { priority: "urgent" });
    expect(t1.status, JSON.stringify(t1.body)).toBe(200);
    expect((await accept(ticketP)).body.created).toEqual(t1.body.created);
    const ticket = await db.select().from(supportTickets).where(eq(supportTickets.id, t1.body.created.id)).get();
    expect(ticket).toMatchObject({ tenantId: u.tenantId, status: "open", subject: expect.stringContaining("CSV export") });

    // The email, edited, goes to the lead through messaging, once; it is on the timeline.
    const emailP = byKind("email")[0];
    const e1 = await accept(emailP, { subject: "Our call on Monday" });
    expect(e1.status, JSON.stringify(e1.body)).toBe(200);
    expect(e1.body.created.type).toBe("message");
    expect((await accept(emailP)).body.created).toEqual(e1.body.created);
    const msg = await db.select().from(outboxMessages).where(eq(outboxMessages.id, e1.body.created.id)).get();
    expect(msg).toMatchObject({ recipient: email, template: "outreach.email", channel: "email" });
    expect(msg?.data.subject).toBe("Our call on Monday");

    const timeline = await as(`/api/v1/sales/leads/${lead}/activities?limit=50`);
    const kinds = timeline.body.data.map((a: ActivityJson) => a.kind);
    expect(kinds.filter((k: string) => k === "call")).toHaveLength(1);
    expect(kinds.filter((k: string) => k === "email_sent")).toHaveLength(1);
    expect(kinds.filter((k: string) => k === "task_created")).toHaveLength(2);
    expect(timeline.body.data.find((a: ActivityJson) => a.kind === "call").data.call_id).toBe(call.id);

    // Knowledge fusion reads the transcript through the module's entry.
    const forFusion = await listTranscriptsForFusion(db, u.tenantId, { since: MONDAY - 1000, limit: 10 });
    expect(forFusion).toEqual([
      {
        id: call.id,
        title: "rollout-check-in",
        leadId: lead,
        occurredAt: MONDAY,
        text: expect.stringContaining("Dana Whitfield: Mostly well."),
      },
    ]);
    expect(await getTranscriptText(db, u.tenantId, call.id)).toContain("Sam Rivera: Hi Dana");
    expect(await listTranscriptsForFusion(db, u.tenantId, { since: MONDAY + 1000, limit: 10 })).toEqual([]);
  });

  it("a ticket or email needs a lead with an address (422); linking the lead later makes them possible; re-analysis keeps decisions", async () => {
    const u = await enterprise();
    const as = asUser(u);
    const up = await as("/api/v1/sales/calls", { body: { transcript: CALL_SRT, title: "Lee's dashboard" } });
    expect(up.status).toBe(201);
    const call = await waitForCall(u, up.body.id);
    expect(call.proposals.map((p: ProposalJson) => p.kind)).toEqual(["task", "ticket"]); // no lead: no email
    const ticketP = call.proposals[1];
    const r = await as(`/api/v1/sales/calls/${call.id}/proposals/${ticketP.id}/accept`, { body: {} });
    expect(r.status).toBe(422);
    expect(r.body.errors).toEqual([{ path: "lead_id", message: "link the call to a lead with an email address" }]);
    expect((await as(`/api/v1/sales/calls/${call.id}`)).body.proposals[1].status).toBe("proposed"); // back to proposed

    const lead = await makeLead(u, { first_name: "Lee", email: `lee-${Date.now()}@acme.test` });
    const linked = await as(`/api/v1/sales/calls/${call.id}`, { method: "PATCH", body: { lead_id: lead } });
    expect(linked.body.lead).toMatchObject({ id: lead, name: "Lee" });
    expect((await as(`/api/v1/sales/calls/${call.id}/proposals/${ticketP.id}/accept`, { body: {} })).status).toBe(200);

    // Re-analyse: the decided ticket stays, the open task is replaced, and the email appears (the lead has an address now).
    const again = await as(`/api/v1/sales/calls/${call.id}/analyse`, { method: "POST" });
    expect(again.status).toBe(202);
    const after = await waitForCall(u, call.id);
    expect(after.proposals.map((p: ProposalJson) => [p.kind, p.status]).sort()).toEqual([
      ["email", "proposed"],
      ["task", "proposed"],
      ["ticket", "accepted"],
    ]);
    expect(after.proposals.find((p: ProposalJson) => p.kind === "task").id).not.toBe(call.proposals[0].id);

    // Delete: the call goes, what it created stays.
    expect((await as(`/api/v1/sales/calls/${call.id}`, { method: "DELETE" })).status).toBe(204);
    expect((await as(`/api/v1/sales/calls/${call.id}`)).status).toBe(404);
    expect(
      await db
        .select()
        .from(supportTickets)
        .where(eq(supportTickets.id, after.proposals.find((p: ProposalJson) => p.kind === "ticket").created.id))
        .get(),
    ).toBeTruthy();
  });
});
