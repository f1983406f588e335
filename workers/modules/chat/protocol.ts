/**
 * The chat wire protocol between ChatSession and its WebSocket clients (widget iframe and agent
 * console). Types only at the top so the widget can `import type` without pulling zod.
 */
import { z } from "zod";
import type { Citation, ConversationStatus, MessageRole } from "../../../schema/chat";
import type { SystemInfo } from "./system-messages";

export const MAX_MESSAGE_CHARS = 4000;

export interface ChatMessage {
  seq: number;
  id: string;
  client_id: string | null;
  role: MessageRole;
  author_id: string | null;
  author_name: string | null;
  body: string;
  citations: Citation[] | null;
  /** For system lines: what happened (and the agent's name), so clients can show it in their language. */
  system: SystemInfo | null;
  created_at: string;
}

export interface ConversationState {
  id: string;
  status: ConversationStatus;
  assignee_id: string | null;
  assignee_name: string | null;
  csat_rating: number | null;
  last_seq: number;
}

/** Server → client. */
export type ServerEvent =
  | {
      type: "ready";
      role: "visitor" | "agent";
      conversation: ConversationState;
      messages: ChatMessage[];
      streaming: { reply_id: string; text: string } | null;
      ai_engine: string;
    }
  | { type: "message"; message: ChatMessage }
  | { type: "ack"; client_id: string; seq: number; id: string; duplicate: boolean }
  | { type: "ai_start"; reply_id: string; engine: string }
  | { type: "ai_token"; reply_id: string; text: string }
  | { type: "typing"; role: "visitor" | "agent"; on: boolean; name?: string | null }
  | { type: "status"; conversation: ConversationState }
  | { type: "error"; code: string; detail: string; client_id?: string }
  | { type: "pong" };

/** Client → server. */
export const clientEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("message"), client_id: z.string().min(1).max(64), body: z.string().trim().min(1).max(MAX_MESSAGE_CHARS) }),
  z.object({ type: z.literal("typing"), on: z.boolean() }),
  z.object({ type: z.literal("handoff") }),
  z.object({ type: z.literal("close") }),
  z.object({ type: z.literal("csat"), rating: z.number().int().min(1).max(5), comment: z.string().max(1000).optional() }),
  z.object({ type: z.literal("ping") }),
]);
export type ClientEvent = z.infer<typeof clientEventSchema>;

/**
 * clientEventSchema.safeParse with a fast path for the frame sent most (a chat message): a
 * message whose client id and trimmed body are within the limits counted in UTF-16 units — which
 * implies them in code points, what zod counts — is built here, exactly as zod would output it
 * (known keys only, body trimmed); anything else (other events, anything near or over a limit,
 * invalid input) goes through zod, so the accepted set and every error are zod's.
 */
export function parseClientEvent(input: unknown): { success: true; data: ClientEvent } | { success: false; error: z.ZodError } {
  if (input !== null && typeof input === "object" && (input as { type?: unknown }).type === "message") {
    const { client_id, body } = input as { client_id?: unknown; body?: unknown };
    if (typeof client_id === "string" && client_id.length >= 1 && client_id.length <= 64 && typeof body === "string") {
      const trimmed = body.trim();
      if (trimmed.length >= 1 && trimmed.length <= MAX_MESSAGE_CHARS)
        return { success: true, data: { type: "message", client_id, body: trimmed } };
    }
  }
  return clientEventSchema.safeParse(input);
}

/** Who a socket or RPC call acts as; established by the Worker before it reaches the DO. */
export interface ChatPrincipal {
  kind: "visitor" | "agent";
  id: string;
  name: string | null;
  verified: boolean; // visitors: identity verified (JWT/user_hash); agents: always true
  ip?: string | null;
}
