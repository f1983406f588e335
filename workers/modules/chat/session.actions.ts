/**
 * What a ChatSession does with a client event (visitor or agent socket, or the agent HTTP API):
 * the checks every event passes (identity enforcement, role, limits), then typing, message,
 * hand-off, close and rating.
 */
import type { MessageRole } from "../../../schema/chat";
import type { ChatMessage, ChatPrincipal, ClientEvent, ConversationState, ServerEvent } from "./protocol";
import type { VisitorGuard } from "./session.guard";
import type { SessionStore } from "./session.store";
import type { SessionSync } from "./session.sync";
import { systemLine } from "./system-messages";

export type ActionResult = { message: ChatMessage } | { error: string; detail: string } | void;

/** The parts of the ChatSession an event handler uses (built by the object, not RPC-visible). */
export interface ActionHost {
  store: SessionStore;
  guard: VisitorGuard;
  sync: SessionSync;
  send(ws: WebSocket, ev: ServerEvent): void;
  broadcast(ev: ServerEvent, tag?: "visitor" | "agent"): void;
  state(): ConversationState;
  touch(): Promise<void>;
  changed(extra?: { handoff?: boolean }): Promise<void>;
  close(by: ChatPrincipal): Promise<ConversationState>;
  rate(rating: number, comment: string | null): Promise<ConversationState>;
  /** Queues an AI answer to the latest visitor message (one at a time). */
  startAiTurn(): void;
}

export async function handleEvent(
  s: ActionHost,
  p: ChatPrincipal,
  ev: Exclude<ClientEvent, { type: "ping" }>,
  ws: WebSocket | null,
): Promise<ActionResult> {
  const m = s.store.meta;
  if (!m) return { error: "not-found", detail: "This conversation does not exist." };
  // The limiter and the settings re-read are independent round trips: made at once, not in turn.
  const limits = p.kind === "visitor" && ev.type === "message" && m.status !== "closed" ? s.guard.withinLimits(p) : null;
  limits?.catch(() => {}); // awaited below unless the message is refused first
  if (p.kind === "visitor") await s.guard.fresh();
  // Enforced identity applies to every message, not only to the first request.
  if (p.kind === "visitor" && m.identityRequired && !p.verified) {
    return { error: "identity-required", detail: "This workspace only accepts messages from verified users." };
  }
  if (p.kind === "agent" && !p.verified && ev.type !== "typing") {
    return { error: "forbidden", detail: "Your role can watch conversations but not act in them." };
  }
  switch (ev.type) {
    case "typing":
      s.broadcast(
        { type: "typing", role: p.kind, on: ev.on, name: p.kind === "agent" ? p.name : null },
        p.kind === "visitor" ? "agent" : "visitor",
      );
      return;
    case "message": {
      if (m.status === "closed") return { error: "conversation-closed", detail: "This conversation has ended; start a new one." };
      if (limits && !(await limits)) return { error: "rate-limited", detail: "You are sending messages too quickly; wait a few seconds." };
      const role: MessageRole = p.kind === "agent" ? "agent" : "visitor";
      const { message, duplicate } = s.store.append({ clientId: ev.client_id, role, authorId: p.id, authorName: p.name, body: ev.body });
      if (ws) s.send(ws, { type: "ack", client_id: ev.client_id, seq: message.seq, id: message.id, duplicate });
      if (duplicate) return { message };
      s.broadcast({ type: "message", message });
      const statusChanged = p.kind === "agent" && m.status !== "assigned";
      if (statusChanged) {
        m.status = "assigned";
        m.assigneeId = p.id;
        m.assigneeName = p.name;
        s.store.save();
        s.broadcast({ type: "status", conversation: s.state() });
      }
      await s.touch();
      if (p.kind === "visitor" && m.status === "open" && m.aiEnabled) {
        s.startAiTurn();
      }
      // Socket messages defer the D1 mirror + inbox event (coalesced); HTTP posts and status changes flush now.
      if (ws && !statusChanged) await s.sync.defer();
      else await s.sync.afterChange();
      return { message };
    }
    case "handoff": {
      if (p.kind !== "visitor") return { error: "forbidden", detail: "Only the visitor asks for a person." };
      if (m.status === "open") {
        m.status = "waiting";
        s.store.save();
        s.store.append(systemLine("waiting"));
        await s.touch();
        await s.changed({ handoff: true });
      }
      return;
    }
    case "close":
      await s.close(p);
      return;
    case "csat":
      if (p.kind !== "visitor") return { error: "forbidden", detail: "Only the visitor rates the conversation." };
      await s.rate(ev.rating, ev.comment ?? null);
      return;
  }
}
