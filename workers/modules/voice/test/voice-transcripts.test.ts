import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { salesCalls } from "../../../../schema/voice";
import type { Env } from "../../../platform/env";
import { parseModelAnalysis } from "../analysis";
import { findDueDate, withoutDueDate } from "../due-dates";
import { extractLocally } from "../extract";
import { processCall, transcribeCall } from "../pipeline";
import { OpenAiSpeech, speechAdapterFor, speechTransport, WHISPER_MODEL, WorkersAiSpeech } from "../speech";
import { detectFormat, parseTranscript } from "../transcript-formats";
import { fakeOpenAiSpeech } from "./fake-speech";
import { CALL_SRT, CALL_TEXT, CALL_VTT, MONDAY } from "./fixtures";
import { asUser, db, env, enterprise, makeLead, type ProposalJson, tinyWav, uploadForm, waitForCall } from "./voice-helpers";

// From the words to the analysis: transcript formats, the local extractor and the speech adapters.
// The calls API (upload, proposals, accepting them) is in voice-calls.test.ts.

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
