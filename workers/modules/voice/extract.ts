import type { TranscriptSegment } from "../../../schema/voice";
import { findDueDate, withoutDueDate } from "./due-dates";

/**
 * The local extractor (pure, offline): what the AI gateway's model is asked for, found by rules
 * instead — commitments ("I'll send…", "can you…", "next step…") become tasks with an owner
 * guess and a due date from the words ("by Friday"); problems ("doesn't work", "error") become
 * tickets; the summary is the call's most representative sentences (word-frequency scoring);
 * the email recaps what was agreed. It answers whenever no model is configured, labelled as local.
 */

export interface ProposedTask {
  title: string;
  ownerGuess: string | null;
  dueText: string | null;
  dueAt: number | null;
  quote: string;
}
export interface ProposedTicket {
  title: string;
  body: string;
  priority: "low" | "normal" | "high" | "urgent";
  quote: string;
}
export interface Analysis {
  summary: string;
  actionItems: string[];
  tasks: ProposedTask[];
  tickets: ProposedTicket[];
  email: { subject: string; body: string } | null;
}
export interface CallFacts {
  title: string;
  occurredAt: number;
  segments: TranscriptSegment[];
  lead: { firstName: string | null; lastName: string | null; email: string | null } | null;
}

interface Sentence {
  text: string;
  speaker: string | null;
  startMs: number | null;
}

export function sentencesOf(segments: TranscriptSegment[]): Sentence[] {
  const out: Sentence[] = [];
  // Sentences, and clauses that start a second commitment ("…, and I'll ask support…").
  for (const s of segments)
    for (const part of s.text.split(
      /(?<=[.!?])\s+(?=[A-Z"“'‘(])|,?\s+(?:and|but|also)\s+(?=(?:I'll|I’ll|I will|we'll|we’ll|we will|can you|could you)\b)/i,
    )) {
      const text = part.trim();
      if (text) out.push({ text, speaker: s.speaker, startMs: s.startMs });
    }
  return out;
}

const SELF =
  /\b(?:i'll|i’ll|i will|we'll|we’ll|we will|i'm going to|i’m going to|i am going to|we're going to|we’re going to|let me|i can get|i'll make sure to|i promise to)\s+/i;
const ASK = /\b(?:can you|could you|would you|will you|would you be able to|can you please|could you please|please)\s+/i;
const NEXT = /\bnext steps?\b(?:\s+(?:is|are|will be|would be|:)\s*|\s*[:—-]\s*|\s+)(?:to\s+|that\s+)?/i;
const FOLLOW = /\b(?:follow(?:ing)?[- ]up|circle back)\b/i;
// Small talk that looks like a request but asks for nothing.
const NOT_A_TASK = /\b(?:hear me|see my screen|see me|repeat that|say that again|give me a (?:second|minute)|hold on|bear with)\b/i;
const PROBLEM =
  /\b(?:(?:does ?n[o']?t|doesn’t|did ?n[o']?t|didn’t|won'?t|won’t|is ?n[o']?t|isn’t|are ?n[o']?t|can'?t|can’t|cannot|could ?n[o']?t|couldn’t)\s+(?:\w+\s+)?(?:work|load|sync|connect|log ?in|sign ?in|open|save|send|show up|show|import|export|upload|download|update|start|run|print)|not working|stopped working|(?:an |the |this |that |getting an? |throws? an? |shows? an? )?error|broken|crash(?:es|ed|ing)?|bug(?:gy)?|fail(?:s|ed|ing|ure)?|tim(?:es|ed|ing) out|outage|is down|went down)\b/i;
const URGENT =
  /\b(?:urgent|asap|right away|immediately|blocking|blocked|is down|went down|outage|production|can'?t work|losing (?:money|customers|data))\b/i;
const HIGH = /\b(?:every (?:day|time)|all (?:our|of our) (?:users|customers)|keeps?|again and again|critical)\b/i;

const STOP = new Set(
  "a an the and or but if then so to of in on at by for with from as is are was were be been being it its this that these those i you he she we they me him her us them my your our their mine yours ours theirs what which who whom when where why how all any both each few more most other some such no nor not only own same than too very can will just don should now do does did have has had having yeah yes okay ok right well um uh like really also there here get got going would could about into over one two let know think sure thanks thank great good".split(
    " ",
  ),
);
const words = (s: string): string[] => s.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];

const clip = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1).replace(/\s+\S*$/, "")}…`);
const capital = (s: string) => (s ? s[0]?.toUpperCase() + s.slice(1) : s);
const tidy = (s: string) =>
  s
    .replace(/^(?:also|and|so|then|just|definitely|probably|quickly)\s+/i, "")
    .replace(/[\s,;:.!?]+$/, "")
    .replace(/\s{2,}/g, " ")
    .trim();

/** Which speaker label is the lead (their first or full name in the label), if any. */
export function leadSpeaker(facts: CallFacts, speakers: string[]): string | null {
  const first = facts.lead?.firstName?.trim().toLowerCase();
  const last = facts.lead?.lastName?.trim().toLowerCase();
  if (!first && !last) return null;
  return (
    speakers.find((s) => {
      const w = words(s);
      return (first ? w.includes(first) : false) || (last ? w.includes(last) : false);
    }) ?? null
  );
}

/**
 * "send you the deck" said by Sam to Dana → "send Dana the deck"; "send me a screenshot" → "send
 * Sam a screenshot" (a task is read later, out of the conversation). "our" is rewritten only when
 * the lead says it (their company, not ours).
 */
function thirdPerson(clause: string, p: { speaker: string | null; listener: string | null; speakerIsLead: boolean }): string {
  let out = clause;
  if (p.listener) out = out.replace(/\byour\b/gi, `${p.listener}'s`).replace(/\byou\b/gi, p.listener);
  if (p.speaker) out = out.replace(/\bmy\b/gi, `${p.speaker}'s`).replace(/\bme\b/gi, p.speaker);
  if (p.speaker && p.speakerIsLead) out = out.replace(/\bour\b/gi, `${p.speaker}'s`).replace(/\bus\b/gi, p.speaker);
  return out;
}
const VAGUE = /^\S+\s+(?:it|that|this|them|those|one)(?:\s+\S+)?$/i;

function taskFrom(s: Sentence, speakers: string[], lead: string | null, callAt: number): ProposedTask | null {
  const text = s.text;
  if (NOT_A_TASK.test(text)) return null;
  const other = s.speaker
    ? speakers.filter((x) => x !== s.speaker).length === 1
      ? (speakers.find((x) => x !== s.speaker) ?? null)
      : null
    : null;
  const firstName = (x: string | null) => (x ? (x.split(/\s+/)[0] ?? x) : null);
  let clause: string | null = null;
  let owner: string | null = null;
  let prefix = "";
  const self = text.match(SELF);
  const ask = text.match(ASK);
  const next = text.match(NEXT);
  if (self?.index !== undefined) {
    clause = text.slice(self.index + self[0].length);
    owner = s.speaker;
  } else if (ask?.index !== undefined && /\?|\bplease\b/i.test(text)) {
    clause = text.slice(ask.index + ask[0].length);
    owner = other;
  } else if (next?.index !== undefined) {
    clause = text.slice(next.index + next[0].length);
    prefix = /^(?:a|an|the)\s/i.test(clause) ? "Next step: " : "";
  } else if (FOLLOW.test(text)) {
    clause = text.replace(/^(?:ok(?:ay)?|so|great|sure|yes),?\s+/i, "");
    owner = s.speaker;
  }
  if (!clause) return null;
  // A named doer ("Priya will send…") is a better guess than the speaker.
  const named = text.match(/\b([A-Z][a-z]+) (?:will|is going to|can)\b/);
  if (named?.[1] && speakers.some((x) => firstName(x) === named[1])) owner = speakers.find((x) => firstName(x) === named[1]) ?? owner;
  const due = findDueDate(text, callAt);
  const speakerIsLead = !!lead && s.speaker === lead;
  const core = tidy(
    thirdPerson(withoutDueDate(tidy(clause), due), { speaker: firstName(s.speaker), listener: firstName(other), speakerIsLead }),
  );
  if (words(core).length < 2) return null;
  return {
    title: clip(prefix + (prefix ? core : capital(core)), 140),
    ownerGuess: owner,
    dueText: due?.text ?? null,
    dueAt: due?.dueAt ?? null,
    quote: text,
  };
}

function ticketFrom(s: Sentence, facts: CallFacts): ProposedTicket | null {
  if (!PROBLEM.test(s.text)) return null;
  if (/\b(?:no|without any|zero|never had an?) (?:errors?|bugs?|problems?|issues?)\b/i.test(s.text)) return null;
  // The clause that names the problem ("Mostly well, but the export doesn't work…" → "the export doesn't work…").
  const clauses = s.text.split(/[,;:]\s*(?:but|though|although|however|except that)\s+|:\s+|\.\s+/i);
  const clause = clauses.slice(clauses.findIndex((c) => PROBLEM.test(c))).join(", ") || s.text;
  const title = clip(capital(tidy(clause.replace(/^(?:one thing|also|oh|and|but|well|so|actually)[,:]?\s+/i, ""))), 120);
  const when = s.startMs !== null ? ` at ${clock(s.startMs)}` : "";
  const who = s.speaker ? `${s.speaker}${when}` : `Someone${when}`;
  const priority = URGENT.test(s.text) ? "urgent" : HIGH.test(s.text) ? "high" : "normal";
  return {
    title,
    body: `Raised on the call “${facts.title}” (${new Date(facts.occurredAt).toISOString().slice(0, 10)}). ${who} said:\n\n“${s.text}”`,
    priority,
    quote: s.text,
  };
}

export const clock = (ms: number) => {
  const t = Math.floor(ms / 1000);
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = t % 60;
  const pad = (n: number) => String(n).padStart(2, "0");
  return h ? `${h}:${pad(m)}:${pad(sec)}` : `${pad(m)}:${pad(sec)}`;
};

/** The most representative sentences (sum of their words' frequencies over √length), in call order. */
function summaryOf(sentences: Sentence[], speakers: string[], facts: CallFacts, tasks: number, tickets: number): string {
  const freq = new Map<string, number>();
  for (const s of sentences) for (const w of words(s.text)) if (!STOP.has(w) && w.length > 2) freq.set(w, (freq.get(w) ?? 0) + 1);
  const scored = sentences
    .map((s, i) => {
      const ws = words(s.text).filter((w) => !STOP.has(w) && w.length > 2);
      const score = ws.length < 4 ? 0 : ws.reduce((a, w) => a + (freq.get(w) ?? 0), 0) / Math.sqrt(ws.length);
      return { i, s, score };
    })
    .filter((x) => x.score > 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, 3)
    .sort((a, b) => a.i - b.i);
  const who = speakers.length ? `Call with ${listOf(speakers)}` : "Call";
  const end = facts.segments.reduce((m, s) => Math.max(m, s.endMs ?? s.startMs ?? 0), 0);
  const length = end > 0 ? ` (${Math.max(1, Math.round(end / 60_000))} min)` : "";
  const sentence = (t: string) => (/[.!?…]$/.test(t) ? t : `${t}.`);
  const points = scored.map((x) => `${x.s.speaker ? `${x.s.speaker}: ` : ""}${sentence(clip(x.s.text, 220))}`).join(" ");
  const counts = `${tasks} follow-up ${tasks === 1 ? "task" : "tasks"} and ${tickets} ${tickets === 1 ? "problem" : "problems"} raised.`;
  return `${who}${length}. ${points ? `${points} ` : ""}${counts}`.trim();
}

const listOf = (xs: string[]) => (xs.length <= 1 ? (xs[0] ?? "") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`);
const dayOf = (t: number) => new Date(t).toLocaleDateString("en-US", { weekday: "long", month: "long", day: "numeric", timeZone: "UTC" });

function emailOf(
  facts: CallFacts,
  tasks: ProposedTask[],
  tickets: ProposedTicket[],
  nextStep: string | null,
): { subject: string; body: string } | null {
  if (!facts.lead?.email) return null;
  const name = facts.lead.firstName?.trim() || "there";
  const lines = [
    `Hi ${name},`,
    "",
    `Thank you for your time on our call on ${dayOf(facts.occurredAt)}. A short recap of what we agreed:`,
    "",
  ];
  if (tasks.length)
    for (const t of tasks.slice(0, 6))
      lines.push(
        `- ${t.title}${t.ownerGuess ? ` (${t.ownerGuess}` : ""}${t.dueText ? `${t.ownerGuess ? ", " : " ("}${t.dueText})` : t.ownerGuess ? ")" : ""}`,
      );
  else lines.push("- We will follow up with the details we discussed.");
  if (tickets.length) {
    lines.push("");
    lines.push(
      tickets.length === 1
        ? `You mentioned a problem (“${clip(tickets[0]?.quote ?? "", 120)}”). I have passed it to our support team, and they will be in touch.`
        : `You mentioned ${tickets.length} problems; I have passed them to our support team, and they will be in touch.`,
    );
  }
  if (nextStep) lines.push("", `Next step: ${nextStep}.`);
  lines.push("", "If I missed anything, just reply to this email.", "", "Best regards,");
  return { subject: clip(`Following up on our call: ${facts.title}`, 140), body: lines.join("\n") };
}

/** Everything the model would be asked for, by rules (see the file comment). */
export function extractLocally(facts: CallFacts): Analysis {
  const sentences = sentencesOf(facts.segments);
  const speakers = [...new Set(facts.segments.map((s) => s.speaker).filter((s): s is string => !!s))];
  const lead = leadSpeaker(facts, speakers);
  const tasks: ProposedTask[] = [];
  const tickets: ProposedTicket[] = [];
  let nextStep: string | null = null;
  let lastTicket: { ticket: ProposedTicket; speaker: string | null; index: number } | null = null;
  for (const [i, s] of sentences.entries()) {
    const task = taskFrom(s, speakers, lead, facts.occurredAt);
    // A commitment is a task even when it names a problem ("I'll look into the sync error").
    const ticket = task ? null : ticketFrom(s, facts);
    if (task && VAGUE.test(task.title)) {
      // "I'll send it today" right after "could you send a screenshot?": a date for that task, not a task.
      const prev = tasks[tasks.length - 1];
      if (prev && (prev.ownerGuess === task.ownerGuess || !prev.ownerGuess) && prev.dueAt === null && task.dueAt !== null) {
        prev.dueAt = task.dueAt;
        prev.dueText = task.dueText;
      }
    } else if (task && !tasks.some((t) => t.title.toLowerCase() === task.title.toLowerCase())) {
      tasks.push(task);
      if (NEXT.test(s.text)) nextStep ??= task.title.replace(/^Next step: /, "").replace(/[.]$/, "");
    }
    if (!ticket) continue;
    if (lastTicket && lastTicket.speaker === s.speaker && lastTicket.index === i - 1) {
      // The same person going on about the same problem: one ticket.
      lastTicket.ticket.quote = `${lastTicket.ticket.quote} ${s.text}`;
      lastTicket.ticket.body = lastTicket.ticket.body.replace(/”$/, ` ${s.text}”`);
      lastTicket.index = i;
      if (ticket.priority === "urgent" || (ticket.priority === "high" && lastTicket.ticket.priority === "normal"))
        lastTicket.ticket.priority = ticket.priority;
    } else if (!tickets.some((t) => t.title.toLowerCase() === ticket.title.toLowerCase())) {
      tickets.push(ticket);
      lastTicket = { ticket, speaker: s.speaker, index: i };
    }
  }
  const actionItems = tasks.map((t) => `${t.ownerGuess ? `${t.ownerGuess}: ` : ""}${t.title}${t.dueText ? ` (${t.dueText})` : ""}`);
  return {
    summary: summaryOf(sentences, speakers, facts, tasks.length, tickets.length),
    actionItems,
    tasks: tasks.slice(0, 20),
    tickets: tickets.slice(0, 10),
    email: emailOf(facts, tasks, tickets, nextStep),
  };
}
