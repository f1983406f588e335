import type { Db } from "../../platform/db";
import { createLogger } from "../../platform/logger";
import { listReplyThreads, type ReplyThread } from "../outreach";
import { listTranscriptsForFusion } from "../voice";
import { parseTranscript, type Conversation } from "./signals";

/** What a run reads: call transcripts (voice) and email threads with replies (outreach), as conversations. */

const log = createLogger({ component: "fusion-sources" });
export const MAX_SOURCES = 200; // per kind and run

/** A reply without the email it quotes ("On … wrote:", "> …" lines). */
export function replyText(text: string): string {
  const cut = text.search(/^\s*(?:On .{3,200} wrote:|-----Original Message-----|From: .+)$/m);
  const own = cut >= 0 ? text.slice(0, cut) : text;
  return own
    .split(/\r?\n/)
    .filter((l) => !l.trimStart().startsWith(">"))
    .join("\n")
    .trim();
}

export function threadConversation(t: ReplyThread): Conversation {
  return {
    type: "thread",
    id: t.id,
    title: t.title,
    leadId: t.leadId,
    occurredAt: t.occurredAt,
    utterances: t.messages.map((m) => ({
      speaker: m.from === "us" ? "Us" : "Lead",
      side: m.from === "us" ? ("us" as const) : ("them" as const),
      text: m.from === "lead" ? replyText(m.text) : m.text,
      sentiment: m.sentiment,
      variant: m.variant,
      subject: m.subject,
    })),
  };
}

export interface Gathered {
  conversations: Conversation[];
  transcripts: number;
  threads: number;
  transcriptsAvailable: boolean;
  latestAt: number | null;
}

export async function gatherConversations(
  db: Db,
  tenantId: string,
  scope: { since?: number } | { chosen: { transcripts: string[]; threads: string[] } },
): Promise<Gathered> {
  const chosen = "chosen" in scope ? scope.chosen : null;
  const since = "since" in scope ? scope.since : undefined;
  let transcriptsAvailable = true;
  let calls: Awaited<ReturnType<typeof listTranscriptsForFusion>> = [];
  if (!chosen || chosen.transcripts.length) {
    try {
      calls = await listTranscriptsForFusion(db, tenantId, { since, limit: chosen ? 500 : MAX_SOURCES });
    } catch (e) {
      // A deployment without voice's tables yet: email threads alone.
      transcriptsAvailable = false;
      log.warn("fusion_transcripts_unavailable", { tenant_id: tenantId, error: String(e) });
    }
    if (chosen) calls = calls.filter((c) => chosen.transcripts.includes(c.id));
  }
  const threads =
    !chosen || chosen.threads.length
      ? await listReplyThreads(db, tenantId, { since, limit: MAX_SOURCES, ids: chosen ? chosen.threads : undefined })
      : [];
  const conversations: Conversation[] = [
    ...calls.map((c) => ({
      type: "transcript" as const,
      id: c.id,
      title: c.title,
      leadId: c.leadId,
      occurredAt: c.occurredAt,
      utterances: parseTranscript(c.text),
    })),
    ...threads.map(threadConversation),
  ];
  const times = conversations.map((c) => c.occurredAt);
  return {
    conversations,
    transcripts: calls.length,
    threads: threads.length,
    transcriptsAvailable,
    latestAt: times.length ? Math.max(...times) : null,
  };
}
