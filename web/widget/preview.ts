/**
 * Preview mode (/widget/preview, framed only by Weft's own dashboard): no key, no network (its CSP
 * has connect-src 'none'); the dashboard posts unsaved settings and the page renders them, with a
 * sample exchange, as visitors would see them. Nothing it does creates a conversation.
 */
import type { ChatMessage } from "../../workers/modules/chat/protocol";
import { needsPrechat, render, state, type Config } from "./state";
import { applyTheme } from "./views/theme";

export const sample = (seq: number, role: ChatMessage["role"], body: string): ChatMessage => ({
  seq,
  id: `p${seq}`,
  client_id: null,
  role,
  author_id: null,
  author_name: null,
  body,
  citations: null,
  system: null,
  created_at: new Date().toISOString(),
});

export function previewChat() {
  state.view = "chat";
  state.connected = true;
  state.conv = { id: "preview", status: "open", assignee_id: null, assignee_name: null, csat_rating: null, last_seq: 2 };
  // The sample pair is rebuilt every time so a language change re-translates it; anything typed
  // into the preview (seq 3+) stays.
  state.messages.set(1, sample(1, "visitor", state.t.sampleQ));
  state.messages.set(2, sample(2, "ai", state.t.sampleA));
  state.lastSeq = Math.max(state.lastSeq, 2);
  render();
}

export function preview(d: { config?: Partial<Config>; theme?: string }) {
  const cfg = {
    tenant: { id: "", name: "" },
    title: "",
    logo_url: null,
    color: "#4f46e5",
    position: "right",
    theme: "auto",
    locale: "en",
    greeting: "",
    prechat: { enabled: false, name: "off", email: "off" },
    ai_enabled: true,
    ai_engine: "local",
    identity_required: false,
    agents_online: 1,
    max_message_chars: 4000,
    ...d.config,
  } as Config;
  state.cfg = cfg;
  state.hostTheme = d.theme === "dark" ? "dark" : "light";
  state.aiEngine = cfg.ai_engine;
  applyTheme();
  // What a visitor sees first: the pre-chat form when one is configured, else a sample exchange.
  if (needsPrechat(cfg)) (state.view = "home"), render();
  else previewChat();
}
