/**
 * The chat UI inside the widget iframe (served from Weft's origin; budget 30 KB gzip, plain TS).
 * Holds the visitor token in this origin's storage, talks to the ChatSession over a WebSocket
 * with reconnect + backoff, and resumes from the last sequence number it saw; messages sent while
 * offline are kept (also across reloads) and re-sent with the same client id, which the server
 * deduplicates — nothing lost, nothing duplicated.
 *
 * Preview mode (/widget/preview, framed only by Weft's own dashboard): no key, no network (its CSP
 * has connect-src 'none'); the dashboard posts unsaved settings and the page renders them, with a
 * sample exchange, as visitors would see them. Nothing it does creates a conversation.
 */
import type { ChatMessage, ConversationState, ServerEvent } from "../../workers/modules/chat/protocol";
import { renderMarkdown } from "./markdown";
import { strings, type Strings } from "./i18n";

interface Config {
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
interface ConvSummary { id: string; status: string; last_message: string | null; last_message_at: string; csat_rating: number | null }
type View = "home" | "chat" | "offline" | "history";

const params = new URLSearchParams(location.search);
const PREVIEW = location.pathname === "/widget/preview";
const KEY = params.get("key") ?? "";
const HOST = PREVIEW ? location.origin : (params.get("origin") ?? "");
const TOKEN_KEY = `weft:vt:${KEY}`;
const PENDING_KEY = `weft:pending:${KEY}`;
const app = document.getElementById("app")!;

let t: Strings = strings("en").t;
let cfg: Config;
let token: string | null = null;
let identity: unknown = null;
let hostTheme = "light";
let pageUrl: string | undefined;
let panelOpen = false;
let unread = 0;
let view: View = "home";
let conv: ConversationState | null = null;
let conversations: ConvSummary[] = [];
const messages = new Map<number, ChatMessage>();
let lastSeq = 0;
let streaming: { reply_id: string; text: string } | null = null;
let aiEngine = "local";
let ws: WebSocket | null = null;
let wsFor: string | null = null;
let retry = 0;
let connected = false;
let agentTyping = false;
let typingTimer: ReturnType<typeof setTimeout> | undefined;
let typingSent = false;
let confirmEnd = false;
let csatDone = false;
let notice = "";

// ---------------------------------------------------------------- storage (may be blocked)
const store = {
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
type Pending = { client_id: string; body: string; conv: string };
const pending: Pending[] = JSON.parse(store.get(PENDING_KEY) ?? "[]");
const savePending = () => store.set(PENDING_KEY, JSON.stringify(pending));

// ---------------------------------------------------------------- host messaging (exact origin)
const toHost = (msg: Record<string, unknown>) => window.parent.postMessage({ weft: 1, ...msg }, HOST);

// ---------------------------------------------------------------- tiny DOM helper
type Child = Node | string | null | false | undefined;
function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, unknown> = {}, ...children: (Child | Child[])[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v as EventListener);
    else if (k === "html") el.innerHTML = v as string;
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined && c !== false) el.append(c);
  return el;
}
const icon = (path: string) => h("span", { "aria-hidden": "true", class: "i", html: `<svg viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">${path}</svg>` });

// ---------------------------------------------------------------- API
const apiHeaders = (): Record<string, string> => ({
  "Content-Type": "application/json",
  "X-Weft-Key": KEY,
  "X-Weft-Embed-Origin": HOST,
  ...(token ? { Authorization: `Bearer ${token}` } : {}),
});
async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  if (PREVIEW) throw new Error(t.previewOnly);
  const r = await fetch(`/public/v1/chat${path}`, { method, headers: apiHeaders(), body: body === undefined ? undefined : JSON.stringify(body) });
  const data = r.status === 204 ? null : await r.json().catch(() => null);
  if (!r.ok) throw Object.assign(new Error((data as { detail?: string })?.detail ?? t.error), { status: r.status, problem: data });
  return data as T;
}

async function startVisitor() {
  const r = await api<{ visitor_token: string | null }>("POST", "/visitors", { visitor_token: store.get(TOKEN_KEY), identity: identity ?? undefined });
  if (r.visitor_token) {
    store.set(TOKEN_KEY, r.visitor_token);
    messages.clear();
  }
  token = store.get(TOKEN_KEY);
}

async function loadConversations() {
  conversations = (await api<{ data: ConvSummary[] }>("GET", "/conversations")).data;
}

// ---------------------------------------------------------------- WebSocket with resume
function connect(id: string) {
  if (ws && wsFor === id) return;
  ws?.close();
  wsFor = id;
  const u = new URL(`/public/v1/chat/conversations/${encodeURIComponent(id)}/ws`, location.href);
  u.protocol = u.protocol === "https:" ? "wss:" : "ws:";
  u.search = new URLSearchParams({ key: KEY, embed_origin: HOST, token: token ?? "", since: String(lastSeq) }).toString();
  const sock = new WebSocket(u);
  ws = sock;
  sock.onmessage = (e) => onEvent(JSON.parse(e.data as string) as ServerEvent);
  sock.onclose = () => {
    if (ws !== sock) return;
    connected = false;
    ws = null;
    render();
    if (conv && conv.status !== "closed") {
      const delay = Math.min(15_000, 500 * 2 ** retry++) * (0.75 + Math.random() / 2);
      setTimeout(() => wsFor === id && !ws && connect(id), delay);
    }
  };
  sock.onopen = () => {
    retry = 0;
  };
}
setInterval(() => ws?.readyState === WebSocket.OPEN && ws.send('{"type":"ping"}'), 30_000);

function flushPending() {
  if (!ws || ws.readyState !== WebSocket.OPEN || !conv) return;
  for (const p of pending) if (p.conv === conv.id) ws.send(JSON.stringify({ type: "message", client_id: p.client_id, body: p.body }));
}

function addMessage(m: ChatMessage) {
  if (messages.has(m.seq)) return;
  messages.set(m.seq, m);
  lastSeq = Math.max(lastSeq, m.seq);
  const i = pending.findIndex((p) => p.client_id === m.client_id);
  if (i >= 0) {
    pending.splice(i, 1);
    savePending();
  }
  if (m.role === "agent" || m.role === "ai") {
    if (!panelOpen) {
      unread++;
      toHost({ type: "unread", n: unread });
    }
    if (m.role === "agent") agentTyping = false;
  }
}

function onEvent(ev: ServerEvent) {
  switch (ev.type) {
    case "ready":
      connected = true;
      conv = ev.conversation;
      aiEngine = ev.ai_engine;
      ev.messages.forEach(addMessage);
      streaming = ev.streaming;
      flushPending();
      break;
    case "message":
      addMessage(ev.message);
      if (streaming && ev.message.id === streaming.reply_id) streaming = null;
      break;
    case "ack": {
      const i = pending.findIndex((p) => p.client_id === ev.client_id);
      if (i >= 0) {
        pending.splice(i, 1);
        savePending();
      }
      break;
    }
    case "ai_start":
      streaming = { reply_id: ev.reply_id, text: "" };
      aiEngine = ev.engine;
      break;
    case "ai_token":
      if (streaming?.reply_id === ev.reply_id) streaming.text += ev.text;
      else streaming = { reply_id: ev.reply_id, text: ev.text };
      break;
    case "typing":
      agentTyping = ev.role === "agent" && ev.on;
      break;
    case "status":
      conv = ev.conversation;
      if (conv.status === "waiting") void refreshPresence();
      toHost({ type: "active", active: conv.status !== "closed" });
      break;
    case "error":
      if (ev.client_id && ev.code !== "rate-limited") {
        const i = pending.findIndex((p) => p.client_id === ev.client_id);
        if (i >= 0) pending.splice(i, 1), savePending();
      }
      notice = ev.detail;
      break;
  }
  render();
}

async function refreshPresence() {
  try {
    cfg = await api<Config>("GET", "/config");
  } catch {
    /* keep the old figure */
  }
  render();
}

// ---------------------------------------------------------------- actions
async function openConversation(id: string) {
  messages.clear();
  lastSeq = 0;
  streaming = null;
  csatDone = false;
  confirmEnd = false;
  conv = { id, status: "open", assignee_id: null, assignee_name: null, csat_rating: null, last_seq: 0 };
  view = "chat";
  render();
  connect(id);
}

async function startConversation(prechat?: { name?: string; email?: string }) {
  if (PREVIEW) return previewChat();
  const c = await api<ConvSummary>("POST", "/conversations", { page_url: pageUrl, prechat });
  toHost({ type: "active", active: true });
  await openConversation(c.id);
}

function sendText(body: string) {
  if (!conv) return;
  if (PREVIEW) return addMessage(sample(lastSeq + 1, "visitor", body)), render();
  const p: Pending = { client_id: `c${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`, body, conv: conv.id };
  pending.push(p);
  savePending();
  notice = "";
  if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: "message", client_id: p.client_id, body }));
  render();
}

const wsSend = (msg: unknown) => ws?.readyState === WebSocket.OPEN && ws.send(JSON.stringify(msg));

// ---------------------------------------------------------------- views
function header(): HTMLElement {
  const online = cfg.agents_online;
  return h(
    "header",
    { class: "hd" },
    cfg.logo_url ? h("img", { src: cfg.logo_url, alt: "", class: "logo" }) : h("span", { class: "logo ph", "aria-hidden": "true" }, cfg.title.slice(0, 1).toUpperCase()),
    h("div", { class: "ht" }, h("h1", {}, cfg.title), h("p", { class: "st" }, h("span", { class: online ? "dot on" : "dot" }), t.online(online))),
    view === "chat" ? h("button", { type: "button", class: "ib", "aria-label": t.earlier, title: t.earlier, onclick: () => ((view = "history"), void loadConversations().then(render)) }, icon('<path d="M3 12h18M3 6h18M3 18h18"/>')) : null,
    h("button", { type: "button", class: "ib", "aria-label": t.close, title: t.close, onclick: () => toHost({ type: "close" }) }, icon('<path d="M18 6 6 18M6 6l12 12"/>')),
  );
}

function bubble(m: ChatMessage): HTMLElement {
  if (m.role === "system") return h("li", { class: "sys" }, m.body);
  const mine = m.role === "visitor";
  const local = aiEngine === "local" || !!m.author_name?.includes("(local)");
  const who = mine ? t.you : m.role === "ai" ? `${t.assistant}${local ? ` · ${t.local}` : ""}` : (m.author_name ?? cfg.title);
  return h(
    "li",
    { class: `m ${mine ? "me" : m.role}` },
    h("span", { class: "who" }, who),
    h("div", { class: "bd", html: mine ? undefined : renderMarkdown(m.body) }, mine ? m.body : null),
    m.citations?.length
      ? h("div", { class: "cit" }, h("span", {}, `${t.sources}:`), h("ol", {}, m.citations.map((c) => h("li", {}, c.url && /^https?:\/\//.test(c.url) ? h("a", { href: c.url, target: "_blank", rel: "noopener noreferrer" }, c.title) : c.title))))
      : null,
  );
}

function chatView(): HTMLElement[] {
  const c = conv!;
  const list = h("ol", { class: "log", role: "log", "aria-live": "polite", "aria-label": cfg.title });
  list.append(h("li", { class: "m ai greet" }, h("div", { class: "bd" }, cfg.greeting)));
  for (const m of [...messages.values()].sort((a, b) => a.seq - b.seq)) list.append(bubble(m));
  for (const p of pending.filter((p) => p.conv === c.id)) list.append(h("li", { class: "m me pend" }, h("span", { class: "who" }, t.you), h("div", { class: "bd" }, p.body), !connected ? h("span", { class: "fail" }, t.failed) : null));
  if (streaming) list.append(h("li", { class: "m ai", "aria-busy": "true" }, h("span", { class: "who" }, t.assistant), h("div", { class: "bd", html: streaming.text ? renderMarkdown(streaming.text) : undefined }, streaming.text ? null : h("span", { class: "dots" }, "•••"))));
  if (agentTyping) list.append(h("li", { class: "typing" }, `${c.assignee_name ?? cfg.title} ${t.typing}`));
  queueMicrotask(() => (list.scrollTop = list.scrollHeight));

  const out: HTMLElement[] = [list];
  if (!connected) out.push(h("p", { class: "note", role: "status" }, t.reconnecting));
  if (notice) out.push(h("p", { class: "note err", role: "alert" }, notice));
  if (c.status === "waiting") {
    out.push(h("p", { class: "note", role: "status" }, t.waiting));
    if (!cfg.agents_online) out.push(offlineForm(true));
  }
  if (c.status === "closed") {
    out.push(h("p", { class: "note" }, t.closed));
    out.push(c.csat_rating || csatDone ? h("p", { class: "note ok", role: "status" }, t.thanks) : csatForm());
    out.push(h("button", { type: "button", class: "btn", onclick: () => void begin() }, t.newChat));
    return out;
  }
  if (confirmEnd) {
    out.push(
      h("div", { class: "confirm", role: "alertdialog", "aria-label": t.endConfirm }, h("p", {}, t.endConfirm),
        h("button", { type: "button", class: "btn", onclick: () => ((confirmEnd = false), wsSend({ type: "close" }), render()) }, t.yes),
        h("button", { type: "button", class: "btn sec", onclick: () => ((confirmEnd = false), render()) }, t.no)),
    );
  }
  const ta = h("textarea", { id: "composer", rows: 1, maxlength: cfg.max_message_chars, placeholder: t.placeholder, "aria-label": t.message }) as HTMLTextAreaElement;
  ta.value = draft;
  ta.addEventListener("input", () => {
    draft = ta.value;
    if (!typingSent) wsSend({ type: "typing", on: true }), (typingSent = true);
    clearTimeout(typingTimer);
    typingTimer = setTimeout(() => (wsSend({ type: "typing", on: false }), (typingSent = false)), 2500);
  });
  ta.addEventListener("keydown", (e) => {
    if (e.key === "Enter" && !e.shiftKey) {
      e.preventDefault();
      form.requestSubmit();
    }
  });
  const form = h(
    "form",
    { class: "cmp", onsubmit: (e: Event) => {
      e.preventDefault();
      const body = ta.value.trim();
      if (!body) return;
      draft = "";
      typingSent = false;
      wsSend({ type: "typing", on: false });
      sendText(body);
      focusComposer();
    } },
    ta,
    h("button", { type: "submit", class: "send", "aria-label": t.send, title: t.send }, icon('<path d="m22 2-7 20-4-9-9-4Z"/><path d="M22 2 11 13"/>')),
  );
  const actions = h(
    "div",
    { class: "acts" },
    c.status === "open" ? h("button", { type: "button", class: "link", onclick: () => wsSend({ type: "handoff" }) }, t.human) : null,
    h("button", { type: "button", class: "link", onclick: () => ((confirmEnd = true), render()) }, t.end),
  );
  out.push(actions, form);
  return out;
}
let draft = "";
const focusComposer = () => queueMicrotask(() => (document.getElementById("composer") as HTMLTextAreaElement | null)?.focus());

function field(id: string, label: string, type: string, mode: "off" | "optional" | "required", extra: Record<string, unknown> = {}) {
  if (mode === "off") return null;
  return h("label", { class: "fld", for: id }, h("span", {}, label, " ", mode === "optional" ? h("small", {}, t.optional) : null), h(type === "textarea" ? "textarea" : "input", { id, name: id, type, required: mode === "required", autocomplete: id === "email" ? "email" : id === "name" ? "name" : undefined, ...extra }));
}

function offlineForm(inline = false): HTMLElement {
  let done = false;
  const f = h(
    "form",
    { class: "card", "aria-labelledby": "off-t", onsubmit: async (e: Event) => {
      e.preventDefault();
      const fd = new FormData(f);
      try {
        await api("POST", "/offline", { name: (fd.get("name") as string) || undefined, email: fd.get("email"), message: fd.get("msg"), page_url: pageUrl });
        done = true;
        f.replaceChildren(h("p", { class: "note ok", role: "status" }, t.offlineDone));
      } catch (err) {
        f.querySelector(".err")?.remove();
        f.append(h("p", { class: "note err", role: "alert" }, (err as Error).message));
      }
    } },
    h("h2", { id: "off-t" }, t.offlineTitle),
    h("p", {}, t.offlineBody),
    field("name", t.name, "text", "optional"),
    field("email", t.email, "email", "required"),
    field("msg", t.message, "textarea", "required", { rows: 3, maxlength: cfg.max_message_chars }),
    h("button", { type: "submit", class: "btn" }, t.offlineSend),
  );
  if (!inline && done) return f;
  return f;
}

function csatForm(): HTMLElement {
  let rating = 0;
  const stars = h("div", { class: "stars", role: "radiogroup", "aria-label": t.rate });
  const draw = () =>
    stars.replaceChildren(
      ...[1, 2, 3, 4, 5].map((n) =>
        h("button", { type: "button", role: "radio", "aria-checked": String(n === rating), "aria-label": t.stars(n), class: n <= rating ? "on" : "", onclick: () => ((rating = n), draw(), (stars.querySelector(`[aria-label="${t.stars(n)}"]`) as HTMLElement)?.focus()) }, "★"),
      ),
    );
  draw();
  const comment = h("textarea", { id: "csat-c", rows: 2, maxlength: 1000 }) as HTMLTextAreaElement;
  return h(
    "form",
    { class: "card", onsubmit: async (e: Event) => {
      e.preventDefault();
      if (!rating || !conv) return;
      await api("POST", `/conversations/${conv.id}/csat`, { rating, comment: comment.value || undefined }).catch(() => wsSend({ type: "csat", rating, comment: comment.value || undefined }));
      csatDone = true;
      render();
    } },
    h("h2", {}, t.rate),
    stars,
    h("label", { class: "fld", for: "csat-c" }, h("span", {}, t.comment), comment),
    h("button", { type: "submit", class: "btn" }, t.submit),
  );
}

function homeView(): HTMLElement[] {
  const pc = cfg.prechat;
  const needsForm = pc.enabled && (pc.name !== "off" || pc.email !== "off");
  const open = conversations.filter((c) => c.status !== "closed");
  const out: HTMLElement[] = [h("div", { class: "greet card" }, h("p", {}, cfg.greeting))];
  if (open[0]) out.push(h("button", { type: "button", class: "btn", onclick: () => void openConversation(open[0]!.id) }, `${t.back}: ${open[0].last_message?.slice(0, 40) ?? t.start}`));
  if (needsForm) {
    const f = h(
      "form",
      { class: "card", onsubmit: async (e: Event) => {
        e.preventDefault();
        const fd = new FormData(f);
        await startConversation({ name: (fd.get("name") as string) || undefined, email: (fd.get("email") as string) || undefined }).catch((err) => ((notice = (err as Error).message), render()));
      } },
      field("name", t.name, "text", pc.name),
      field("email", t.email, "email", pc.email),
      h("button", { type: "submit", class: "btn" }, t.start),
    );
    out.push(f);
  } else out.push(h("button", { type: "button", class: "btn", onclick: () => void startConversation().catch((err) => ((notice = (err as Error).message), render())) }, t.start));
  if (notice) out.push(h("p", { class: "note err", role: "alert" }, notice));
  if (conversations.length) out.push(h("button", { type: "button", class: "link", onclick: () => ((view = "history"), render()) }, t.earlier));
  return out;
}

function historyView(): HTMLElement[] {
  return [
    h("h2", { class: "sub" }, t.earlier),
    conversations.length
      ? h("ul", { class: "hist" }, conversations.map((c) => h("li", {}, h("button", { type: "button", onclick: () => void openConversation(c.id) }, h("span", {}, c.last_message ?? "…"), h("time", { datetime: c.last_message_at }, new Date(c.last_message_at).toLocaleString())))))
      : h("p", { class: "note" }, t.none),
    h("button", { type: "button", class: "btn", onclick: () => void begin() }, t.newChat),
  ];
}

/** New conversation: straight into the chat unless a pre-chat form is configured. */
async function begin() {
  const pc = cfg.prechat;
  ws?.close();
  ws = null;
  wsFor = null;
  conv = null;
  if (pc.enabled && (pc.name !== "off" || pc.email !== "off")) {
    view = "home";
    await loadConversations().catch(() => {});
    render();
  } else await startConversation().catch((err) => ((notice = (err as Error).message), render()));
}

function render() {
  if (!cfg) return;
  const focused = document.activeElement?.id;
  let body: HTMLElement[];
  if (view === "chat" && conv) body = chatView();
  else if (view === "history") body = historyView();
  else if (view === "offline") body = [offlineForm()];
  else body = homeView();
  app.replaceChildren(header(), h("main", { class: `bdy v-${view}` }, body));
  if (focused) (document.getElementById(focused) as HTMLElement | null)?.focus();
}

function applyTheme() {
  const theme = cfg.theme === "auto" ? hostTheme : cfg.theme;
  document.documentElement.dataset.theme = theme;
  document.documentElement.style.setProperty("--accent", cfg.color);
  const s = strings(cfg.locale);
  t = s.t;
  document.documentElement.lang = s.lang;
}

// ---------------------------------------------------------------- boot
async function boot() {
  try {
    cfg = await api<Config>("GET", "/config");
    applyTheme();
    await startVisitor();
    await loadConversations();
    const current = conversations.find((c) => c.status !== "closed");
    toHost({ type: "active", active: !!current });
    if (current) await openConversation(current.id);
    else render();
  } catch (e) {
    app.replaceChildren(h("p", { class: "note err", role: "alert" }, (e as Error).message || t.error));
  }
}

// ---------------------------------------------------------------- preview (dashboard settings page)
const sample = (seq: number, role: ChatMessage["role"], body: string): ChatMessage => ({ seq, id: `p${seq}`, client_id: null, role, author_id: null, author_name: null, body, citations: null, created_at: new Date().toISOString() });
function previewChat() {
  view = "chat";
  connected = true;
  conv = { id: "preview", status: "open", assignee_id: null, assignee_name: null, csat_rating: null, last_seq: 2 };
  // The sample pair is rebuilt every time so a language change re-translates it; anything typed
  // into the preview (seq 3+) stays.
  messages.set(1, sample(1, "visitor", t.sampleQ));
  messages.set(2, sample(2, "ai", t.sampleA));
  lastSeq = Math.max(lastSeq, 2);
  render();
}
function preview(d: { config?: Partial<Config>; theme?: string }) {
  cfg = { tenant: { id: "", name: "" }, title: "", logo_url: null, color: "#4f46e5", position: "right", theme: "auto", locale: "en", greeting: "", prechat: { enabled: false, name: "off", email: "off" }, ai_enabled: true, ai_engine: "local", identity_required: false, agents_online: 1, max_message_chars: 4000, ...d.config } as Config;
  hostTheme = d.theme === "dark" ? "dark" : "light";
  aiEngine = cfg.ai_engine;
  applyTheme();
  // What a visitor sees first: the pre-chat form when one is configured, else a sample exchange.
  const pc = cfg.prechat;
  if (pc.enabled && (pc.name !== "off" || pc.email !== "off")) (view = "home"), render();
  else previewChat();
}

if (window.parent === window || !HOST) {
  app.textContent = "This page is the Weft chat widget; it only works embedded in a site.";
} else {
  let booted = false;
  addEventListener("message", (e: MessageEvent) => {
    if (e.origin !== HOST || e.source !== window.parent) return;
    const d = e.data as { weft?: number; type?: string; identity?: unknown; theme?: string; open?: boolean; page_url?: string };
    if (!d || d.weft !== 1) return;
    if (PREVIEW) {
      if (d.type === "preview") preview(d as { config?: Partial<Config>; theme?: string });
    } else if (d.type === "init" && !booted) {
      booted = true;
      identity = d.identity ?? null;
      hostTheme = d.theme === "dark" ? "dark" : "light";
      panelOpen = !!d.open;
      pageUrl = typeof d.page_url === "string" && /^https?:/.test(d.page_url) ? d.page_url.slice(0, 2000) : undefined;
      void boot();
    } else if (d.type === "identify") {
      identity = d.identity ?? null;
      void startVisitor().then(loadConversations).then(render).catch(() => {});
    } else if (d.type === "visibility") {
      panelOpen = !!d.open;
      if (panelOpen) {
        unread = 0;
        toHost({ type: "unread", n: 0 });
        focusComposer();
      }
    }
  });
  addEventListener("keydown", (e) => e.key === "Escape" && toHost({ type: "close" }));
  addEventListener("online", () => conv && !ws && connect(conv.id));
  toHost({ type: "ready" });
}
