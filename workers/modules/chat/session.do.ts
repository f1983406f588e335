/**
 * ChatSession: one Durable Object per conversation (named `<tenant>:<conversation>`).
 * The visitor's and agents' WebSockets attach here through the Hibernation API; messages are
 * ordered by an SQLite AUTOINCREMENT sequence in the object's own storage, fanned out, and
 * mirrored to D1 (chat_messages / chat_conversations) for listing and search. State lives only in
 * storage, so an evicted or hibernated object rebuilds itself in the constructor. An alarm drives
 * the idle timeout and retries a failed D1 mirror.
 */
import { DurableObject } from "cloudflare:workers";
import type { Citation, ConversationStatus, MessageRole } from "../../../schema/chat";
import { getDb } from "../../platform/db";
import { newId } from "../../platform/ids";
import { createLogger } from "../../platform/logger";
import { chatEnv, inboxStub, type ChatEnv } from "./env";
import { mirrorConversation } from "./mirror";
import { clientEventSchema, type ChatMessage, type ChatPrincipal, type ConversationState, type ServerEvent } from "./protocol";
import { replyEngine, type ReplyEvent } from "./replies";
import { getSettings } from "./settings.service";
import { chatUsage } from "./usage";

export const DEFAULT_IDLE_MS = 30 * 60 * 1000;
const MIRROR_RETRY_MS = 5_000;
const HISTORY_FOR_AI = 12;
const SETTINGS_TTL_MS = 5_000;

export interface SessionInit {
  tenantId: string;
  conversationId: string;
  visitor: { id: string; name: string | null; email: string | null; userId: string | null; verified: boolean };
  identityRequired: boolean;
  aiEnabled: boolean;
  pageUrl: string | null;
  idleMs?: number;
  createdAt: number;
}

export interface SessionMeta extends SessionInit {
  status: ConversationStatus;
  assigneeId: string | null;
  assigneeName: string | null;
  mirroredSeq: number;
  mirrorDirty: boolean;
  lastActivityAt: number;
  unreadAgent: number;
  csatRating: number | null;
  csatComment: string | null;
  closedAt: number | null;
  idleMs: number;
}

interface Row {
  seq: number;
  id: string;
  client_id: string | null;
  role: MessageRole;
  author_id: string | null;
  author_name: string | null;
  body: string;
  citations: string | null;
  created_at: number;
  [k: string]: SqlStorageValue;
}

export const toChatMessage = (r: Row): ChatMessage => ({
  seq: r.seq,
  id: r.id,
  client_id: r.client_id,
  role: r.role,
  author_id: r.author_id,
  author_name: r.author_name,
  body: r.body,
  citations: r.citations ? (JSON.parse(r.citations) as Citation[]) : null,
  created_at: new Date(r.created_at).toISOString(),
});

export class ChatSession extends DurableObject<ChatEnv> {
  private meta: SessionMeta | null = null;
  private streaming: { reply_id: string; text: string } | null = null;
  private aiChain: Promise<void> = Promise.resolve();
  private mirroring: Promise<void> | null = null;
  private mirrorAgain = false;
  private log = createLogger({ component: "chat_session" });

  constructor(ctx: DurableObjectState, env: ChatEnv) {
    super(ctx, env);
    const sql = ctx.storage.sql;
    sql.exec(`CREATE TABLE IF NOT EXISTS messages (
      seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, client_id TEXT UNIQUE,
      role TEXT NOT NULL, author_id TEXT, author_name TEXT, body TEXT NOT NULL, citations TEXT,
      created_at INTEGER NOT NULL)`);
    sql.exec("CREATE TABLE IF NOT EXISTS meta (k TEXT PRIMARY KEY, v TEXT NOT NULL)");
    const row = sql.exec<{ v: string }>("SELECT v FROM meta WHERE k = 'state'").toArray()[0];
    this.meta = row ? (JSON.parse(row.v) as SessionMeta) : null;
    // Keep-alive pings are answered without waking a hibernated object.
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
  }

  // ---------------------------------------------------------------- state helpers

  private save() {
    this.ctx.storage.sql.exec("INSERT OR REPLACE INTO meta (k, v) VALUES ('state', ?)", JSON.stringify(this.meta));
  }

  private lastSeq(): number {
    return (this.ctx.storage.sql.exec<{ s: number | null }>("SELECT MAX(seq) AS s FROM messages").one().s ?? 0) as number;
  }

  private state(): ConversationState {
    const m = this.meta!;
    return { id: m.conversationId, status: m.status, assignee_id: m.assigneeId, assignee_name: m.assigneeName, csat_rating: m.csatRating, last_seq: this.lastSeq() };
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
    m.lastActivityAt = Date.now();
    this.save();
    if (m.status !== "closed") await this.ctx.storage.setAlarm(m.lastActivityAt + m.idleMs);
  }

  /** Appends a message (idempotent on client_id) and returns it with its sequence number. */
  private append(input: { clientId?: string | null; id?: string; role: MessageRole; authorId: string | null; authorName: string | null; body: string; citations?: Citation[] | null }): { message: ChatMessage; duplicate: boolean } {
    const sql = this.ctx.storage.sql;
    if (input.clientId) {
      const existing = sql.exec<Row>("SELECT * FROM messages WHERE client_id = ?", input.clientId).toArray()[0];
      if (existing) return { message: toChatMessage(existing), duplicate: true };
    }
    const row = sql
      .exec<Row>(
        "INSERT INTO messages (id, client_id, role, author_id, author_name, body, citations, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING *",
        input.id ?? newId("msg"),
        input.clientId ?? null,
        input.role,
        input.authorId,
        input.authorName,
        input.body,
        input.citations?.length ? JSON.stringify(input.citations) : null,
        Date.now(),
      )
      .one();
    const m = this.meta!;
    if (input.role === "visitor") m.unreadAgent++;
    if (input.role === "agent") m.unreadAgent = 0;
    m.mirrorDirty = true;
    this.save();
    return { message: toChatMessage(row), duplicate: false };
  }

  messagesSince(seq: number, limit = 500): ChatMessage[] {
    return this.ctx.storage.sql.exec<Row>("SELECT * FROM messages WHERE seq > ? ORDER BY seq LIMIT ?", seq, limit).toArray().map(toChatMessage);
  }

  // ---------------------------------------------------------------- mirror + inbox

  /** Mirrors unmirrored messages and the summary to D1; serialised, retried by the alarm on failure. */
  private async mirror(): Promise<void> {
    if (this.mirroring) {
      this.mirrorAgain = true;
      return this.mirroring;
    }
    this.mirroring = (async () => {
      do {
        this.mirrorAgain = false;
        const m = this.meta!;
        const pending = this.ctx.storage.sql.exec<Row>("SELECT * FROM messages WHERE seq > ? ORDER BY seq LIMIT 200", m.mirroredSeq).toArray();
        try {
          await mirrorConversation(this.env, m, pending, this.lastSeq());
          if (pending.length) m.mirroredSeq = pending[pending.length - 1]!.seq;
          m.mirrorDirty = m.mirroredSeq < this.lastSeq();
          this.save();
          if (m.mirrorDirty) this.mirrorAgain = true;
        } catch (e) {
          this.log.error("mirror_failed", { tenant_id: m.tenantId, conversation_id: m.conversationId, error: (e as Error).message });
          await this.ctx.storage.setAlarm(Date.now() + MIRROR_RETRY_MS);
          break;
        }
      } while (this.mirrorAgain);
    })().finally(() => {
      this.mirroring = null;
    });
    return this.mirroring;
  }

  private async notifyInbox(extra: { handoff?: boolean } = {}) {
    const m = this.meta!;
    const last = this.ctx.storage.sql.exec<Row>("SELECT * FROM messages ORDER BY seq DESC LIMIT 1").toArray()[0];
    try {
      await inboxStub(this.env, m.tenantId).publish({
        type: "conversation",
        handoff: extra.handoff ?? false,
        conversation: {
          id: m.conversationId,
          status: m.status,
          assignee_id: m.assigneeId,
          visitor_name: m.visitor.name,
          visitor_email: m.visitor.email,
          last_message: last ? last.body.slice(0, 200) : null,
          last_message_at: new Date(last ? last.created_at : m.createdAt).toISOString(),
          message_count: last ? last.seq : 0,
          unread: m.unreadAgent,
          csat_rating: m.csatRating,
        },
      });
    } catch (e) {
      this.log.warn("inbox_notify_failed", { tenant_id: m.tenantId, error: (e as Error).message });
    }
  }

  /** Mirror to D1 and tell the inbox; both after the clients already have the message. */
  private async afterChange(extra: { handoff?: boolean } = {}) {
    await Promise.all([this.mirror(), this.notifyInbox(extra)]);
  }

  // ---------------------------------------------------------------- RPC (called by the Worker)

  async init(init: SessionInit): Promise<ConversationState> {
    if (!this.meta) {
      this.meta = {
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
      await this.ctx.storage.setAlarm(Date.now() + this.meta.idleMs);
      await this.notifyInbox();
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
    if (agent) this.append({ role: "system", authorId: null, authorName: null, body: `${agent.name ?? "An agent"} joined the conversation.` });
    await this.changed();
    return this.state();
  }

  async close(by: ChatPrincipal | null, reason = "closed"): Promise<ConversationState> {
    const m = this.requireMeta();
    if (m.status !== "closed") {
      m.status = "closed";
      m.closedAt = Date.now();
      this.save();
      const who = by ? (by.kind === "agent" ? (by.name ?? "The agent") : "The visitor") : null;
      this.append({ role: "system", authorId: null, authorName: null, body: reason === "idle" ? "Conversation closed after inactivity." : `${who ?? "Weft"} ended the conversation.` });
      await this.ctx.storage.deleteAlarm();
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
      this.append({ role: "system", authorId: null, authorName: null, body: "Message left while the team was offline; they will reply by email." });
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

  /** Re-reads workspace settings that may change mid-conversation (identity enforcement, AI). */
  async refreshSettings(s: { identityRequired: boolean; aiEnabled: boolean }) {
    if (!this.meta) return;
    this.meta.identityRequired = s.identityRequired;
    this.meta.aiEnabled = s.aiEnabled;
    this.settingsCheckedAt = Date.now();
    this.save();
  }

  private settingsCheckedAt = 0;
  /** Workspace settings that can change mid-conversation, re-read at most every few seconds. */
  private async freshSettings() {
    if (Date.now() - this.settingsCheckedAt < SETTINGS_TTL_MS || !this.meta) return;
    const s = await getSettings(getDb(this.env.DB), this.meta.tenantId);
    this.settingsCheckedAt = Date.now();
    if (s.identityRequired !== this.meta.identityRequired || s.aiEnabled !== this.meta.aiEnabled) {
      this.meta.identityRequired = s.identityRequired;
      this.meta.aiEnabled = s.aiEnabled;
      this.save();
    }
  }

  private requireMeta(): SessionMeta {
    if (!this.meta) throw new Error("conversation not initialised");
    return this.meta;
  }

  private async changed(extra: { handoff?: boolean } = {}) {
    // The system message appended alongside a status change is broadcast with it.
    const last = this.ctx.storage.sql.exec<Row>("SELECT * FROM messages ORDER BY seq DESC LIMIT 1").toArray()[0];
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
    const ev = clientEventSchema.safeParse(parsed);
    if (!ev.success) {
      const cid = (parsed as { client_id?: unknown })?.client_id;
      return this.send(ws, { type: "error", code: "invalid", detail: ev.error.issues[0]?.message ?? "Invalid message", client_id: typeof cid === "string" ? cid : undefined });
    }
    if (ev.data.type === "ping") return this.send(ws, { type: "pong" });
    const r = await this.handle(principal, ev.data, ws);
    if (r && "error" in r) this.send(ws, { type: "error", code: r.error, detail: r.detail, client_id: ev.data.type === "message" ? ev.data.client_id : undefined });
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
    const m = this.meta;
    if (!m) return;
    if (m.mirrorDirty || m.mirroredSeq < this.lastSeq()) await this.mirror();
    if (m.status === "closed") return;
    const due = m.lastActivityAt + m.idleMs;
    if (Date.now() >= due) await this.close(null, "idle");
    else await this.ctx.storage.setAlarm(due);
  }

  // ---------------------------------------------------------------- actions

  private async handle(
    p: ChatPrincipal,
    ev: Exclude<import("./protocol").ClientEvent, { type: "ping" }>,
    ws: WebSocket | null,
  ): Promise<{ message: ChatMessage } | { error: string; detail: string } | void> {
    const m = this.meta;
    if (!m) return { error: "not-found", detail: "This conversation does not exist." };
    if (p.kind === "visitor") await this.freshSettings();
    // Enforced identity applies to every message, not only to the first request.
    if (p.kind === "visitor" && m.identityRequired && !p.verified) {
      return { error: "identity-required", detail: "This workspace only accepts messages from verified users." };
    }
    if (p.kind === "agent" && !p.verified && ev.type !== "typing") {
      return { error: "forbidden", detail: "Your role can watch conversations but not act in them." };
    }
    switch (ev.type) {
      case "typing":
        this.broadcast({ type: "typing", role: p.kind, on: ev.on, name: p.kind === "agent" ? p.name : null }, p.kind === "visitor" ? "agent" : "visitor");
        return;
      case "message": {
        if (m.status === "closed") return { error: "conversation-closed", detail: "This conversation has ended; start a new one." };
        if (p.kind === "visitor") {
          const env = chatEnv(this.env);
          const [byVisitor, byIp] = await Promise.all([
            env.RL_CHAT_VISITOR.limit({ key: `v:${p.id}` }),
            p.ip ? env.RL_CHAT_IP.limit({ key: `ip:${p.ip}` }) : Promise.resolve({ success: true }),
          ]);
          if (!byVisitor.success || !byIp.success) return { error: "rate-limited", detail: "You are sending messages too quickly; wait a few seconds." };
        }
        const role: MessageRole = p.kind === "agent" ? "agent" : "visitor";
        const { message, duplicate } = this.append({ clientId: ev.client_id, role, authorId: p.id, authorName: p.name, body: ev.body });
        if (ws) this.send(ws, { type: "ack", client_id: ev.client_id, seq: message.seq, id: message.id, duplicate });
        if (duplicate) return { message };
        this.broadcast({ type: "message", message });
        if (p.kind === "agent" && m.status !== "assigned") {
          m.status = "assigned";
          m.assigneeId = p.id;
          m.assigneeName = p.name;
          this.save();
          this.broadcast({ type: "status", conversation: this.state() });
        }
        await this.touch();
        if (p.kind === "visitor" && m.status === "open" && m.aiEnabled) {
          this.aiChain = this.aiChain.then(() => this.aiReply()).catch((e) => this.log.error("ai_reply_failed", { error: (e as Error).message }));
          this.ctx.waitUntil(this.aiChain);
        }
        await this.afterChange();
        return { message };
      }
      case "handoff": {
        if (p.kind !== "visitor") return { error: "forbidden", detail: "Only the visitor asks for a person." };
        if (m.status === "open") {
          m.status = "waiting";
          this.save();
          this.append({ role: "system", authorId: null, authorName: null, body: "Waiting for a person from the team…" });
          await this.touch();
          await this.changed({ handoff: true });
        }
        return;
      }
      case "close":
        await this.close(p);
        return;
      case "csat":
        if (p.kind !== "visitor") return { error: "forbidden", detail: "Only the visitor rates the conversation." };
        await this.rate(ev.rating, ev.comment ?? null);
        return;
    }
  }

  /** Streams an AI answer to the latest visitor message, then persists it as one message. */
  private async aiReply(): Promise<void> {
    const m = this.meta!;
    if (m.status !== "open") return;
    const recent = this.ctx.storage.sql.exec<Row>("SELECT * FROM messages WHERE role IN ('visitor','ai','agent') ORDER BY seq DESC LIMIT ?", HISTORY_FOR_AI).toArray().reverse();
    const lastVisitor = [...recent].reverse().find((r) => r.role === "visitor");
    if (!lastVisitor) return;
    const engine = replyEngine(this.env);
    const usage = chatUsage(this.env);
    const replyId = newId("msg");

    if (!(await usage.allowed(m.tenantId))) {
      this.append({ role: "system", authorId: null, authorName: null, body: "The AI assistant is unavailable for this workspace right now. Choose “Talk to a person” to reach the team." });
      await this.changed();
      return;
    }

    this.streaming = { reply_id: replyId, text: "" };
    this.broadcast({ type: "ai_start", reply_id: replyId, engine: engine.name });
    const citations: Citation[] = [];
    let tokens = 0;
    let failed: string | null = null;
    let local = engine.local;
    let metered = false;
    try {
      const history = recent
        .filter((r) => r.seq !== lastVisitor.seq)
        .map((r) => ({ role: r.role === "visitor" ? ("user" as const) : ("assistant" as const), content: r.body }));
      for await (const e of engine.answer({ env: this.env, tenantId: m.tenantId, question: lastVisitor.body, history }) as AsyncIterable<ReplyEvent>) {
        if (e.type === "token") {
          this.streaming.text += e.text;
          this.broadcast({ type: "ai_token", reply_id: replyId, text: e.text });
        } else if (e.type === "citation") citations.push(e.citation);
        else if (e.type === "done") {
          tokens = e.usage?.total_tokens ?? (e.usage?.input_tokens ?? 0) + (e.usage?.output_tokens ?? 0);
          local = e.local ?? local;
          metered = e.metered ?? false;
        }
        else if (e.type === "error") failed = e.message;
      }
    } catch (e) {
      failed = (e as Error).message;
    }
    const text = this.streaming.text.trim();
    this.streaming = null;
    if (text) {
      const { message } = this.append({ id: replyId, role: "ai", authorId: null, authorName: local ? "Assistant (local)" : "Assistant", body: text, citations });
      this.broadcast({ type: "message", message });
    }
    if (failed || !text) {
      this.log.warn("ai_reply_error", { tenant_id: m.tenantId, error: failed });
      this.append({ role: "system", authorId: null, authorName: null, body: "The assistant could not answer just now. Choose “Talk to a person” to reach the team." });
      const last = this.messagesSince(this.lastSeq() - 1)[0];
      if (last) this.broadcast({ type: "message", message: last });
    }
    // The AI gateway meters its own calls; only replies it did not meter are recorded here.
    if (tokens > 0 && !metered) await usage.record(m.tenantId, tokens, replyId).catch((e) => this.log.error("meter_failed", { error: (e as Error).message }));
    await this.touch();
    await this.afterChange();
  }
}
