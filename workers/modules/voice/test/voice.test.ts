import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { outboxMessages } from "../../../../schema/messaging";
import { salesTasks } from "../../../../schema/sales";
import { supportTickets } from "../../../../schema/tickets";
import { salesCalls } from "../../../../schema/voice";
import { getDb } from "../../../platform/db";
import type { Env } from "../../../platform/env";
import { signUp } from "../../../../test/helpers";
import { getTranscriptText, listTranscriptsForFusion } from "..";
import { parseModelAnalysis } from "../analysis";
import { findDueDate, withoutDueDate } from "../due-dates";
import { extractLocally } from "../extract";
import { processCall, transcribeCall } from "../pipeline";
import { OpenAiSpeech, speechAdapterFor, speechTransport, WHISPER_MODEL, WorkersAiSpeech } from "../speech";
import { detectFormat, parseTranscript } from "../transcript-formats";
import { fakeOpenAiSpeech } from "./fake-speech";
import { CALL_SRT, CALL_TEXT, CALL_VTT } from "./fixtures";
import { type ActivityJson, asUser, env, enterprise, makeLead, type ProposalJson, tinyWav, uploadForm, waitForCall } from "./voice-helpers";

const db = getDb(env.DB);
const MONDAY = Date.UTC(2026, 11, 7, 15, 0); // Monday 7 December 2026, 15:00 UTC

afterEach(() => {
  speechTransport.fetch = null;
});

describe("transcript formats", () => {
  it("parses VTT (voice tags), SRT and 'Speaker: line' text into speakers and times", () => {
    expect(detectFormat(CALL_VTT)).toBe("vtt");
    expect(detectFormat(CALL_SRT)).toBe("srt");
    expect(detectFormat(CALL_TEXT)).toBe("text");
    expect(detectFormat("Sam: hi", "call.srt")).toBe("srt");

    const vtt = parseTranscript(CALL_VTT, "vtt");
    expect(vtt).toHaveLength(5);
    expect(vtt[1]).toEqual({
      speaker: "Dana Whitfield",
      startMs: 7000,
      endMs: 15200,
      text: "Mostly well. One thing: the CSV export doesn't work for files over ten thousand rows, we get an error every time.",
    });

    const srt = parseTranscript(CALL_SRT, "srt");
    expect(srt.map((s) => [s.speaker, s.startMs, s.endMs])).toEqual([
      ["Sam", 1000, 4000],
      ["Lee", 4500, 9000],
      ["Sam", 9500, 14000],
    ]);

    const text = parseTranscript(CALL_TEXT, "text");
    // The unlabelled line continues Dana's; a timed line ends where the next starts.
    expect(text[1]).toEqual({
      speaker: "Dana",
      startMs: 5000,
      endMs: 20000,
      text: "Morning! Our sync with the CRM is broken since Tuesday. It shows an error on every contact.",
    });
    expect(text[3]).toMatchObject({ speaker: "Dana", startMs: 31000, endMs: null });
  });

  it("names the line of malformed input (422)", () => {
    const line = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        const p = e as { status: number; extensions: { line: number }; detail: string };
        return { status: p.status, line: p.extensions.line, detail: p.detail };
      }
      throw new Error("did not throw");
    };
    expect(line(() => parseTranscript("WEBVTT\n\n00:00:01.000 --> 00:00:0x.000\nSam: hi\n", "vtt"))).toMatchObject({
      status: 422,
      line: 3,
    });
    expect(line(() => parseTranscript("00:00:01.000 --> 00:00:02.000\nSam: hi\n", "vtt"))).toMatchObject({ line: 1 });
    expect(line(() => parseTranscript("1\n00:00:01,000 --> 00:00:02,000\nSam: hi\n\nSam: no number\n", "srt"))).toMatchObject({ line: 5 });
    expect(line(() => parseTranscript("1\n00:00:05,000 --> 00:00:02,000\nSam: hi\n", "srt")).detail).toContain("ends before it starts");
    expect(line(() => parseTranscript("\n\nhello there, nobody is named\nSam: hi", "text"))).toMatchObject({ line: 3 });
  });
});

describe("the local extractor", () => {
  it("finds the commitments with owners and due dates, the problem as a ticket, and writes the email", () => {
    const a = extractLocally({
      title: "Rollout check-in",
      occurredAt: MONDAY,
      segments: parseTranscript(CALL_VTT, "vtt"),
      lead: { firstName: "Dana", lastName: "Whitfield", email: "dana@acme.test" },
    });
    expect(a.tasks.map((t) => [t.title, t.ownerGuess, t.dueText, t.dueAt && new Date(t.dueAt).toISOString().slice(0, 10)])).toEqual([
      ["Send Dana the updated pricing sheet", "Sam Rivera", "by Friday", "2026-12-11"],
      ["Ask support to look at the export", "Sam Rivera", null, null],
      ["Set up a security review with Dana's IT team", "Sam Rivera", "next week", "2026-12-14"],
      ["Next step: a pilot with the finance team", null, "in two weeks", "2026-12-21"],
    ]);
    expect(a.tickets).toHaveLength(1);
    expect(a.tickets[0]).toMatchObject({ title: expect.stringContaining("CSV export doesn't work"), priority: "high" });
    expect(a.summary).toContain("Call with Sam Rivera and Dana Whitfield");
    expect(a.summary).toContain("4 follow-up tasks and 1 problem raised.");
    expect(a.email?.body).toContain("Hi Dana,");
    expect(a.email?.body).toContain("- Send Dana the updated pricing sheet (Sam Rivera, by Friday)");
    expect(a.email?.body).toContain("Next step: a pilot with the finance team.");
    // Without a lead's address there is nobody to write to.
    expect(extractLocally({ title: "x", occurredAt: MONDAY, segments: parseTranscript(CALL_VTT, "vtt"), lead: null }).email).toBeNull();
    // "I will send it today" gives the screenshot request its date instead of a task of its own.
    const t = extractLocally({ title: "Sync", occurredAt: MONDAY, segments: parseTranscript(CALL_TEXT, "text"), lead: null });
    expect(t.tasks.map((x) => [x.title, x.ownerGuess, x.dueText])).toEqual([["Send Sam a screenshot of the error", "Dana", "today"]]);
    expect(t.tickets.map((x) => x.title)).toEqual(["Our sync with the CRM is broken since Tuesday"]);
  });

  it("resolves due-date words against the day of the call", () => {
    const day = (s: string) => {
      const d = findDueDate(s, MONDAY);
      return d && new Date(d.dueAt).toISOString().slice(0, 10);
    };
    expect(day("by Friday")).toBe("2026-12-11");
    expect(day("on Monday")).toBe("2026-12-14"); // the next Monday, not today
    expect(day("tomorrow")).toBe("2026-12-08");
    expect(day("by the end of the month")).toBe("2026-12-31");
    expect(day("by January 5th")).toBe("2027-01-05");
    expect(day("before the 20th")).toBe("2026-12-20");
    expect(day("in 3 days")).toBe("2026-12-10");
    expect(day("no date here")).toBeNull();
    expect(withoutDueDate("prepare a quote by the end of the month", findDueDate("by the end of the month", MONDAY))).toBe(
      "prepare a quote",
    );
  });

  it("takes a model's JSON answer when it validates, and refuses one that does not", () => {
    const facts = { title: "c", occurredAt: MONDAY, segments: [], lead: { firstName: "Dana", lastName: null, email: "d@x.test" } };
    const ok = parseModelAnalysis(
      '```json\n{"summary":"S","action_items":["a"],"tasks":[{"title":"Send deck","owner":"Sam","due":"by Friday"}],"tickets":[{"title":"Export broken","priority":"weird"}],"email":{"subject":"Hi","body":"Body"}}\n```',
      facts,
    );
    expect(ok?.tasks[0]).toMatchObject({ title: "Send deck", ownerGuess: "Sam", dueText: "by Friday" });
    expect(ok?.tasks[0]?.dueAt && new Date(ok.tasks[0].dueAt).toISOString().slice(0, 10)).toBe("2026-12-11");
    expect(ok?.tickets[0]).toMatchObject({ priority: "normal", body: "Export broken" });
    expect(parseModelAnalysis('{"tasks": "nope"}', facts)).toBeNull();
    expect(parseModelAnalysis("not json", facts)).toBeNull();
  });
});

describe("speech adapters", () => {
  it("Workers AI: the binding gets @cf/openai/whisper with the audio as byte values; its VTT becomes timed segments", async () => {
    const seen: { model: string; inputs: { audio: number[] } }[] = [];
    const ai = {
      async run(model: string, inputs: unknown) {
        seen.push({ model, inputs: inputs as { audio: number[] } });
        return {
          text: "Hello there. It crashes.",
          word_count: 4,
          words: [
            { word: "Hello", start: 0, end: 0.4 },
            { word: "crashes.", start: 1.5, end: 2.1 },
          ],
          vtt: "WEBVTT\n\n00:00.000 --> 00:01.200\nHello there.\n\n00:01.200 --> 00:02.100\nIt crashes.\n",
        };
      },
    };
    const bytes = tinyWav();
    const t = await new WorkersAiSpeech(ai).transcribe({ bytes, name: "call.wav", contentType: "audio/wav" });
    expect(seen).toHaveLength(1);
    expect(seen[0]?.model).toBe(WHISPER_MODEL);
    expect(Object.keys(seen[0]?.inputs ?? {})).toEqual(["audio"]);
    expect(seen[0]?.inputs.audio).toHaveLength(bytes.byteLength);
    expect(seen[0]?.inputs.audio.slice(0, 4)).toEqual([82, 73, 70, 70]); // "RIFF"
    expect(t.segments).toEqual([
      { speaker: null, startMs: 0, endMs: 1200, text: "Hello there." },
      { speaker: null, startMs: 1200, endMs: 2100, text: "It crashes." },
    ]);
    expect(t.durationMs).toBe(2100);
    // Chosen when the binding is there; OpenAI with a key; the local stand-in otherwise.
    expect(speechAdapterFor({ ...env, AI: ai } as unknown as Env).provider).toBe("workers-ai");
    expect(speechAdapterFor({ ...env, AI: undefined, OPENAI_API_KEY: "sk-x" } as Env).provider).toBe("openai");
    expect(speechAdapterFor({ ...env, AI: undefined, OPENAI_API_KEY: undefined } as Env).provider).toBe("local");
  });

  it("OpenAI: a recording goes up as multipart (file, model, verbose_json, segment timestamps) and comes back as timed segments, in the background", async () => {
    const u = await enterprise();
    const fake = fakeOpenAiSpeech();
    speechTransport.fetch = fake.fetch;
    const withKey = { ...env, OPENAI_API_KEY: "sk-test-speech" } as Env;
    // The upload route runs with the test env (no key): build the call as the route would with a key.
    const { createRecordingCall } = await import("../calls.service");
    const lead = await makeLead(u, { first_name: "Ola", email: `ola-${Date.now()}@acme.test` });
    const call = await createRecordingCall(
      withKey,
      db,
      u.tenantId,
      { title: "Demo follow-up", leadId: lead, bytes: tinyWav(), name: "demo.wav", contentType: "audio/wav" },
      { type: "user", id: u.userId, ip: null, userAgent: null },
    );
    expect(call.status).toBe("pending");
    const transcribed = await transcribeCall(withKey, db, call);
    expect(transcribed?.status).toBe("transcribed");

    expect(fake.requests).toHaveLength(1);
    const r = fake.requests[0];
    expect(r?.path).toBe("/v1/audio/transcriptions");
    expect(r?.authorization).toBe("Bearer sk-test-speech");
    expect(r?.contentType).toMatch(/^multipart\/form-data; boundary=/);
    expect(r?.fields.model).toEqual(["whisper-1"]);
    expect(r?.fields.response_format).toEqual(["verbose_json"]);
    expect(r?.fields["timestamp_granularities[]"]).toEqual(["segment"]);
    expect(r?.file).toMatchObject({ name: "demo.wav", type: "audio/wav", size: tinyWav().byteLength, head: [82, 73, 70, 70] });

    const row = await db.select().from(salesCalls).where(eq(salesCalls.id, call.id)).get();
    expect(row?.speechProvider).toBe("openai/whisper-1");
    expect(row?.segments[1]).toEqual({
      speaker: null,
      startMs: 4500,
      endMs: 9800,
      text: "The export to Excel doesn't work for us, we get an error.",
    });
    expect(row?.durationMs).toBe(15000);

    // The analysis (the local extractor here) turns the transcript into proposals.
    await processCall(env, u.tenantId, call.id);
    const view = await waitForCall(u, call.id);
    expect(view.status).toBe("analysed");
    expect(view.proposals.map((p: ProposalJson) => p.kind).sort()).toEqual(["email", "task", "ticket"]);

    // gpt-4o-transcribe answers json (text only).
    const gpt = await new OpenAiSpeech({ apiKey: "sk-test-speech", fetch: fake.fetch }, "gpt-4o-transcribe").transcribe({
      bytes: tinyWav(),
      name: "x.wav",
      contentType: "audio/wav",
    });
    expect(fake.requests[1]?.fields.response_format).toEqual(["json"]);
    expect(gpt.segments).toHaveLength(1);
  });

  it("locally, a recording is refused with the reason and the way out (422), and nothing is stored", async () => {
    const u = await enterprise();
    const speech = await asUser(u)("/api/v1/sales/calls/speech");
    expect(speech.body).toMatchObject({ provider: "local", accepts_recordings: false, transcript_formats: ["vtt", "srt", "text"] });
    expect(speech.body.note).toContain("upload the transcript");
    const r = await uploadForm(u, { file: new File([tinyWav()], "call.wav", { type: "audio/wav" }), title: "A recording" });
    expect(r.status, JSON.stringify(r.body)).toBe(422);
    expect(r.body.type).toContain("speech-provider-missing");
    expect(r.body.detail).toContain("upload the transcript");
    expect(r.body.errors).toEqual([{ path: "file", message: "recordings need a speech provider; upload the transcript" }]);
    expect((await asUser(u)("/api/v1/sales/calls")).body.data).toEqual([]);
  });
});

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
