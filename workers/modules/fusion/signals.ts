import { sentences, terms } from "../knowledge";

/**
 * The local fusion's reading of a conversation (pure): who said what, and which sentences are
 * questions, objections or mentions of a competitor. No model: patterns and shared terms only.
 */

export interface Utterance {
  speaker: string;
  side: "us" | "them";
  text: string;
  /** Threads: the lead's reply's sentiment; our email's variant (playbooks). */
  sentiment?: "positive" | "neutral" | "negative" | "auto_reply" | null;
  variant?: {
    id: string;
    label: string;
    sequenceName: string;
    step: number;
    sent: number;
    replies: number;
    positiveReplies: number;
  } | null;
  subject?: string;
}

export interface Conversation {
  type: "transcript" | "thread";
  id: string;
  title: string;
  leadId: string | null;
  occurredAt: number;
  utterances: Utterance[];
}

// Speaker labels that name the seller's side of a call.
const OUR_LABELS = /^(rep|sales|seller|agent|ae|sdr|bdr|account executive|us|we|host|me)\b/i;

/**
 * "Speaker: line" transcripts (voice's format). The seller is the speaker labelled as such (Rep,
 * Sales, AE…), else the one who speaks first (the rep opens the call); every other speaker is the
 * prospect's side. Lines without a speaker continue the previous one.
 */
export function parseTranscript(text: string): Utterance[] {
  const out: Utterance[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^([^:]{1,40}):\s+(.+)$/.exec(line);
    if (m?.[1] && m[2] && !/https?$/i.test(m[1])) out.push({ speaker: m[1].trim(), side: "them", text: m[2].trim() });
    else if (out.length) {
      const last = out[out.length - 1];
      if (last) last.text += ` ${line}`;
    } else out.push({ speaker: "Unknown", side: "them", text: line });
  }
  const labelled = out.find((u) => OUR_LABELS.test(u.speaker))?.speaker;
  const ours = labelled ?? out[0]?.speaker;
  for (const u of out) u.side = u.speaker === ours ? "us" : "them";
  return out;
}

export const contentTerms = (text: string) => [...new Set(terms(text))];

/** Share of the smaller term set found in the other (0–1). */
export function overlap(a: string[], b: string[]): number {
  if (!a.length || !b.length) return 0;
  const set = new Set(b);
  let n = 0;
  for (const t of a) if (set.has(t)) n++;
  return n / Math.min(a.length, b.length);
}

export function isQuestion(sentence: string): boolean {
  return /\?\s*$/.test(sentence) && sentence.split(/\s+/).length >= 4 && contentTerms(sentence).length >= 2;
}

/** Objection kinds and the phrases that reveal them (matched case-insensitively, on word boundaries). */
export const OBJECTIONS: { key: string; label: string; pattern: RegExp }[] = [
  {
    key: "price",
    label: "Price",
    pattern:
      /\b(too expensive|(?:is|seems|sounds) expensive|too pricey|costs? too much|price is too high|can'?t afford|out of (?:our )?budget|no budget|over (?:our )?budget|too much money|cheaper option)\b/i,
  },
  {
    key: "incumbent",
    label: "Already have a solution",
    pattern:
      /\b(we already (?:use|have|pay for)|already using|happy with (?:our|what we)|locked into|under contract with|we'?re on [A-Z])/i,
  },
  {
    key: "priority",
    label: "Not a priority",
    pattern:
      /\b(not a priority|not (?:a )?priority right now|not right now|bad timing|no time (?:for|to)|too busy|next quarter|maybe next year|revisit (?:this )?later)\b/i,
  },
  {
    key: "authority",
    label: "Not the decision maker",
    pattern: /\b(not my decision|need to (?:check|talk) with my (?:boss|manager|team)|run it by (?:my|our)|the board decides)\b/i,
  },
  {
    key: "security",
    label: "Security and compliance",
    pattern:
      /\b(worried about (?:security|data|privacy|compliance)|security review|(?:is|are) you (?:gdpr|soc ?2|hipaa)[- ]compliant|data residency)\b/i,
  },
  {
    key: "complexity",
    label: "Too hard to switch",
    pattern:
      /\b(too (?:complicated|complex)|hard to (?:set up|switch|migrate)|migration (?:is|would be) (?:a pain|painful|hard)|don'?t have the (?:team|resources) to)\b/i,
  },
];

export function objectionOf(sentence: string): { key: string; label: string; match: string } | null {
  for (const o of OBJECTIONS) {
    const m = o.pattern.exec(sentence);
    if (m) return { key: o.key, label: o.label, match: m[0] };
  }
  return null;
}

// Words that are capitalised without being a product's name.
const NOT_NAMES = new Set(
  (
    "I We You They He She It The This That These Those Our Your Their My A An And But Or So Then Now Yes No Ok Okay Hi Hello Thanks " +
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October " +
    "November December Q1 Q2 Q3 Q4 Rep Sales AE SDR Email Excel-like"
  ).split(" "),
);

const COMPETITOR_CUE =
  /\b(?:use|uses|using|used|switch(?:ed|ing)? (?:from|to)|mov(?:e|ed|ing) (?:from|off)|vs\.?|versus|compared (?:to|with)|instead of|replac(?:e|ed|ing)|already have|evaluating|looking at|trialing|trialling)\s+((?:[A-Z][\w&'.+-]*)(?:\s+[A-Z][\w&'.+-]*){0,2})/g;

/** Capitalised names right after "use", "switch from", "vs", "instead of"… — products the prospect weighs against us. */
export function competitorsIn(sentence: string, exclude: Set<string>): string[] {
  const out: string[] = [];
  for (const m of sentence.matchAll(COMPETITOR_CUE)) {
    const words = (m[1] ?? "").replace(/[.,;:!?'’]+$/g, "").split(/\s+/);
    while (words.length && NOT_NAMES.has(words[0] ?? "")) words.shift();
    // Stop at the first word that is a sentence word, not part of a name.
    const kept: string[] = [];
    for (const w of words) {
      if (NOT_NAMES.has(w)) break;
      kept.push(w.replace(/[.,;:!?]+$/g, ""));
    }
    const name = kept.join(" ").trim();
    if (name.length < 2 || exclude.has(name.toLowerCase())) continue;
    out.push(name);
  }
  return out;
}

const POSITIVE_REACTION =
  /\b(makes sense|sounds (?:good|great|interesting)|that works|fair (?:enough|point)|good point|interesting|let'?s (?:do|book|talk|set up|try)|send (?:it|me|over)|book (?:a|the)|happy to|i'?m in|that helps|great)\b/i;
export const reactedWell = (u: Utterance | undefined) =>
  !!u && (u.sentiment === "positive" || (u.sentiment !== "negative" && POSITIVE_REACTION.test(u.text)));

export const STRENGTH = /\b(like|love|good|great|better|easy|easier|cheap|cheaper|fast|faster|works well|happy with|integrates|solid)\b/i;
export const WEAKNESS =
  /\b(slow|expensive|pricey|hard|clunky|missing|lacks?|doesn'?t|can'?t|frustrat\w*|annoying|buggy|outdated|complicated)\b/i;

export interface Sentence {
  text: string;
  utterance: number; // index in the conversation
}

export function sentencesOf(c: Conversation): Sentence[] {
  const out: Sentence[] = [];
  c.utterances.forEach((u, i) => {
    for (const s of sentences(u.text)) out.push({ text: s, utterance: i });
  });
  return out;
}

/** The seller's next turn after utterance `i` (and whether the prospect reacted well to it). */
export function answerAfter(c: Conversation, i: number): { text: string; moved: boolean } | null {
  for (let j = i + 1; j < c.utterances.length; j++) {
    const u = c.utterances[j];
    if (u?.side !== "us") continue;
    const next = c.utterances.slice(j + 1).find((x) => x.side === "them");
    return { text: u.text, moved: reactedWell(next) };
  }
  return null;
}
