import { env } from "cloudflare:workers";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { aiHolds } from "../../../../schema/ai-safety";
import { memberships } from "../../../../schema/tenancy";
import { salesEnrollments, salesStepVariants } from "../../../../schema/sales-sequences";
import { callJson, signUp } from "../../../../test/helpers";
import { releaseHeldDraft } from "../drafts.service";
import { advanceDueEnrollments, scheduleApprovedDrafts } from "../engine";
import { as, db, draftFor, guardrails, writerWorld } from "./writer-helpers";

// Drafts after the writer: the safety rules' holds and their release, auto-send, a person's edit /
// approve / reject, the engine picking the decision up, the writer settings and the variant figures.

describe("drafts: safety, approval, auto-send", () => {
  it("a blocked phrase holds the draft (ai_holds row); the safety console's decision releases it", async () => {
    const u = await signUp();
    await guardrails(u.tenantId, { blockedPhrases: ["act now"] });
    const w = await writerWorld(u.tenantId, {
      autoSend: true, // even auto-send cannot send what the rules hold
      variants: [{ label: "A", subject: "Offer for {{company}}", body: "Hi {{first_name}},\n\nAct now and save.\n\nReply?" }],
    });
    const d = await draftFor(w);
    expect(d.status).toBe("held");
    expect(d.heldFor).toEqual(["blocked_phrase:act now"]);
    const hold = await db
      .select()
      .from(aiHolds)
      .where(and(eq(aiHolds.tenantId, u.tenantId), eq(aiHolds.refType, "sales_draft"), eq(aiHolds.refId, d.id)))
      .get();
    expect(hold).toMatchObject({ status: "pending", surface: "writer" });
    expect(hold?.content).toContain("Act now and save.");
    // Not approvable from the drafts queue…
    const r = await as(u)("POST", `/api/v1/outreach/drafts/${d.id}/approve`);
    expect(r.status).toBe(409);
    expect(r.body.type).toContain("draft-held");
    // …but through the console's approval queue, which runs the registered "sales_draft" handler.
    const ok = await as(u)("POST", `/api/v1/ai/holds/${hold?.id}/approve`, { comment: "fine" });
    expect(ok.status).toBe(200);
    const after = await as(u)("GET", `/api/v1/outreach/drafts/${d.id}`);
    expect(after.body).toMatchObject({ status: "approved", decided_by: u.userId });
    // Rejected in the console: the draft is rejected and its enrolment skips the step (due now for the engine).
    const w2 = await writerWorld(u.tenantId, { variants: [{ label: "A", subject: "Hi", body: "Act now, {{first_name}}." }] });
    const d2 = await draftFor(w2);
    const hold2 = await db
      .select()
      .from(aiHolds)
      .where(and(eq(aiHolds.tenantId, u.tenantId), eq(aiHolds.refId, d2.id)))
      .get();
    expect((await as(u)("POST", `/api/v1/ai/holds/${hold2?.id}/reject`, { comment: "no" })).status).toBe(200);
    expect((await as(u)("GET", `/api/v1/outreach/drafts/${d2.id}`)).body).toMatchObject({ status: "rejected", decided_by: u.userId });
    const e2 = await db.select().from(salesEnrollments).where(eq(salesEnrollments.id, w2.enrollment.id)).get();
    expect(e2?.nextRunAt).toBeLessThanOrEqual(Date.now());
    // A stale decision (the draft is no longer held) changes nothing.
    await releaseHeldDraft(env, u.tenantId, d.id, "rejected", u.userId);
    expect((await as(u)("GET", `/api/v1/outreach/drafts/${d.id}`)).body.status).toBe("approved");
  });

  it("auto-send approves only drafts no rule fired on (a disclaimer counts)", async () => {
    const u = await signUp();
    const clean = await draftFor(await writerWorld(u.tenantId, { autoSend: true }));
    expect(clean).toMatchObject({ status: "approved", decidedBy: "auto-send" });
    const manual = await draftFor(await writerWorld(u.tenantId, { autoSend: false }));
    expect(manual.status).toBe("pending");
    await guardrails(u.tenantId, { disclaimer: "Sent by Weft's AI writer." });
    const modified = await draftFor(await writerWorld(u.tenantId, { autoSend: true }));
    expect(modified.status).toBe("pending");
    expect(modified.heldFor).toEqual(["disclaimer:writer"]);
    expect(modified.body.endsWith("Sent by Weft's AI writer.")).toBe(true);
    expect(modified.subject).toBe("Ada, a question about Harbor Freight Co");
    // Held and with a disclaimer required: the held text already carries it (what a person approves is what goes out).
    await guardrails(u.tenantId, { disclaimer: "Sent by Weft's AI writer.", blockedPhrases: ["a question"] });
    const heldToo = await draftFor(await writerWorld(u.tenantId, { autoSend: true }));
    expect(heldToo.status).toBe("held");
    expect(heldToo.body.endsWith("Sent by Weft's AI writer.")).toBe(true);
  });

  it("edit (re-checked), approve, reject (skip or stop), regenerate; sales:approve required", async () => {
    const u = await signUp();
    await guardrails(u.tenantId, { blockedPhrases: ["guaranteed"] });
    const w = await writerWorld(u.tenantId);
    const d = await draftFor(w);
    const api = as(u);

    const bad = await api("PATCH", `/api/v1/outreach/drafts/${d.id}`, { subject: "" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("subject");
    const edited = await api("PATCH", `/api/v1/outreach/drafts/${d.id}`, { body: "Hi Ada,\n\nResults guaranteed.\n\nCall?" });
    expect(edited.body).toMatchObject({ status: "held", held_for: ["blocked_phrase:guaranteed"], edited_by: u.userId });
    const holdsOf = () =>
      db
        .select()
        .from(aiHolds)
        .where(and(eq(aiHolds.tenantId, u.tenantId), eq(aiHolds.refId, d.id)));
    expect((await holdsOf()).map((h) => h.status)).toEqual(["pending"]);
    // Edited again while held, still with a blocked phrase: the old text's hold is withdrawn, the new text held anew.
    const again = await api("PATCH", `/api/v1/outreach/drafts/${d.id}`, { body: "Hi Ada,\n\nGuaranteed results, guaranteed.\n\nCall?" });
    expect(again.body).toMatchObject({ status: "held" });
    const held = await holdsOf();
    expect(held).toHaveLength(1);
    expect(held[0]?.content).toContain("Guaranteed results, guaranteed.");
    const fixed = await api("PATCH", `/api/v1/outreach/drafts/${d.id}`, { body: "Hi Ada,\n\nResults you can measure.\n\nCall?" });
    expect(fixed.body).toMatchObject({ status: "pending", held_for: [] });
    expect(await holdsOf()).toEqual([]); // nothing left in the safety console to decide the new text unseen
    const regen = await api("POST", `/api/v1/outreach/drafts/${d.id}/regenerate`);
    expect(regen.body).toMatchObject({ status: "pending", variant_id: d.variantId, edited_by: null });
    expect(regen.body.body).toContain("Hi Ada,");

    // A viewer (sales:read only) reads but may not decide.
    const viewer = await signUp();
    const now = Date.now();
    await db.insert(memberships).values({ tenantId: u.tenantId, userId: viewer.userId, role: "viewer", createdAt: now, updatedAt: now });
    const asViewer = (m: string, p: string, b?: unknown) =>
      callJson(p, { method: m, token: viewer.accessToken, tenant: u.tenantId, ip: viewer.ip, body: b });
    expect((await asViewer("GET", `/api/v1/outreach/drafts/${d.id}`)).status).toBe(200);
    expect((await asViewer("POST", `/api/v1/outreach/drafts/${d.id}/approve`)).status).toBe(403);
    expect((await asViewer("PATCH", `/api/v1/outreach/drafts/${d.id}`, { subject: "x" })).status).toBe(403);
    expect((await asViewer("PUT", "/api/v1/outreach/writer", { tone: "formal" })).status).toBe(403);

    const approved = await api("POST", `/api/v1/outreach/drafts/${d.id}/approve`);
    expect(approved.body).toMatchObject({ status: "approved", decided_by: u.userId });
    expect((await api("POST", `/api/v1/outreach/drafts/${d.id}/approve`)).status).toBe(409);
    const list = await api("GET", `/api/v1/outreach/drafts?status=approved&sequence_id=${w.sequenceId}`);
    expect(list.body.data.map((x: { id: string }) => x.id)).toEqual([d.id]);
    expect(list.body.data[0]).toMatchObject({
      lead_name: "Ada Lovelace",
      lead_email: expect.stringContaining("@harbor.example"),
      variant_label: "A",
    });
    expect((await api("GET", `/api/v1/outreach/drafts?lead_id=${w.leadId}&status=pending`)).body.data).toEqual([]);

    // Reject → skip: the enrolment is due now (the engine moves it to the next step in the window).
    const w2 = await writerWorld(u.tenantId);
    const d2 = await draftFor(w2);
    const rej = await api("POST", `/api/v1/outreach/drafts/${d2.id}/reject`, { reason: "wrong angle" });
    expect(rej.body).toMatchObject({ status: "rejected", decided_by: u.userId, reject_reason: "wrong angle" });
    expect((await api("GET", `/api/v1/outreach/drafts?status=rejected&sequence_id=${w2.sequenceId}`)).body.data[0]).toMatchObject({
      reject_reason: "wrong angle",
    });
    const e2 = await db.select().from(salesEnrollments).where(eq(salesEnrollments.id, w2.enrollment.id)).get();
    expect(e2?.status).toBe("active");
    expect(e2?.nextRunAt).toBeLessThanOrEqual(Date.now());
    // Reject → stop: the enrolment ends (manual).
    const w3 = await writerWorld(u.tenantId);
    const d3 = await draftFor(w3);
    expect((await api("POST", `/api/v1/outreach/drafts/${d3.id}/reject`, { reason: "not a fit", enrollment: "stop" })).status).toBe(200);
    const e3 = await db.select().from(salesEnrollments).where(eq(salesEnrollments.id, w3.enrollment.id)).get();
    expect(e3).toMatchObject({ status: "finished", stopReason: "manual" });
    expect((await api("POST", `/api/v1/outreach/drafts/${d3.id}/reject`, {})).status).toBe(409);
  });

  it("with the engine: a rejected draft's enrolment moves to the next step; an approved draft is scheduled in the window", async () => {
    const u = await signUp();
    const api = as(u);
    const w = await writerWorld(u.tenantId, { secondStep: true });
    const d1 = await draftFor(w);
    expect((await api("POST", `/api/v1/outreach/drafts/${d1.id}/reject`, { reason: "too generic" })).status).toBe(200);
    // Due first among whatever other tests left due (the engine takes the oldest due first).
    const enrollment = () => db.select().from(salesEnrollments).where(eq(salesEnrollments.id, w.enrollment.id)).get();
    const makeDueFirst = () => db.update(salesEnrollments).set({ nextRunAt: 1 }).where(eq(salesEnrollments.id, w.enrollment.id));
    await makeDueFirst();
    const now = Date.now();
    await advanceDueEnrollments(env, now, 50);
    const moved = await enrollment();
    expect(moved).toMatchObject({ status: "active", nextStep: 2, waitingOn: null });
    expect(moved?.nextRunAt).toBeGreaterThanOrEqual(now + 60 * 60_000);
    await makeDueFirst();
    await advanceDueEnrollments(env, Date.now(), 50);
    const waiting = await enrollment();
    const d2id = waiting?.waitingOn?.replace("draft:", "") ?? "";
    const d2 = await api("GET", `/api/v1/outreach/drafts/${d2id}`);
    expect(d2.body).toMatchObject({ status: "pending", subject: "Following up, Ada" });
    expect((await api("POST", `/api/v1/outreach/drafts/${d2id}/approve`)).status).toBe(200);
    await scheduleApprovedDrafts(env, Date.now(), 1000);
    const scheduled = (await api("GET", `/api/v1/outreach/drafts/${d2id}`)).body;
    expect(scheduled.status).toBe("scheduled");
    const at = new Date(scheduled.send_at);
    // The mailbox's window: Monday–Friday, 09:00–17:00 UTC.
    expect([1, 2, 3, 4, 5]).toContain(at.getUTCDay());
    expect(at.getUTCHours()).toBeGreaterThanOrEqual(9);
    expect(at.getUTCHours()).toBeLessThan(17);
  });

  it("writer settings: defaults, partial PUT, validation", async () => {
    const u = await signUp();
    const api = as(u);
    expect((await api("GET", "/api/v1/outreach/writer")).body).toMatchObject({
      tone: "friendly",
      max_words: 120,
      use_knowledge: true,
      updated_at: null,
    });
    const put = await api("PUT", "/api/v1/outreach/writer", { tone: "formal", value_props: ["Fewer delays"], collection: "sales" });
    expect(put.body).toMatchObject({ tone: "formal", value_props: ["Fewer delays"], collection: "sales", max_words: 120 });
    expect((await api("PUT", "/api/v1/outreach/writer", { max_words: 5, tone: "rude" })).status).toBe(400);
    expect((await api("GET", "/api/v1/outreach/writer")).body.tone).toBe("formal");
  });

  it("variant figures: per arm counters, rates, probability of being best, the winner", async () => {
    const u = await signUp();
    const w = await writerWorld(u.tenantId, {
      variants: [
        { label: "A", subject: "A {{company}}", body: "a", sent: 120, replies: 30, positive: 24 },
        { label: "B", subject: "B {{company}}", body: "b", sent: 120, replies: 8, positive: 3 },
        { label: "C", subject: "C", body: "c" },
      ],
    });
    await db
      .update(salesStepVariants)
      .set({ active: false })
      .where(eq(salesStepVariants.id, w.variants[2]?.id ?? ""));
    const r = await as(u)("GET", `/api/v1/outreach/sequences/${w.sequenceId}/variants`);
    expect(r.status).toBe(200);
    const arms = r.body.steps[0].arms;
    expect(arms.map((a: { label: string }) => a.label)).toEqual(["A", "B", "C"]);
    expect(arms[0]).toMatchObject({ sent: 120, replies: 30, positive_replies: 24, positive_rate: 0.2, reply_rate: 0.25, winner: true });
    expect(arms[0].probability_best).toBeGreaterThan(0.99);
    expect(arms[1].winner).toBe(false);
    expect(arms[2]).toMatchObject({ active: false, probability_best: null, positive_rate: null });
    expect((await as(u)("GET", "/api/v1/outreach/sequences/seq_nope/variants")).status).toBe(404);
  });
});
