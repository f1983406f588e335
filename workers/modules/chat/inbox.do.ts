/**
 * TenantInbox: one Durable Object per tenant feeding the agent console live. Agents' dashboard
 * WebSockets attach here (Hibernation API); ChatSessions publish conversation changes
 * (new, waiting-for-human, assignment, new messages) and the inbox fans them out.
 *
 * It also writes the workspace's D1 transcript mirror: a ChatSession's flush is one call here
 * (`sync`) carrying its inbox event and its mirror update. The event goes out at once; the update
 * joins the D1 batch being assembled — while one batch is being written, the updates arriving
 * meanwhile wait and go together in the next — and the call returns once its batch is committed.
 * So a busy workspace costs one D1 transaction per batch instead of one per conversation flush
 * (at 150 live conversations the per-conversation batches were the largest cost of a message
 * locally), and an idle one writes each update at once, as before. A failed batch is retried
 * update by update, so one conversation's failure fails only its own call (its ChatSession retries
 * from its alarm). It also reads the workspace's chat settings for the live sessions that need them
 * (session.settings.ts): one D1 read for all those asking meanwhile. Presence is
 * the set of connected agent sockets, so it is right after eviction too. A socket counts only while
 * it is alive: the dashboard pings every 30 s (answered by the runtime's auto-response, without
 * waking this object), and a socket silent for PRESENCE_TIMEOUT_MS (a laptop that slept, a
 * connection that died without a close frame) no longer counts as an agent online.
 */
import { DurableObject } from "cloudflare:workers";
import type { ChatEnv } from "./env";
import { getDb } from "../../platform/db";
import { mirrorConversations, type MirrorUpdate } from "./mirror";
import { readSessionSettings, type SessionSettingsRead } from "./settings.service";

/** Bounds of one mirror batch (statements ≈ conversations + rows / 9). */
const BATCH_MAX_UPDATES = 100;
const BATCH_MAX_ROWS = 400;

export interface InboxAgent {
  id: string;
  name: string | null;
}
/** Three missed 30-second pings. */
export const PRESENCE_TIMEOUT_MS = 90_000;
interface AgentAttachment extends InboxAgent {
  at?: number;
}
export interface InboxConversation {
  id: string;
  status: string;
  assignee_id: string | null;
  visitor_name: string | null;
  visitor_email: string | null;
  last_message: string | null;
  last_message_at: string;
  message_count: number;
  unread: number;
  csat_rating: number | null;
}
export type InboxEvent =
  | { type: "conversation"; conversation: InboxConversation; handoff: boolean }
  | { type: "presence"; online: number; agents: InboxAgent[] };

export class TenantInbox extends DurableObject<ChatEnv> {
  constructor(ctx: DurableObjectState, env: ChatEnv) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"type":"ping"}', '{"type":"pong"}'));
  }

  private agents(exclude?: WebSocket): InboxAgent[] {
    const byId = new Map<string, InboxAgent>();
    for (const ws of this.ctx.getWebSockets("agent")) {
      if (ws === exclude || ws.readyState !== WebSocket.OPEN) continue;
      const a = ws.deserializeAttachment() as AgentAttachment | null;
      if (!a) continue;
      const lastSeen = Math.max(a.at ?? Date.now(), this.ctx.getWebSocketAutoResponseTimestamp(ws)?.getTime() ?? 0);
      if (Date.now() - lastSeen > PRESENCE_TIMEOUT_MS) continue;
      byId.set(a.id, { id: a.id, name: a.name });
    }
    return [...byId.values()];
  }

  private broadcast(ev: InboxEvent, exclude?: WebSocket) {
    const sockets = this.ctx.getWebSockets("agent").filter((ws) => ws !== exclude);
    if (!sockets.length) return; // no agent connected: nothing to serialise
    const data = JSON.stringify(ev);
    for (const ws of sockets) {
      try {
        ws.send(data);
      } catch {
        /* closing */
      }
    }
  }

  private presenceEvent(exclude?: WebSocket): InboxEvent {
    const agents = this.agents(exclude);
    return { type: "presence", online: agents.length, agents };
  }

  async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket upgrade", { status: 426 });
    const agent = JSON.parse(request.headers.get("X-Chat-Principal") ?? "null") as InboxAgent | null;
    if (!agent?.id) return new Response("Missing principal", { status: 400 });
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1], ["agent"]);
    pair[1].serializeAttachment({ id: agent.id, name: agent.name, at: Date.now() } satisfies AgentAttachment);
    this.broadcast(this.presenceEvent());
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    const a = ws.deserializeAttachment() as AgentAttachment | null;
    if (a) ws.serializeAttachment({ ...a, at: Date.now() } satisfies AgentAttachment); // any message shows the agent is there
    if (raw === '{"type":"presence"}') ws.send(JSON.stringify(this.presenceEvent()));
  }

  async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "closing");
    } catch {
      /* already closed */
    }
    this.broadcast(this.presenceEvent(ws), ws);
  }

  async webSocketError(ws: WebSocket): Promise<void> {
    await this.webSocketClose(ws, 1011);
  }

  /** Called by ChatSessions. */
  async publish(ev: InboxEvent): Promise<void> {
    this.broadcast(ev);
  }

  /** A ChatSession's flush: `event` to the agents now, `mirror` to D1 with its batch (resolves when written). */
  async sync(event: InboxEvent | null, mirror: MirrorUpdate): Promise<void> {
    if (event) this.broadcast(event);
    return new Promise<void>((resolve, reject) => {
      this.mirrorQueue.push({ update: mirror, resolve, reject });
      this.mirroring ??= this.drainMirror();
    });
  }

  private readonly mirrorQueue: { update: MirrorUpdate; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private mirroring: Promise<void> | null = null;

  private async drainMirror(): Promise<void> {
    try {
      while (this.mirrorQueue.length) {
        let rows = 0;
        let n = 0;
        for (const { update } of this.mirrorQueue) {
          if (n === BATCH_MAX_UPDATES || (n > 0 && rows + update.rows.length > BATCH_MAX_ROWS)) break;
          rows += update.rows.length;
          n++;
        }
        const batch = this.mirrorQueue.splice(0, n);
        try {
          await mirrorConversations(
            this.env,
            batch.map((b) => b.update),
          );
          for (const b of batch) b.resolve();
        } catch (e) {
          const [only] = batch;
          if (batch.length === 1 && only) only.reject(e);
          else
            for (const b of batch)
              await mirrorConversations(this.env, [b.update]).then(
                () => b.resolve(),
                (err) => b.reject(err),
              );
        }
      }
    } finally {
      this.mirroring = null;
    }
  }

  private settingsRead: SessionSettingsRead | null = null;
  private settingsReading: { at: number; read: Promise<SessionSettingsRead> } | null = null;
  private settingsChangedAt = 0;

  /**
   * The workspace's session settings as read no more than `maxAgeMs` ago (session.settings.ts): the
   * last read, or the one in flight if it started within that time, or a new one.
   */
  async settings(tenantId: string, maxAgeMs: number): Promise<SessionSettingsRead> {
    const now = Date.now();
    if (this.settingsRead && now - this.settingsRead.at < maxAgeMs) return this.settingsRead;
    if (this.settingsReading && now - this.settingsReading.at < maxAgeMs) return this.settingsReading.read;
    const reading = {
      at: now,
      read: readSessionSettings(getDb(this.env.DB), tenantId).then((r) => {
        if (r.at > this.settingsChangedAt && (!this.settingsRead || this.settingsRead.at < r.at)) this.settingsRead = r;
        return r;
      }),
    };
    this.settingsReading = reading;
    reading.read
      .finally(() => {
        if (this.settingsReading === reading) this.settingsReading = null;
      })
      .catch(() => {});
    return reading.read;
  }

  /** The settings API changed them: the next caller gets a new read. */
  async settingsChanged(): Promise<void> {
    this.settingsRead = null;
    this.settingsReading = null;
    this.settingsChangedAt = Date.now();
  }

  async presence(): Promise<{ online: number; agents: InboxAgent[] }> {
    const agents = this.agents();
    return { online: agents.length, agents };
  }
}
