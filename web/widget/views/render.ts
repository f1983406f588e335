/**
 * Redraws the whole panel for the current view. Any server event redraws, so what the visitor is
 * typing into a form (offline message, pre-chat fields, CSAT comment) is carried over by element
 * id, as is focus; the composer keeps its own draft. The message log follows new messages only
 * while the visitor is at its bottom: someone reading earlier messages is not yanked down.
 */
import { h } from "../dom";
import { app, state } from "../state";
import { chatView } from "./chat";
import { header } from "./header";
import { historyView, homeView } from "./home";

export function renderApp() {
  if (!state.cfg) return;
  const focused = document.activeElement?.id;
  const typed = new Map<string, string>();
  for (const el of app.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>("input[id], textarea[id]"))
    if (el.value && el.id !== "composer") typed.set(el.id, el.value);
  const oldLog = app.querySelector<HTMLElement>(".log");
  const scrolledUp = oldLog && oldLog.dataset.conv === state.conv?.id && oldLog.scrollHeight - oldLog.scrollTop - oldLog.clientHeight > 40;
  const keepScroll = scrolledUp ? oldLog.scrollTop : null;
  let body: HTMLElement[];
  if (state.view === "chat" && state.conv) body = chatView();
  else if (state.view === "history") body = historyView();
  else body = homeView();
  app.replaceChildren(header(), h("main", { class: `bdy v-${state.view}` }, body));
  for (const [id, value] of typed) {
    const el = document.getElementById(id) as HTMLInputElement | HTMLTextAreaElement | null;
    if (el && !el.value && "value" in el) el.value = value;
  }
  if (focused) (document.getElementById(focused) as HTMLElement | null)?.focus();
  const log = app.querySelector<HTMLElement>(".log");
  if (log) log.scrollTop = keepScroll ?? log.scrollHeight;
}
