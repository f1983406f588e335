import type { TranscriptSegment } from "../../../schema/voice";
import { Problem } from "../../platform/errors";

/**
 * Transcript formats (pure): WebVTT, SubRip (SRT) and plain "Speaker: line" text, each parsed into
 * segments with a speaker and start/end times (null where the format has none). Malformed input is
 * a 422 naming the line, so a person can fix the file instead of guessing.
 */

export type TranscriptFormat = "vtt" | "srt" | "text";
export const MAX_TRANSCRIPT_CHARS = 500_000;

export const malformed = (line: number, message: string) =>
  new Problem(422, "transcript-malformed", "The transcript could not be read", `Line ${line}: ${message}`, {
    line,
    errors: [{ path: `transcript:line ${line}`, message }],
  });

/** The format of a transcript from its first non-empty line (and the file name's extension, if any). */
export function detectFormat(text: string, fileName?: string | null): TranscriptFormat {
  const ext = fileName?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
  if (ext === "vtt") return "vtt";
  if (ext === "srt") return "srt";
  const first =
    text
      .replace(/^\uFEFF/, "")
      .trimStart()
      .split(/\r?\n/, 1)[0] ?? "";
  if (/^WEBVTT\b/.test(first)) return "vtt";
  if (/^\d+\s*$/.test(first)) return "srt";
  return "text";
}

const lines = (text: string) => text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);

/** "01:02:03.456", "02:03.456" (VTT) or "01:02:03,456" (SRT) → ms; null if it is not a timestamp. */
export function parseTimestamp(s: string, comma: boolean): number | null {
  const sep = comma ? "," : "\\.";
  const m = s.trim().match(new RegExp(`^(?:(\\d{1,3}):)?([0-5]\\d):([0-5]\\d)${sep}(\\d{3})$`));
  if (!m) return null;
  const [, h, min, sec, ms] = m;
  return ((Number(h ?? 0) * 60 + Number(min)) * 60 + Number(sec)) * 1000 + Number(ms);
}

/** A cue line "start --> end [settings]"; null when the line has no arrow. Throws for bad times. */
function timing(line: string, n: number, comma: boolean): { start: number; end: number } | null {
  if (!line.includes("-->")) return null;
  const [a = "", rest = ""] = line.split("-->");
  const b = rest.trim().split(/\s+/)[0] ?? "";
  const start = parseTimestamp(a, comma);
  const end = parseTimestamp(b, comma);
  const shape = comma ? "00:00:01,000 --> 00:00:04,000" : "00:00:01.000 --> 00:00:04.000";
  if (start === null || end === null) throw malformed(n, `the cue timing "${line.trim()}" is not "${shape}".`);
  if (end < start) throw malformed(n, "the cue ends before it starts.");
  return { start, end };
}

/** A speaker from a VTT voice tag (<v Dana>…) or a "Dana: …" prefix; the rest is the text. */
export function splitSpeaker(text: string): { speaker: string | null; text: string } {
  const voice = text.match(/^<v(?:\.[\w.-]+)?\s+([^>]+)>([\s\S]*?)(?:<\/v>)?$/);
  if (voice) return { speaker: (voice[1] ?? "").trim() || null, text: stripTags(voice[2] ?? "") };
  const m = text.match(/^([\p{L}][\p{L}\p{N} .'’&()-]{0,40}?)\s*:\s+(\S[\s\S]*)$/u);
  if (m && !/^(https?|note|re)$/i.test(m[1] ?? "")) return { speaker: (m[1] ?? "").trim(), text: stripTags(m[2] ?? "") };
  return { speaker: null, text: stripTags(text) };
}
const stripTags = (s: string) =>
  s
    .replace(/<[^>]+>/g, "")
    .replace(/\s+/g, " ")
    .trim();

/** Cues of a VTT or SRT file: blocks separated by blank lines, each with one timing line. */
function parseCues(text: string, format: "vtt" | "srt"): TranscriptSegment[] {
  const all = lines(text);
  const out: TranscriptSegment[] = [];
  let i = 0;
  if (format === "vtt") {
    if (!/^WEBVTT\b/.test(all[0] ?? "")) throw malformed(1, 'a WebVTT file starts with "WEBVTT".');
    i = 1;
    while (i < all.length && (all[i] ?? "").trim() !== "") i++; // header lines
  }
  while (i < all.length) {
    while (i < all.length && (all[i] ?? "").trim() === "") i++;
    if (i >= all.length) break;
    const blockStart = i;
    const first = (all[i] ?? "").trim();
    if (format === "vtt" && /^(NOTE|STYLE|REGION)\b/.test(first)) {
      while (i < all.length && (all[i] ?? "").trim() !== "") i++;
      continue;
    }
    // SRT: a cue number first; VTT: an optional identifier line before the timing.
    if (format === "srt") {
      if (!/^\d+$/.test(first)) throw malformed(i + 1, `expected a cue number, found "${first.slice(0, 60)}".`);
      i++;
    } else if (!first.includes("-->")) i++;
    const t = timing(all[i] ?? "", i + 1, format === "srt");
    if (!t) throw malformed(blockStart + 1, 'this cue has no timing line ("00:00:01.000 --> 00:00:04.000").');
    i++;
    const body: string[] = [];
    while (i < all.length && (all[i] ?? "").trim() !== "") body.push((all[i++] ?? "").trim());
    const joined = body.join(" ");
    if (!joined) continue; // an empty cue carries nothing
    const { speaker, text: said } = splitSpeaker(joined);
    if (said) out.push({ speaker, startMs: t.start, endMs: t.end, text: said });
  }
  return out;
}

const TEXT_TIME = /^\[?((?:\d{1,2}:)?\d{1,2}:\d{2})\]?\s+/;
const clock = (s: string) =>
  s
    .split(":")
    .map(Number)
    .reduce((acc, n) => acc * 60 + n, 0) * 1000;

/**
 * Plain text: "Speaker: what they said" per line, optionally led by a time ("[00:01:05] Dana: …");
 * a line without a speaker continues the previous one. Text that never names a speaker is refused.
 */
function parseText(text: string): TranscriptSegment[] {
  const out: TranscriptSegment[] = [];
  let firstLine = 0;
  for (const [idx, raw] of lines(text).entries()) {
    let line = raw.trim();
    if (!line) continue;
    firstLine ||= idx + 1;
    let start: number | null = null;
    const t = line.match(TEXT_TIME);
    if (t) {
      start = clock(t[1] ?? "0");
      line = line.slice(t[0].length);
    }
    const { speaker, text: said } = splitSpeaker(line);
    if (speaker) out.push({ speaker, startMs: start, endMs: null, text: said });
    else {
      const prev = out[out.length - 1];
      if (!prev)
        throw malformed(
          idx + 1,
          `expected "Speaker: what they said", found "${line.slice(0, 60)}". Name the speaker at the start of the first line.`,
        );
      prev.text = `${prev.text} ${said}`.trim();
    }
  }
  if (!out.length) throw malformed(firstLine || 1, "the transcript is empty.");
  // A timed line ends where the next one starts.
  for (let i = 0; i < out.length - 1; i++) {
    const s = out[i];
    const next = out[i + 1];
    if (s && next && s.startMs !== null && next.startMs !== null && next.startMs >= s.startMs) s.endMs = next.startMs;
  }
  return out;
}

/** Parses a transcript in the given (or detected) format; throws a 422 with the line for malformed input. */
export function parseTranscript(text: string, format: TranscriptFormat): TranscriptSegment[] {
  if (text.length > MAX_TRANSCRIPT_CHARS)
    throw new Problem(
      413,
      "transcript-too-large",
      "Transcript too large",
      `A transcript may have at most ${MAX_TRANSCRIPT_CHARS} characters.`,
    );
  const segments = format === "text" ? parseText(text) : parseCues(text, format);
  if (!segments.length) throw malformed(1, "the transcript has no cues with text.");
  return segments;
}

/** The transcript as "Speaker: text" lines — what the model, search and knowledge fusion read. */
export const transcriptText = (segments: TranscriptSegment[]) =>
  segments.map((s) => (s.speaker ? `${s.speaker}: ${s.text}` : s.text)).join("\n");

/** Duration: the last end (or start) time, when the transcript has times. */
export function durationOf(segments: TranscriptSegment[]): number | null {
  let max: number | null = null;
  for (const s of segments) {
    const t = s.endMs ?? s.startMs;
    if (t !== null && (max === null || t > max)) max = t;
  }
  return max;
}
