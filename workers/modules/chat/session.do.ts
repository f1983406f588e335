/**
 * ChatSession: one Durable Object per conversation (named `<tenant>:<conversation>`).
 * The visitor's and agents' WebSockets attach here through the Hibernation API; messages are
 * ordered by an SQLite AUTOINCREMENT sequence in the object's own storage (session.store.ts), fanned
 * out, and mirrored to D1 (chat_messages / chat_conversations) for listing and search
 * (session.sync.ts). What a client event does is in session.actions.ts, visitor checks in
 * session.guard.ts, AI turns in session.ai.ts. State lives only in storage, so an evicted or
 * hibernated object rebuilds itself in the constructor. The alarm drives the deferred D1 mirror,
 * the idle timeout and mirror retries.
 */
import { DurableObject } from "cloudflare:workers";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import type { ChatEnv } from "./env";
import {
  parseClientEvent,
  type ChatMessage,
  type ChatPrincipal,
  type ClientEvent,
  type ConversationState,
  type ServerEvent,
} from "./protocol";
import { replyEngine } from "./replies";
import { handleEvent, type ActionHost, type ActionResult } from "./session.actions";
import { aiReply, type AiTurnHost } from "./session.ai";
import { SessionStore, toChatMessage, type SessionInit, type SessionMeta } from "./session.store";
import { VisitorGuard } from "./session.guard";
import { SessionSync } from "./session.sync";
import { systemLine } from "./system-messages";

export type { SessionInit, SessionMeta } from "./session.store";
export { toChatMessage } from "./session.store";

export const DEFAULT_IDLE_MS = 30 * 60 * 1000;
/** How precisely the last activity (for the idle timeout) is kept. */
const ACTIVITY_RESOLUTION_MS = 1000;

export class ChatSession extends DurableObject<ChatEnv> {
  private readonly store: SessionStore;
  private readonly sync: SessionSync;
  private readonly guard: VisitorGuard;
  private streaming: { reply_id: string; text: string } | null = null;
  private aiChain: Promise<void> = Promise.resolve();
  private readonly log = createLogger({ component: "chat_session" });

  constructor(ctx: DurableObjectState, env: ChatEnv) {
    super(ctx, env);
    this.store = new SessionStore(ctx.storage.sql);
    this.sync = new SessionSync(ctx, env, this.store, this.log);
    this.guard = new VisitorGuard(env, this.store, (p) => ctx.waitUntil(p));
    // Keep-alive pings are answered without waking a hibernated object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
  }

  /** The conversation's state (null until `init`); lives in the store. */
  private get meta(): SessionMeta | null {
    return this.store.meta;
  }

  private save() {
    this.store.save();
  }

  private state(): ConversationState {
    const m = this.meta!;
    return {
      id: m.conversationId,
      status: m.status,
      assignee_id: m.assigneeId,
      assignee_name: m.assigneeName,
      csat_rating: m.csatRating,
      last_seq: this.store.lastSeq(),
    };
  }

  private send(ws: WebSocket, ev: ServerEvent) {
    try {
      ws.send(JSON.stringify(ev));
    } catch {
      /* socket already closing */
    }
  }

  private broadcast(ev: ServerEvent, tag?: "visitor" | "agent") {
    const data = JSON.stringify(ev);
    for (const ws of this.ctx.getWebSockets(tag)) {
      try {
        ws.send(data);
      } catch {
        /* closing */
      }
    }
  }

  private async touch() {
    const m = this.meta!;
    // Every caller has just appended a message, which recorded the activity with its state write;
    // the idle timeout does not need the milliseconds since (the local clock moves while code runs:
    // an exact comparison wrote the state a second time for ~40 % of messages at 150 sessions).
    const now = Date.now();
    if (now - m.lastActivityAt >= ACTIVITY_RESOLUTION_MS) {
      m.lastActivityAt = now;
      this.save();
    }
    await this.sync.armAlarm();
  }

  messagesSince(seq: number, limit = 500): ChatMessage[] {
    return this.store.messagesSince(seq, limit);
  }

  private afterChange(extra: { handoff?: boolean } = {}): Promise<void> {
    return this.sync.afterChange(extra);
  }

  /** What an AI turn (session.ai.ts) may use of this object. */
  private aiHost(): AiTurnHost {
    const self = this;
    return {
      env: this.env,
      store: this.store,
      log: this.log,
      get streaming() {
        return self.streaming;
      },
      set streaming(v) {
        self.streaming = v;
      },
      broadcast: (ev) => this.broadcast(ev),
      changed: () => this.changed(),
      touch: () => this.touch(),
      defer: () => this.sync.defer(),
    };
  }

  // ---------------------------------------------------------------- RPC (called by the Worker)

  async init(init: SessionInit): Promise<ConversationState> {
    if (!this.meta) {
      this.store.meta = {
        ...init,
        idleMs: init.idleMs ?? DEFAULT_IDLE_MS,
        status: "open",
        assigneeId: null,
        assigneeName: null,
        mirroredSeq: 0,
        mirrorDirty: false,
        lastActivityAt: Date.now(),
        unreadAgent: 0,
        csatRating: null,
        csatComment: null,
        closedAt: null,
      };
      this.save();
      await this.sync.armAlarm();
      await this.sync.notifyInbox();
    }
    return this.state();
  }

  snapshot(): (ConversationState & { meta: SessionMeta }) | null {
    return this.meta ? { ...this.state(), meta: this.meta } : null;
  }

  /** A message from the Worker's HTTP API (agent replies, offline-form messages). */
  async post(principal: ChatPrincipal, body: string, clientId?: string): Promise<ChatMessage> {
    const r = await this.handle(principal, { type: "message", client_id: clientId ?? newId("cl"), body }, null);
    if (!r || "error" in r) throw new Error(r && "error" in r ? r.error : "not initialised");
    return r.message;
  }

  async assign(agent: { id: string; name: string | null } | null): Promise<ConversationState> {
    const m = this.requireMeta();
    if (m.status === "closed") return this.state();
    m.assigneeId = agent?.id ?? null;
    m.assigneeName = agent?.name ?? null;
    m.status = agent ? "assigned" : "waiting";
    this.save();
    if (agent) this.store.append(systemLine("joined", agent.name));
    await this.changed();
    return this.state();
  }

  async close(by: ChatPrincipal | null, reason = "closed"): Promise<ConversationState> {
    const m = this.requireMeta();
    if (m.status !== "closed") {
      m.status = "closed";
      m.closedAt = Date.now();
      this.save();
      this.store.append(
        reason === "idle"
          ? systemLine("idle_closed")
          : !by
            ? systemLine("ended")
            : by.kind === "agent"
              ? systemLine("ended_by_agent", by.name ?? "The agent")
              : systemLine("ended_by_visitor"),
      );
      await this.sync.clearAlarm();
      await this.changed();
    }
    return this.state();
  }

  async rate(rating: number, comment: string | null): Promise<ConversationState> {
    const m = this.requireMeta();
    m.csatRating = rating;
    m.csatComment = comment;
    m.mirrorDirty = true;
    this.save();
    await this.changed();
    return this.state();
  }

  /** The offline form: the conversation waits for a person without going through the AI. */
  async handoffOffline(): Promise<ConversationState> {
    const m = this.requireMeta();
    if (m.status === "open") {
      m.status = "waiting";
      this.save();
      this.store.append(systemLine("offline_left"));
      await this.changed({ handoff: true });
    }
    return this.state();
  }

  async markRead(): Promise<void> {
    const m = this.requireMeta();
    m.unreadAgent = 0;
    this.save();
    await this.afterChange();
  }

  /** Workspace settings changed (identity enforcement, AI): pushed by the settings API. */
  async refreshSettings(s: { identityRequired: boolean; aiEnabled: boolean }) {
    this.guard.apply(s);
  }

  private requireMeta(): SessionMeta {
    if (!this.meta) throw new Error("conversation not initialised");
    return this.meta;
  }

  private async changed(extra: { handoff?: boolean } = {}) {
    // The system message appended alongside a status change is broadcast with it.
    const last = this.store.lastRow();
    if (last && last.role === "system") this.broadcast({ type: "message", message: toChatMessage(last) });
    this.broadcast({ type: "status", conversation: this.state() });
    await this.afterChange(extra);
  }

  // ---------------------------------------------------------------- WebSockets

  async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket upgrade", { status: 426 });
    if (!this.meta) return new Response("Conversation not found", { status: 404 });
    const principal = JSON.parse(request.headers.get("X-Chat-Principal") ?? "null") as ChatPrincipal | null;
    if (!principal) return new Response("Missing principal", { status: 400 });
    const since = Math.max(0, Number(new URL(request.url).searchParams.get("since") ?? 0) || 0);
    const pair = new WebSocketPair();
    const [client, server] = [pair[0], pair[1]];
    this.ctx.acceptWebSocket(server, [principal.kind]);
    server.serializeAttachment(principal);
    this.send(server, {
      type: "ready",
      role: principal.kind,
      conversation: this.state(),
      messages: this.messagesSince(since),
      streaming: this.streaming,
      ai_engine: replyEngine(this.env).name,
    });
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const principal = ws.deserializeAttachment() as ChatPrincipal;
    let parsed: unknown;
    try {
      parsed = JSON.parse(typeof raw === "string" ? raw : new TextDecoder().decode(raw));
    } catch {
      return this.send(ws, { type: "error", code: "bad-json", detail: "Messages must be JSON." });
    }
    const ev = parseClientEvent(parsed);
    if (!ev.success) {
      const cid = (parsed as { client_id?: unknown })?.client_id;
      return this.send(ws, {
        type: "error",
        code: "invalid",
        detail: ev.error.issues[0]?.message ?? "Invalid message",
        client_id: typeof cid === "string" ? cid : undefined,
      });
    }
    if (ev.data.type === "ping") return this.send(ws, { type: "pong" });
    const r = await this.handle(principal, ev.data, ws);
    if (r && "error" in r)
      this.send(ws, {
        type: "error",
        code: r.error,
        detail: r.detail,
        client_id: ev.data.type === "message" ? ev.data.client_id : undefined,
      });
  }

  async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "closing");
    } catch {
      /* already closed */
    }
  }

  async webSocketError(ws: WebSocket): Promise<void> {
    try {
      ws.close(1011, "error");
    } catch {
      /* already closed */
    }
  }

  async alarm(): Promise<void> {
    this.sync.alarmFired();
    const m = this.meta;
    if (!m) return;
    // A flush storage shows pending runs beside the alarm, not inside it, so socket events never wait
    // for D1. It may repeat one already done (its progress is saved lazily, session.sync.ts): saving
    // after it keeps the next alarm from repeating it again.
    const flush = this.sync.pendingFlush();
    if (flush) this.ctx.waitUntil(flush.then(() => this.save()));
    if (m.status !== "closed" && Date.now() >= m.lastActivityAt + m.idleMs) await this.close(null, "idle");
    else await this.sync.armAlarm();
  }

  // ---------------------------------------------------------------- actions

  /** What the event handler (session.actions.ts) may use of this object. */
  private actionHost(): ActionHost {
    return {
      store: this.store,
      guard: this.guard,
      sync: this.sync,
      send: (ws, ev) => this.send(ws, ev),
      broadcast: (ev, tag) => this.broadcast(ev, tag),
      state: () => this.state(),
      touch: () => this.touch(),
      changed: (extra) => this.changed(extra),
      close: (by) => this.close(by),
      rate: (rating, comment) => this.rate(rating, comment),
      startAiTurn: () => {
        this.aiChain = this.aiChain
          .then(() => aiReply(this.aiHost()))
          .catch((e) => this.log.error("ai_reply_failed", { error: (e as Error).message }));
        this.ctx.waitUntil(this.aiChain);
      },
    };
  }

  private handle(p: ChatPrincipal, ev: Exclude<ClientEvent, { type: "ping" }>, ws: WebSocket | null): Promise<ActionResult> {
    return handleEvent(this.actionHost(), p, ev, ws);
  }
}
