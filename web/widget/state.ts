/**
 * The widget's shared state: page constants, the one mutable `state` object every module reads
 * and writes, storage (which may be blocked), the queue of messages not yet acknowledged, and
 * the exact-origin channel to the host page.
 *
 * Lower modules (api, connection, actions) ask for a redraw with `render()`; the views register
 * the real renderer with `setRenderer` at boot, so nothing here imports the views (no cycles).
 */
import type { ChatMessage, ConversationState } from "../../workers/modules/chat/protocol";
import { strings, type Strings } from "./i18n";

export interface Config {
  tenant: { id: string; name: string };
  title: string;
  logo_url: string | null;
  color: string;
  position: string;
  theme: "auto" | "light" | "dark";
  locale: string;
  greeting: string;
  prechat: { enabled: boolean; name: "off" | "optional" | "required"; email: "off" | "optional" | "required" };
  ai_enabled: boolean;
  ai_engine: string;
  identity_required: boolean;
  agents_online: number;
  max_message_chars: number;
}
export interface ConvSummary {
  id: string;
  status: string;
  last_message: string | null;
  last_message_at: string;
  csat_rating: number | null;
}
export type View = "home" | "chat" | "history";

const params = new URLSearchParams(location.search);
export const PREVIEW = location.pathname === "/widget/preview";
export const KEY = params.get("key") ?? "";
export const HOST = PREVIEW ? location.origin : (params.get("origin") ?? "");
export const TOKEN_KEY = `weft:vt:${KEY}`;
const PENDING_KEY = `weft:pending:${KEY}`;
export const app = document.getElementById("app")!;

export interface State {
  /** Unset until boot() or preview() loads it; render() draws nothing before then. */
  cfg: Config;
  t: Strings;
  token: string | null;
  identity: unknown;
  hostTheme: string;
  pageUrl: string | undefined;
  panelOpen: boolean;
  unread: number;
  view: View;
  conv: ConversationState | null;
  conversations: ConvSummary[];
  messages: Map<number, ChatMessage>;
  lastSeq: number;
  streaming: { reply_id: string; text: string } | null;
  aiEngine: string;
  ws: WebSocket | null;
  wsFor: string | null;
  connected: boolean;
  agentTyping: boolean;
  confirmEnd: boolean;
  csatDone: boolean;
  /** Stars picked in the CSAT form but not yet submitted (kept across redraws). */
  csatRating: number;
  /** The offline form of this conversation was sent (show the thanks note, not the form again). */
  offlineSent: boolean;
  notice: string;
}

export const state: State = {
  cfg: undefined as unknown as Config,
  t: strings("en").t,
  token: null,
  identity: null,
  hostTheme: "light",
  pageUrl: undefined,
  panelOpen: false,
  unread: 0,
  view: "home",
  conv: null,
  conversations: [],
  messages: new Map(),
  lastSeq: 0,
  streaming: null,
  aiEngine: "local",
  ws: null,
  wsFor: null,
  connected: false,
  agentTyping: false,
  confirmEnd: false,
  csatDone: false,
  csatRating: 0,
  offlineSent: false,
  notice: "",
};

/** A pre-chat form is shown before a new conversation only when it asks for something. */
export const needsPrechat = (c: Config) => c.prechat.enabled && (c.prechat.name !== "off" || c.prechat.email !== "off");

// ---------------------------------------------------------------- redraw (views register it)
let renderer = () => {};
export const setRenderer = (fn: () => void) => void (renderer = fn);
export const render = () => renderer();

// ---------------------------------------------------------------- storage (may be blocked)
export const store = {
  get: (k: string) => {
    try {
      return localStorage.getItem(k);
    } catch {
      return null;
    }
  },
  set: (k: string, v: string | null) => {
    try {
      if (v === null) localStorage.removeItem(k);
      else localStorage.setItem(k, v);
    } catch {
      /* private mode */
    }
  },
};

// ---------------------------------------------------------------- unacknowledged messages
/** Kept across reloads and re-sent with the same client id, which the server deduplicates. */
export type Pending = { client_id: string; body: string; conv: string };
export const pending: Pending[] = JSON.parse(store.get(PENDING_KEY) ?? "[]");
export const savePending = () => store.set(PENDING_KEY, JSON.stringify(pending));
/** Drops a message from the queue (acknowledged, delivered or rejected). */
export function dropPending(client_id: string | null | undefined) {
  const i = pending.findIndex((p) => p.client_id === client_id);
  if (i >= 0) {
    pending.splice(i, 1);
    savePending();
  }
}

// ---------------------------------------------------------------- host messaging (exact origin)
export const toHost = (msg: Record<string, unknown>) => window.parent.postMessage({ weft: 1, ...msg }, HOST);
