/** The composer: end-conversation confirmation, hand-off / end links, and the message box, which
 * keeps its draft across redraws and tells the agent while the visitor is typing. */
import { sendText } from "../actions";
import { sendAction, wsSend } from "../connection";
import { h, icon } from "../dom";
import { render, state } from "../state";

let draft = "";
let typingTimer: ReturnType<typeof setTimeout> | undefined;
let typingSent = false;

export const focusComposer = () => queueMicrotask(() => (document.getElementById("composer") as HTMLTextAreaElement | null)?.focus());

export function composer(status: string): HTMLElement[] {
  const { cfg, t } = state;
  const out: HTMLElement[] = [];
  if (state.confirmEnd) {
    out.push(
      h(
        "div",
        { class: "confirm", role: "alertdialog", "aria-label": t.endConfirm },
        h("p", {}, t.endConfirm),
        h(
          "button",
          { type: "button", class: "btn", onclick: () => ((state.confirmEnd = false), sendAction({ type: "close" }), render()) },
          t.yes,
        ),
        h("button", { type: "button", class: "btn sec", onclick: () => ((state.confirmEnd = false), render()) }, t.no),
      ),
    );
  }
  const ta = h("textarea", {
    id: "composer",
    rows: 1,
    maxlength: cfg.max_message_chars,
    placeholder: t.placeholder,
    "aria-label": t.message,
  }) as HTMLTextAreaElement;
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
    {
      class: "cmp",
      onsubmit: (e: Event) => {
        e.preventDefault();
        const body = ta.value.trim();
        if (!body) return;
        draft = "";
        typingSent = false;
        wsSend({ type: "typing", on: false });
        sendText(body);
        focusComposer();
      },
    },
    ta,
    h(
      "button",
      { type: "submit", class: "send", "aria-label": t.send, title: t.send },
      icon('<path d="m22 2-7 20-4-9-9-4Z"/><path d="M22 2 11 13"/>'),
    ),
  );
  const actions = h(
    "div",
    { class: "acts" },
    status === "open" ? h("button", { type: "button", class: "link", onclick: () => sendAction({ type: "handoff" }) }, t.human) : null,
    h("button", { type: "button", class: "link", onclick: () => ((state.confirmEnd = true), render()) }, t.end),
  );
  out.push(actions, form);
  return out;
}
