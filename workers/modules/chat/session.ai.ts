/**
 * A ChatSession's AI turn: streams an answer to the visitor's latest message token by token to
 * every socket, persists it as one message with its citations, and meters its tokens (unless the
 * AI gateway already did) within the tenant's quota.
 */
import type { Citation } from "../../../schema/chat";
import { getDb } from "../../platform/db";
import { newId } from "../../platform/ids";
import type { Logger } from "../../platform/logger";
import type { ChatEnv } from "./env";
import type { ServerEvent } from "./protocol";
import { replyEngine, type ReplyEvent } from "./replies";
import type { SessionStore } from "./session.store";
import { chatUsage } from "./usage";
import { evaluateHandoff, findHandoffRules } from "./handoff-rules";
import { systemLine } from "./system-messages";

const HISTORY_FOR_AI = 12;

export interface AiTurnHost {
  env: ChatEnv;
  store: SessionStore;
  log: Logger;
  broadcast(ev: ServerEvent): void;
  /** The reply being streamed right now (sent to sockets that connect mid-answer). */
  streaming: { reply_id: string; text: string } | null;
  /** Broadcasts a status change (and its system message), then mirrors and notifies. */
  changed(): Promise<void>;
  touch(): Promise<void>;
  /** Mirror + inbox within a moment, coalesced with other changes (session.sync.ts). */
  defer(): Promise<void>;
}

/** Streams an AI answer to the latest visitor message, then persists it as one message. */
export async function aiReply(host: AiTurnHost): Promise<void> {
  const { env, store } = host;
  const m = store.meta!;
  if (m.status !== "open") return;
  const recent = store.recentDialogue(HISTORY_FOR_AI);
  const lastVisitor = [...recent].reverse().find((r) => r.role === "visitor");
  if (!lastVisitor) return;
  const engine = replyEngine(env);
  const usage = chatUsage(env);
  const replyId = newId("msg");

  if (!(await usage.allowed(m.tenantId))) {
    store.append(systemLine("ai_unavailable"));
    await host.changed();
    return;
  }

  const streaming = (host.streaming = { reply_id: replyId, text: "" });
  host.broadcast({ type: "ai_start", reply_id: replyId, engine: engine.name });
  const citations: Citation[] = [];
  let tokens = 0;
  let failed: string | null = null;
  let local = engine.local;
  let metered = false;
  let grounded: boolean | null = null;
  try {
    const history = recent
      .filter((r) => r.seq !== lastVisitor.seq)
      .map((r) => ({ role: r.role === "visitor" ? ("user" as const) : ("assistant" as const), content: r.body }));
    for await (const e of engine.answer({ env, tenantId: m.tenantId, question: lastVisitor.body, history }) as AsyncIterable<ReplyEvent>) {
      if (e.type === "token") {
        streaming.text += e.text;
        host.broadcast({ type: "ai_token", reply_id: replyId, text: e.text });
      } else if (e.type === "citation") citations.push(e.citation);
      else if (e.type === "done") {
        tokens = e.usage?.total_tokens ?? (e.usage?.input_tokens ?? 0) + (e.usage?.output_tokens ?? 0);
        local = e.local ?? local;
        metered = e.metered ?? false;
        grounded = e.grounded ?? null;
      } else if (e.type === "error") failed = e.message;
    }
  } catch (e) {
    failed = (e as Error).message;
  }
  const text = streaming.text.trim();
  host.streaming = null;
  if (text) {
    const { message } = store.append({
      id: replyId,
      role: "ai",
      authorId: null,
      authorName: local ? "Assistant (local)" : "Assistant",
      body: text,
      citations,
    });
    host.broadcast({ type: "message", message });
  }
  if (text && !failed) await offerPersonIfRulesSay(host, lastVisitor.body, grounded);
  if (failed || !text) {
    host.log.warn("ai_reply_error", { tenant_id: m.tenantId, error: failed });
    store.append(systemLine("ai_failed"));
    const last = store.messagesSince(store.lastSeq() - 1)[0];
    if (last) host.broadcast({ type: "message", message: last });
  }
  // The AI gateway meters its own calls; only replies it did not meter are recorded here.
  if (tokens > 0 && !metered)
    await usage.record(m.tenantId, tokens, replyId).catch((e) => host.log.error("meter_failed", { error: (e as Error).message }));
  await host.touch();
  await host.defer();
}

/**
 * The workspace's hand-off rules (handoff-rules.ts; set in the AI agent wizard) after an answer: when
 * one fires — a keyword in the visitor's message, no grounded answer, outside opening hours — a
 * system line tells the visitor a person can help ("Talk to a person" does the hand-off, or leaves
 * a message when nobody is online). Without saved rules nothing changes. A rules lookup that fails
 * never breaks the answer already sent.
 */
async function offerPersonIfRulesSay(host: AiTurnHost, message: string, grounded: boolean | null): Promise<void> {
  const m = host.store.meta;
  if (m?.status !== "open") return;
  try {
    const rules = await findHandoffRules(getDb(host.env.DB), m.tenantId);
    if (!rules) return;
    const reasons = evaluateHandoff(rules, { message, grounded: grounded ?? true, relevance: null, at: Date.now() });
    if (!reasons.length) return;
    host.store.append(systemLine("handoff_offered"));
    const last = host.store.messagesSince(host.store.lastSeq() - 1)[0];
    if (last) host.broadcast({ type: "message", message: last });
    host.log.info("handoff_offered", { tenant_id: m.tenantId, rules: reasons.map((r) => r.rule) });
  } catch (e) {
    host.log.warn("handoff_rules_failed", { tenant_id: m.tenantId, error: (e as Error).message });
  }
}
