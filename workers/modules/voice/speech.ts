import OpenAI, { toFile } from "openai";
import type { TranscriptSegment } from "../../../schema/voice";
import type { Env } from "../../platform/env";
import { Problem } from "../../platform/errors";
import { parseTranscript } from "./transcript-formats";

/**
 * The speech adapter: a recording in, transcript segments out. Workers AI Whisper when the `AI`
 * binding is configured, OpenAI (`audio.transcriptions.create`) when `OPENAI_API_KEY` is set, and
 * otherwise the local stand-in, which accepts transcripts only — it refuses audio with a message a
 * person can act on (the UI says the same before anyone uploads).
 */

export interface Recording {
  bytes: Uint8Array;
  name: string;
  contentType: string;
}
export interface Transcription {
  segments: TranscriptSegment[];
  durationMs: number | null;
  model: string;
}
export interface SpeechAdapter {
  readonly provider: "workers-ai" | "openai" | "local";
  transcribe(r: Recording): Promise<Transcription>;
}

export const WHISPER_MODEL = "@cf/openai/whisper";
export const NO_SPEECH_PROVIDER =
  "Recordings need a speech provider (Workers AI or OpenAI), and none is configured here; upload the transcript (VTT, SRT or “Speaker: line” text) instead.";

export const noSpeechProvider = () =>
  new Problem(422, "speech-provider-missing", "Recordings need a speech provider", NO_SPEECH_PROVIDER, {
    errors: [{ path: "file", message: "recordings need a speech provider; upload the transcript" }],
  });

/** Test seam for the OpenAI SDK's fetch (the fake server in test/); production uses the global fetch. */
export const speechTransport: { fetch: typeof fetch | null } = { fetch: null };

type AiRunner = { run(model: string, inputs: unknown): Promise<unknown> };
interface WhisperOutput {
  text?: string;
  vtt?: string;
  word_count?: number;
  words?: { word: string; start: number; end: number }[];
}

/** Workers AI Whisper: the binding takes the audio as an array of byte values and answers text, words and a VTT. */
export class WorkersAiSpeech implements SpeechAdapter {
  readonly provider = "workers-ai" as const;
  constructor(private readonly ai: AiRunner) {}
  /** The request the binding receives (exported for the request-shape test). */
  static request(r: Recording) {
    return { audio: [...r.bytes] };
  }
  async transcribe(r: Recording): Promise<Transcription> {
    const out = (await this.ai.run(WHISPER_MODEL, WorkersAiSpeech.request(r))) as WhisperOutput;
    let segments: TranscriptSegment[] = [];
    if (out.vtt?.trim()) {
      try {
        segments = parseTranscript(out.vtt, "vtt");
      } catch {
        segments = [];
      }
    }
    if (!segments.length && out.text?.trim()) {
      const words = out.words ?? [];
      segments = [{ speaker: null, startMs: ms(words[0]?.start), endMs: ms(words[words.length - 1]?.end), text: out.text.trim() }];
    }
    if (!segments.length)
      throw new Problem(422, "transcription-empty", "Nothing was heard", "The speech model found no speech in the recording.");
    const last = out.words?.[out.words.length - 1]?.end;
    return { segments, durationMs: last === undefined ? durationFrom(segments) : Math.round(last * 1000), model: WHISPER_MODEL };
  }
}

/** OpenAI speech-to-text through the official SDK (a real multipart upload); `whisper-1` answers timed segments. */
export class OpenAiSpeech implements SpeechAdapter {
  readonly provider = "openai" as const;
  private readonly client: OpenAI;
  constructor(
    opts: { apiKey: string; baseURL?: string; fetch?: typeof fetch },
    readonly model: string = "whisper-1",
  ) {
    this.client = new OpenAI({ apiKey: opts.apiKey, baseURL: opts.baseURL, fetch: opts.fetch, maxRetries: 1, timeout: 300_000 });
  }
  async transcribe(r: Recording): Promise<Transcription> {
    const file = await toFile(r.bytes, r.name, { type: r.contentType });
    // verbose_json (segments with times) is whisper-1's; the gpt-4o models answer json (text only).
    if (this.model === "whisper-1") {
      const out = await this.client.audio.transcriptions.create({
        file,
        model: this.model,
        response_format: "verbose_json",
        timestamp_granularities: ["segment"],
      });
      const segments: TranscriptSegment[] = (out.segments ?? [])
        .map((s) => ({ speaker: null, startMs: ms(s.start), endMs: ms(s.end), text: s.text.trim() }))
        .filter((s) => s.text);
      if (!segments.length && out.text.trim()) segments.push({ speaker: null, startMs: null, endMs: null, text: out.text.trim() });
      return {
        segments,
        durationMs: Number.isFinite(out.duration) ? Math.round(out.duration * 1000) : durationFrom(segments),
        model: this.model,
      };
    }
    const out = await this.client.audio.transcriptions.create({ file, model: this.model, response_format: "json" });
    const text = out.text.trim();
    return { segments: text ? [{ speaker: null, startMs: null, endMs: null, text }] : [], durationMs: null, model: this.model };
  }
}

/** The local stand-in: transcripts only. */
export class LocalSpeech implements SpeechAdapter {
  readonly provider = "local" as const;
  async transcribe(): Promise<Transcription> {
    throw noSpeechProvider();
  }
}

const ms = (s: number | undefined) => (s === undefined || !Number.isFinite(s) ? null : Math.round(s * 1000));
function durationFrom(segments: TranscriptSegment[]): number | null {
  const last = segments[segments.length - 1];
  return last ? (last.endMs ?? last.startMs) : null;
}

type SpeechEnv = Env & { OPENAI_TRANSCRIBE_MODEL?: string; OPENAI_BASE_URL?: string };

/** Which adapter runs: Workers AI when bound, else OpenAI with a key, else the local stand-in. */
export function speechAdapterFor(env: Env): SpeechAdapter {
  const e = env as SpeechEnv;
  if (e.AI) return new WorkersAiSpeech(e.AI as unknown as AiRunner);
  if (e.OPENAI_API_KEY)
    return new OpenAiSpeech(
      { apiKey: e.OPENAI_API_KEY, baseURL: e.OPENAI_BASE_URL || undefined, fetch: speechTransport.fetch ?? undefined },
      e.OPENAI_TRANSCRIBE_MODEL || "whisper-1",
    );
  return new LocalSpeech();
}

/** What the upload form says: whether recordings can be transcribed here, and by whom. */
export function speechStatus(env: Env): { provider: SpeechAdapter["provider"]; accepts_recordings: boolean; note: string | null } {
  const a = speechAdapterFor(env);
  return { provider: a.provider, accepts_recordings: a.provider !== "local", note: a.provider === "local" ? NO_SPEECH_PROVIDER : null };
}

/** Audio the speech adapters take (Whisper's formats), by MIME type and extension. */
export const AUDIO_TYPES = [
  "audio/mpeg",
  "audio/mp4",
  "audio/x-m4a",
  "audio/m4a",
  "audio/wav",
  "audio/x-wav",
  "audio/wave",
  "audio/webm",
  "audio/ogg",
  "audio/flac",
  "video/mp4",
  "video/webm",
];
export const AUDIO_EXTENSIONS = ["mp3", "mp4", "m4a", "mpeg", "mpga", "wav", "webm", "ogg", "oga", "flac"];
export const MAX_RECORDING_BYTES = 25 * 1024 * 1024; // OpenAI's upload limit

export function isAudio(name: string, type: string): boolean {
  const ext = name.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1] ?? "";
  return type.startsWith("audio/") || type.startsWith("video/") || AUDIO_EXTENSIONS.includes(ext);
}
