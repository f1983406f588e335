/** Redraws the whole panel for the current view, keeping focus on the element that had it. */
import { h } from "../dom";
import { app, state } from "../state";
import { chatView } from "./chat";
import { header } from "./header";
import { historyView, homeView } from "./home";

export function renderApp() {
  if (!state.cfg) return;
  const focused = document.activeElement?.id;
  let body: HTMLElement[];
  if (state.view === "chat" && state.conv) body = chatView();
  else if (state.view === "history") body = historyView();
  else body = homeView();
  app.replaceChildren(header(), h("main", { class: `bdy v-${state.view}` }, body));
  if (focused) (document.getElementById(focused) as HTMLElement | null)?.focus();
}
