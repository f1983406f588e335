/**
 * ChatEcho: a bare Durable Object that echoes WebSocket frames through the same Hibernation API.
 * It exists only as the baseline of `npm run bench -- chat` (served only when not in production).
 */
import { DurableObject } from "cloudflare:workers";
import type { ChatEnv } from "./env";

export class ChatEcho extends DurableObject<ChatEnv> {
  async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") return new Response("Expected a WebSocket upgrade", { status: 426 });
    const pair = new WebSocketPair();
    this.ctx.acceptWebSocket(pair[1]);
    return new Response(null, { status: 101, webSocket: pair[0] });
  }

  async webSocketMessage(ws: WebSocket, raw: string | ArrayBuffer): Promise<void> {
    ws.send(raw);
  }

  async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, "closing");
    } catch {
      /* already closed */
    }
  }
}
