/** The start page (greeting, resume the open conversation, pre-chat form or start button) and the
 * list of earlier conversations. */
import { begin, openConversation, tryStart } from "../actions";
import { field, h } from "../dom";
import { needsPrechat, render, state } from "../state";

export function homeView(): HTMLElement[] {
  const { cfg, t, conversations } = state;
  const pc = cfg.prechat;
  const open = conversations.filter((c) => c.status !== "closed");
  const out: HTMLElement[] = [h("div", { class: "greet card" }, h("p", {}, cfg.greeting))];
  if (open[0])
    out.push(
      h(
        "button",
        { type: "button", class: "btn", onclick: () => void openConversation(open[0]!.id) },
        `${t.back}: ${open[0].last_message?.slice(0, 40) ?? t.start}`,
      ),
    );
  if (needsPrechat(cfg)) {
    const f = h(
      "form",
      {
        class: "card",
        onsubmit: async (e: Event) => {
          e.preventDefault();
          const fd = new FormData(f);
          await tryStart({ name: (fd.get("name") as string) || undefined, email: (fd.get("email") as string) || undefined });
        },
      },
      field("name", t.name, "text", pc.name),
      field("email", t.email, "email", pc.email),
      h("button", { type: "submit", class: "btn" }, t.start),
    );
    out.push(f);
  } else out.push(h("button", { type: "button", class: "btn", onclick: () => void tryStart() }, t.start));
  if (state.notice) out.push(h("p", { class: "note err", role: "alert" }, state.notice));
  if (conversations.length)
    out.push(h("button", { type: "button", class: "link", onclick: () => ((state.view = "history"), render()) }, t.earlier));
  return out;
}

export function historyView(): HTMLElement[] {
  const { t, conversations } = state;
  return [
    h("h2", { class: "sub" }, t.earlier),
    conversations.length
      ? h(
          "ul",
          { class: "hist" },
          conversations.map((c) =>
            h(
              "li",
              {},
              h(
                "button",
                { type: "button", onclick: () => void openConversation(c.id) },
                h("span", {}, c.last_message ?? "…"),
                h("time", { datetime: c.last_message_at }, new Date(c.last_message_at).toLocaleString()),
              ),
            ),
          ),
        )
      : h("p", { class: "note" }, t.none),
    h("button", { type: "button", class: "btn", onclick: () => void begin() }, t.newChat),
  ];
}
