/**
 * The chat UI inside the widget iframe (served from Weft's origin; budget 30 KB gzip, plain TS).
 * Holds the visitor token in this origin's storage and talks to the ChatSession over a WebSocket
 * (connection.ts). This entry boots it once the host page's loader says "init", and accepts
 * messages only from that exact origin and from the parent window.
 *
 * Modules: state.ts (shared state, storage, host channel), dom.ts, api.ts, connection.ts,
 * actions.ts, views/ (render + theme), preview.ts (the dashboard's settings preview).
 */
import { openConversation } from "./actions";
import { api, loadConversations, startVisitor } from "./api";
import { connect } from "./connection";
import { h } from "./dom";
import { preview } from "./preview";
import { HOST, PREVIEW, app, render, setRenderer, state, toHost, type Config } from "./state";
import { focusComposer } from "./views/composer";
import { renderApp } from "./views/render";
import { applyTheme } from "./views/theme";

setRenderer(renderApp);

async function boot() {
  try {
    state.cfg = await api<Config>("GET", "/config");
    applyTheme();
    await startVisitor();
    await loadConversations();
    const current = state.conversations.find((c) => c.status !== "closed");
    toHost({ type: "active", active: !!current });
    if (current) await openConversation(current.id);
    else render();
  } catch (e) {
    app.replaceChildren(h("p", { class: "note err", role: "alert" }, (e as Error).message || state.t.error));
  }
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
      state.identity = d.identity ?? null;
      state.hostTheme = d.theme === "dark" ? "dark" : "light";
      state.panelOpen = !!d.open;
      state.pageUrl = typeof d.page_url === "string" && /^https?:/.test(d.page_url) ? d.page_url.slice(0, 2000) : undefined;
      void boot();
    } else if (d.type === "identify") {
      state.identity = d.identity ?? null;
      void startVisitor()
        .then(loadConversations)
        .then(render)
        .catch(() => {});
    } else if (d.type === "visibility") {
      state.panelOpen = !!d.open;
      if (state.panelOpen) {
        state.unread = 0;
        toHost({ type: "unread", n: 0 });
        focusComposer();
      }
    }
  });
  addEventListener("keydown", (e) => e.key === "Escape" && toHost({ type: "close" }));
  addEventListener("online", () => state.conv && !state.ws && connect(state.conv.id));
  toHost({ type: "ready" });
}
