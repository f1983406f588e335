/**
 * The system lines of a transcript (hand-off, an agent joining, closing, AI trouble). Their body is
 * stored in English, which is what agents and transcript search read; `systemOf` recognises each
 * line here, where the texts are written, so clients get a code (and the agent's name) and the
 * widget can show the line in the visitor's language. Recognising the text rather than storing a
 * code keeps transcripts written before codes existed working.
 */
export const SYSTEM_CODES = [
  "waiting",
  "joined",
  "ended_by_visitor",
  "ended_by_agent",
  "ended",
  "idle_closed",
  "offline_left",
  "ai_unavailable",
  "ai_failed",
  "handoff_offered",
] as const;
export type SystemCode = (typeof SYSTEM_CODES)[number];
export interface SystemInfo {
  code: SystemCode;
  name: string | null;
}

const NAMED = "\u0000"; // where the agent's name goes
const TEXT: Record<SystemCode, string> = {
  waiting: "Waiting for a person from the team…",
  joined: `${NAMED} joined the conversation.`,
  ended_by_visitor: "The visitor ended the conversation.",
  ended_by_agent: `${NAMED} ended the conversation.`,
  ended: "Weft ended the conversation.",
  idle_closed: "Conversation closed after inactivity.",
  offline_left: "Message left while the team was offline; they will reply by email.",
  ai_unavailable: "The AI assistant is unavailable for this workspace right now. Choose “Talk to a person” to reach the team.",
  ai_failed: "The assistant could not answer just now. Choose “Talk to a person” to reach the team.",
  // The workspace's hand-off rules fired on this message (handoff-rules.ts): keyword, low confidence or outside hours.
  handoff_offered: "A person from the team can help with this. Choose “Talk to a person” to reach them.",
};

/** A system line ready for SessionStore.append. */
export function systemLine(code: SystemCode, name?: string | null) {
  return { role: "system" as const, authorId: null, authorName: null, body: TEXT[code].replace(NAMED, name || "An agent") };
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
// Fixed texts first, so "The visitor ended…" is not read as an agent called "The visitor".
const MATCHERS = [...SYSTEM_CODES]
  .sort((a, b) => Number(TEXT[a].includes(NAMED)) - Number(TEXT[b].includes(NAMED)))
  .map((code) => ({ code, re: new RegExp(`^${escape(TEXT[code]).replace(NAMED, "(.+)")}$`, "s") }));

export function systemOf(role: string, body: string): SystemInfo | null {
  if (role !== "system") return null;
  for (const { code, re } of MATCHERS) {
    const m = re.exec(body);
    if (m) return { code, name: m[1] ?? null };
  }
  return null;
}
