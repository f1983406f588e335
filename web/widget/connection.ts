/**
 * The live link to the conversation's ChatSession: a WebSocket with reconnect + backoff that
 * resumes from the last sequence number it saw. Messages sent while offline stay queued (also
 * across reloads, see state.ts) and are re-sent with the same client id on every "ready", which
 * the server deduplicates — nothing lost, nothing duplicated.
 */
import type { ChatMessage, ServerEvent } from "../../workers/modules/chat/protocol";
import { refreshPresence } from "./api";
import { HOST, KEY, dropPending, pending, render, state, toHost } from "./state";

let retry = 0;

export function connect(id: string) {
  if (state.ws && state.wsFor === id) return;
  state.ws?.close();
  state.wsFor = id;
  const u = new URL(`/public/v1/chat/conversations/${encodeURIComponent(id)}/ws`, location.href);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  u.search = new URLSearchParams({ key: KEY, embed_origin: HOST, token: state.token ?? "", since: String(state.lastSeq) }).toString();
  const sock = new WebSocket(u);
  state.ws = sock;
  sock.onmessage = (e) => onEvent(JSON.parse(e.data as string) as ServerEvent);
  sock.onclose = () => {
    if (state.ws !== sock) return;
    state.connected = false;
    state.ws = null;
    render();
    if (state.conv && state.conv.status !== "closed") {
      const delay = Math.min(15_000, 500 * 2 ** retry++) * (0.75 + Math.random() / 2);
      setTimeout(() => state.wsFor === id && !state.ws && connect(id), delay);
    }
  };
  sock.onopen = () => {
    retry = 0;
  };
}
setInterval(() => state.ws?.readyState === WebSocket.OPEN && state.ws.send('{"type":"ping"}'), 30_000);

/** Ephemeral signals (typing): dropped while the socket is not open. */
export const wsSend = (msg: unknown) => state.ws?.readyState === WebSocket.OPEN && state.ws.send(JSON.stringify(msg));

/**
 * What the visitor asked for (a person, ending the chat, a rating): sent now, or as soon as the
 * socket of that conversation is ready (a click right after opening a conversation, or while
 * reconnecting, used to be dropped without a word).
 */
let queued: { conv: string; msg: unknown }[] = [];
export function sendAction(msg: unknown) {
  if (!state.conv) return;
  if (state.connected && state.ws?.readyState === WebSocket.OPEN) state.ws.send(JSON.stringify(msg));
  else queued.push({ conv: state.conv.id, msg });
}
function flushActions() {
  const { ws, conv } = state;
  if (!ws || ws.readyState !== WebSocket.OPEN || !conv) return;
  const mine = queued.filter((q) => q.conv === conv.id);
  queued = queued.filter((q) => q.conv !== conv.id);
  for (const q of mine) ws.send(JSON.stringify(q.msg));
}

function flushPending() {
  const { ws, conv } = state;
  if (!ws || ws.readyState !== WebSocket.OPEN || !conv) return;
  for (const p of pending) if (p.conv === conv.id) ws.send(JSON.stringify({ type: "message", client_id: p.client_id, body: p.body }));
}

export function addMessage(m: ChatMessage) {
  if (state.messages.has(m.seq)) return;
  state.messages.set(m.seq, m);
  state.lastSeq = Math.max(state.lastSeq, m.seq);
  dropPending(m.client_id);
  if (m.role === "agent" || m.role === "ai") {
    if (!state.panelOpen) {
      state.unread++;
      toHost({ type: "unread", n: state.unread });
    }
    if (m.role === "agent") state.agentTyping = false;
  }
}

function onEvent(ev: ServerEvent) {
  switch (ev.type) {
    case "ready":
      state.connected = true;
      state.conv = ev.conversation;
      state.aiEngine = ev.ai_engine;
      ev.messages.forEach(addMessage);
      state.streaming = ev.streaming;
      flushPending();
      flushActions();
      break;
    case "message":
      addMessage(ev.message);
      if (state.streaming && ev.message.id === state.streaming.reply_id) state.streaming = null;
      break;
    case "ack":
      dropPending(ev.client_id);
      break;
    case "ai_start":
      state.streaming = { reply_id: ev.reply_id, text: "" };
      state.aiEngine = ev.engine;
      break;
    case "ai_token":
      if (state.streaming?.reply_id === ev.reply_id) state.streaming.text += ev.text;
      else state.streaming = { reply_id: ev.reply_id, text: ev.text };
      break;
    case "typing":
      state.agentTyping = ev.role === "agent" && ev.on;
      break;
    case "status":
      state.conv = ev.conversation;
      if (ev.conversation.status === "waiting") void refreshPresence();
      toHost({ type: "active", active: ev.conversation.status !== "closed" });
      break;
    case "error":
      if (ev.client_id && ev.code !== "rate-limited") dropPending(ev.client_id);
      state.notice = ev.detail;
      break;
  }
  render();
}
