/**
 * Weft chat loader (budget: 3 KB gzip). Installed with
 *   <script src="https://<weft>/widget.js" data-key="pk_live_…" async></script>
 * Draws the launcher in a closed shadow root (host CSS cannot reach it) and lazily injects the
 * chat UI as an iframe served from Weft's origin, so the host page never sees the visitor token
 * or the socket. Messages with the iframe use exact target origins and are origin-checked.
 *
 * API: window.Weft("identify", { jwt } | { user_id, user_hash, email?, name? }), Weft("open"), Weft("close").
 */
type Cmd = [string, unknown];
interface WeftFn {
  (cmd: string, arg?: unknown): void;
  q?: Cmd[];
}

(() => {
  const w = window as unknown as { Weft?: WeftFn; __weftLoaded?: boolean };
  if (w.__weftLoaded) return;
  w.__weftLoaded = true;
  const script = (document.currentScript || document.querySelector("script[data-key][src*='widget.js']")) as HTMLScriptElement | null;
  const key = script?.dataset.key;
  if (!script || !key) return console.warn("Weft: the widget script needs data-key");
  const base = new URL(script.src).origin;
  const store = `weft:${key}:active`;
  let identity: unknown = null;
  let frame: HTMLIFrameElement | null = null;
  let ready = false;
  let open = false;
  let color = "#4f46e5";
  let side = "right";

  const host = document.createElement("div");
  host.setAttribute("data-weft-chat", "");
  const root = host.attachShadow({ mode: "closed" });
  const css = document.createElement("style");
  root.appendChild(css);
  const btn = document.createElement("button");
  btn.type = "button";
  btn.className = "l";
  btn.setAttribute("aria-label", "Open chat");
  btn.setAttribute("aria-expanded", "false");
  btn.innerHTML =
    '<svg width="26" height="26" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true"><path d="M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2z"/></svg><span class="b" hidden></span>';
  const badge = btn.querySelector(".b") as HTMLSpanElement;
  const panel = document.createElement("div");
  panel.className = "p";
  panel.hidden = true;
  root.append(panel, btn);

  const style = () => {
    css.textContent = `:host{all:initial}.l{position:fixed;bottom:20px;${side}:20px;z-index:2147483646;width:56px;height:56px;border-radius:50%;border:0;background:${color};color:#fff;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);display:flex;align-items:center;justify-content:center}.l:focus-visible{outline:3px solid ${color};outline-offset:3px}.b{position:absolute;top:-2px;right:-2px;min-width:20px;height:20px;padding:0 5px;box-sizing:border-box;border-radius:10px;background:#dc2626;color:#fff;font:600 12px/20px system-ui,sans-serif}.p{position:fixed;bottom:88px;${side}:20px;z-index:2147483647;width:380px;height:min(620px,calc(100vh - 110px));border-radius:14px;overflow:hidden;box-shadow:0 10px 40px rgba(0,0,0,.3);background:#fff}.p iframe{border:0;width:100%;height:100%;display:block}@media (max-width:480px){.p{inset:0;width:100%;height:100%;border-radius:0}}`;
  };
  style();

  const hostTheme = () => {
    const d = document.documentElement;
    if (d.classList.contains("dark") || d.dataset.theme === "dark") return "dark";
    if (d.classList.contains("light") || d.dataset.theme === "light") return "light";
    return matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
  };
  const post = (msg: Record<string, unknown>) => frame?.contentWindow?.postMessage({ weft: 1, ...msg }, base);

  const inject = () => {
    if (frame) return;
    frame = document.createElement("iframe");
    frame.title = "Chat";
    frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-forms allow-popups allow-popups-to-escape-sandbox");
    frame.setAttribute("allow", "clipboard-write");
    frame.src = `${base}/widget/frame?key=${encodeURIComponent(key)}&origin=${encodeURIComponent(location.origin)}`;
    panel.appendChild(frame);
  };
  const setOpen = (v: boolean) => {
    open = v;
    if (v) inject();
    panel.hidden = !v;
    btn.setAttribute("aria-expanded", String(v));
    btn.setAttribute("aria-label", v ? "Close chat" : "Open chat");
    if (ready) post({ type: "visibility", open: v });
    if (!v) btn.focus();
  };
  btn.addEventListener("click", () => setOpen(!open));

  addEventListener("message", (e: MessageEvent) => {
    if (!frame || e.origin !== base || e.source !== frame.contentWindow) return;
    const d = e.data as { weft?: number; type?: string; n?: number; active?: boolean };
    if (!d || d.weft !== 1) return;
    if (d.type === "ready") {
      ready = true;
      post({ type: "init", identity, theme: hostTheme(), open, page_url: location.href });
    } else if (d.type === "unread") {
      badge.hidden = !d.n;
      badge.textContent = d.n ? String(d.n > 99 ? "99+" : d.n) : "";
    } else if (d.type === "close") setOpen(false);
    else if (d.type === "active") {
      if (d.active) localStorage.setItem(store, "1");
      else localStorage.removeItem(store);
    }
  });

  const api: WeftFn = (cmd, arg) => {
    if (cmd === "identify") {
      identity = arg;
      if (ready) post({ type: "identify", identity });
    } else if (cmd === "open") setOpen(true);
    else if (cmd === "close") setOpen(false);
  };
  const queued = w.Weft?.q ?? [];
  w.Weft = api;
  for (const [c, a] of queued) api(c, a);

  const start = () => {
    document.body.appendChild(host);
    fetch(`${base}/public/v1/chat/config?key=${encodeURIComponent(key)}`)
      .then((r) => (r.ok ? r.json() : Promise.reject(r.status)))
      .then((c: { color: string; position: string }) => {
        color = c.color;
        side = c.position === "left" ? "left" : "right";
        style();
      })
      .catch(() => {
        host.remove(); // not allowed on this origin: show nothing rather than a broken widget
      });
    // A conversation in progress: connect in the background so replies raise the unread badge.
    try {
      if (localStorage.getItem(store)) inject();
    } catch {
      /* storage blocked */
    }
  };
  if (document.body) start();
  else addEventListener("DOMContentLoaded", start);
})();
