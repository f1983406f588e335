/** The panel header: logo, title, agents online, and the history / close buttons. */
import { loadConversations } from "../api";
import { h, icon } from "../dom";
import { PREVIEW, render, state, toHost } from "../state";

export function header(): HTMLElement {
  const { cfg, t } = state;
  const online = cfg.agents_online;
  return h(
    "header",
    { class: "hd" },
    cfg.logo_url
      ? h("img", { src: cfg.logo_url, alt: "", class: "logo" })
      : h("span", { class: "logo ph", "aria-hidden": "true" }, cfg.title.slice(0, 1).toUpperCase()),
    h(
      "div",
      { class: "ht" },
      h("h1", {}, cfg.title),
      h("p", { class: "st" }, h("span", { class: online ? "dot on" : "dot" }), t.online(online)),
    ),
    state.view === "chat"
      ? h(
          "button",
          { type: "button", class: "ib", "aria-label": t.earlier, title: t.earlier, onclick: showHistory },
          icon('<path d="M3 12h18M3 6h18M3 18h18"/>'),
        )
      : null,
    h(
      "button",
      { type: "button", class: "ib", "aria-label": t.close, title: t.close, onclick: () => toHost({ type: "close" }) },
      icon('<path d="M18 6 6 18M6 6l12 12"/>'),
    ),
  );
}

/** Earlier conversations: shown at once, refreshed from the server (the preview has no network). */
function showHistory() {
  state.view = "history";
  render();
  if (!PREVIEW) void loadConversations().then(render, () => {});
}
