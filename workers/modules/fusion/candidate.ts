import type { FusionConfidenceBasis, FusionKind, FusionSourceRef } from "../../../schema/fusion";
import { contentTerms, overlap, type Conversation } from "./signals";

/**
 * What the local fusion produces (a candidate document with its evidence and confidence) and the
 * helpers every kind of candidate shares: source references, citations, quoting, confidence.
 */
export const LOCAL_FUSION = "local-fusion-v1";

export interface Candidate {
  kind: FusionKind;
  topicKey: string;
  title: string;
  body: string; // Markdown
  sources: FusionSourceRef[];
  confidence: number;
  basis: FusionConfidenceBasis;
  /** FAQs: question and answer for the knowledge FAQ entry. */
  faq?: { question: string; answer: string };
}

export interface Evidence {
  conv: Conversation;
  quote: string;
  answer: { text: string; moved: boolean } | null;
}

export const ref = (c: Conversation, quote: string, role: FusionSourceRef["role"]): FusionSourceRef => ({
  type: c.type,
  id: c.id,
  title: c.title,
  leadId: c.leadId,
  occurredAt: c.occurredAt,
  quote: quote.slice(0, 600),
  role,
});

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const cite = (c: Conversation) => `${c.type === "transcript" ? "Call" : "Email thread"} “${c.title}”, ${day(c.occurredAt)}`;
export const q = (text: string) => `“${text.replace(/\s+/g, " ").trim()}”`;

/**
 * Independent sources = distinct leads (two calls with one lead are one voice), or the source itself
 * when it names no lead. Confidence = (1 − ½ⁿ) × (0.6 + 0.4 × agreement): one source 0.5 at most,
 * two 0.75, three 0.875; answers that disagree pull it down.
 */
export function confidenceOf(
  evidence: { conv: Conversation }[],
  agreement: number,
  what: string,
): { confidence: number; basis: FusionConfidenceBasis } {
  const voices = new Set(evidence.map((e) => e.conv.leadId ?? `${e.conv.type}:${e.conv.id}`));
  const convs = new Map(evidence.map((e) => [`${e.conv.type}:${e.conv.id}`, e.conv]));
  const n = voices.size;
  const transcripts = [...convs.values()].filter((c) => c.type === "transcript").length;
  const threads = convs.size - transcripts;
  const a = Math.max(0, Math.min(1, agreement));
  const confidence = Math.round((1 - 0.5 ** n) * (0.6 + 0.4 * a) * 100) / 100;
  const note = `${what} in ${n} independent source${n === 1 ? "" : "s"} (${transcripts} call${transcripts === 1 ? "" : "s"}, ${threads} email thread${threads === 1 ? "" : "s"}); agreement ${Math.round(a * 100)} %.`;
  return { confidence, basis: { sources: n, transcripts, threads, agreement: a, note } };
}

/** The answer most others agree with (moved the conversation first), and the share that agrees with it. */
export function bestAnswer(evidence: Evidence[]): { answer: string | null; agreement: number; moved: boolean } {
  const answers = evidence.flatMap((e) => (e.answer ? [{ ...e.answer, terms: contentTerms(e.answer.text) }] : []));
  if (!answers.length) return { answer: null, agreement: 0.5, moved: false };
  const scored = answers.map((a) => ({
    a,
    support: answers.filter((b) => b === a || overlap(a.terms, b.terms) >= 0.3).length,
  }));
  scored.sort((x, y) => Number(y.a.moved) - Number(x.a.moved) || y.support - x.support);
  const top = scored[0];
  if (!top) return { answer: null, agreement: 0.5, moved: false };
  return { answer: top.a.text, agreement: top.support / answers.length, moved: top.a.moved };
}
