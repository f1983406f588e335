/** What the visitor can do: open or start a conversation, send a message, begin a new one.
 * In preview mode these stay local (sample exchange, no network). */
import { api, loadConversations } from "./api";
import { addMessage, connect } from "./connection";
import { previewChat, sample } from "./preview";
import { PREVIEW, needsPrechat, pending, render, savePending, state, toHost, type ConvSummary, type Pending } from "./state";

export async function openConversation(id: string) {
  state.messages.clear();
  state.lastSeq = 0;
  state.streaming = null;
  state.csatDone = false;
  state.csatRating = 0;
  state.offlineSent = false;
  state.confirmEnd = false;
  state.conv = { id, status: "open", assignee_id: null, assignee_name: null, csat_rating: null, last_seq: 0 };
  state.view = "chat";
  render();
  connect(id);
}

export async function startConversation(prechat?: { name?: string; email?: string }) {
  if (PREVIEW) return previewChat();
  const c = await api<ConvSummary>("POST", "/conversations", { page_url: state.pageUrl, prechat });
  toHost({ type: "active", active: true });
  await openConversation(c.id);
}

/** Starts a conversation, showing a failure as the notice instead of throwing. */
export const tryStart = (prechat?: { name?: string; email?: string }) =>
  startConversation(prechat).catch((err) => ((state.notice = (err as Error).message), render()));

export function sendText(body: string) {
  const { conv, ws } = state;
  if (!conv) return;
  if (PREVIEW) return (addMessage(sample(state.lastSeq + 1, "visitor", body)), render());
  const p: Pending = { client_id: `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`, body, conv: conv.id };
  pending.push(p);
  savePending();
  state.notice = "";
  if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "message", client_id: p.client_id, body }));
  render();
}

/** New conversation: straight into the chat unless a pre-chat form is configured. */
export async function begin() {
  state.ws?.close();
  state.ws = null;
  state.wsFor = null;
  state.conv = null;
  if (needsPrechat(state.cfg)) {
    state.view = "home";
    await loadConversations().catch(() => {});
    render();
  } else await tryStart();
}
