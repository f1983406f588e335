/** The offline form (a conversation waits and nobody is online) and the CSAT form (after close). */
import { api } from "../api";
import { sendAction } from "../connection";
import { field, h } from "../dom";
import { render, state } from "../state";

export function offlineForm(): HTMLElement {
  const { cfg, t } = state;
  if (state.offlineSent) return h("p", { class: "note ok", role: "status" }, t.offlineDone);
  const f = h(
    "form",
    {
      class: "card",
      "aria-labelledby": "off-t",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const fd = new FormData(f);
        try {
          await api("POST", "/offline", {
            name: (fd.get("name") as string) || undefined,
            email: fd.get("email"),
            message: fd.get("msg"),
            page_url: state.pageUrl,
          });
          state.offlineSent = true;
          render();
        } catch (err) {
          f.querySelector(".err")?.remove();
          f.append(h("p", { class: "note err", role: "alert" }, (err as Error).message));
        }
      },
    },
    h("h2", { id: "off-t" }, t.offlineTitle),
    h("p", {}, t.offlineBody),
    field("name", t.name, "text", "optional"),
    field("email", t.email, "email", "required"),
    field("msg", t.message, "textarea", "required", { rows: 3, maxlength: cfg.max_message_chars }),
    h("button", { type: "submit", class: "btn" }, t.offlineSend),
  );
  return f;
}

export function csatForm(): HTMLElement {
  const { t } = state;
  const stars = h("div", { class: "stars", role: "radiogroup", "aria-label": t.rate });
  const draw = () =>
    stars.replaceChildren(
      ...[1, 2, 3, 4, 5].map((n) =>
        h(
          "button",
          {
            type: "button",
            role: "radio",
            "aria-checked": String(n === state.csatRating),
            "aria-label": t.stars(n),
            class: n <= state.csatRating ? "on" : "",
            onclick: () => ((state.csatRating = n), draw(), (stars.querySelector(`[aria-label="${t.stars(n)}"]`) as HTMLElement)?.focus()),
          },
          "★",
        ),
      ),
    );
  draw();
  const comment = h("textarea", { id: "csat-c", rows: 2, maxlength: 1000 }) as HTMLTextAreaElement;
  return h(
    "form",
    {
      class: "card",
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const { conv, csatRating: rating } = state;
        if (!rating || !conv) return;
        await api("POST", `/conversations/${conv.id}/csat`, { rating, comment: comment.value || undefined }).catch(() =>
          sendAction({ type: "csat", rating, comment: comment.value || undefined }),
        );
        state.csatDone = true;
        render();
      },
    },
    h("h2", {}, t.rate),
    stars,
    h("label", { class: "fld", for: "csat-c" }, h("span", {}, t.comment), comment),
    h("button", { type: "submit", class: "btn" }, t.submit),
  );
}
