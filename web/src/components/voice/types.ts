/** Voice-to-action UI types: aliases of the generated OpenAPI types (web/src/lib/api-types.ts), never copied by hand. */
import type {
  VoiceCall,
  VoiceCallProposal,
  VoiceCallSummary,
  VoiceProposalContent,
  VoiceSpeechStatus,
  VoiceTranscriptSegment,
} from "../../lib/api-types";

export type Call = VoiceCall;
export type CallSummary = VoiceCallSummary;
export type CallStatus = CallSummary["status"];
export type Proposal = VoiceCallProposal;
export type ProposalContent = VoiceProposalContent;
export type SpeechStatus = VoiceSpeechStatus;
export type Segment = VoiceTranscriptSegment;

export const STATUS_LABEL: Record<CallStatus, string> = {
  pending: "Transcribing",
  transcribed: "Analysing",
  analysed: "Ready",
  failed: "Failed",
};
export const STATUS_TONE: Record<CallStatus, "neutral" | "success" | "warning" | "danger"> = {
  pending: "warning",
  transcribed: "warning",
  analysed: "success",
  failed: "danger",
};

/** 65_000 → "01:05"; 3_725_000 → "1:02:05". */
export function clock(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return "";
  const t = Math.floor(ms / 1000);
  const h = Math.floor(t / 3600);
  const pad = (n: number) => String(n).padStart(2, "0");
  return h ? `${h}:${pad(Math.floor((t % 3600) / 60))}:${pad(t % 60)}` : `${pad(Math.floor(t / 60))}:${pad(t % 60)}`;
}

export const minutes = (ms: number | null | undefined) => (ms ? `${Math.max(1, Math.round(ms / 60_000))} min` : "");
