/** The conversation view: the message log (with queued, streaming and typing lines), status
 * notes, the offline / CSAT forms when they apply, and the composer while it is not closed. */
import type { ChatMessage } from "../../../workers/modules/chat/protocol";
import { begin } from "../actions";
import { h } from "../dom";
import { renderMarkdown } from "../markdown";
import { pending, state } from "../state";
import { composer } from "./composer";
import { csatForm, offlineForm } from "./forms";

function bubble(m: ChatMessage): HTMLElement {
  const { cfg, t } = state;
  // System lines in the visitor's language (the stored body is English for the team).
  if (m.role === "system") return h("li", { class: "sys" }, m.system ? t.sys[m.system.code](m.system.name ?? "") : m.body);
  const mine = m.role === "visitor";
  const local = state.aiEngine === "local" || !!m.author_name?.includes("(local)");
  const who = mine ? t.you : m.role === "ai" ? `${t.assistant}${local ? ` · ${t.local}` : ""}` : (m.author_name ?? cfg.title);
  return h(
    "li",
    { class: `m ${mine ? "me" : m.role}` },
    h("span", { class: "who" }, who),
    h("div", { class: "bd", html: mine ? undefined : renderMarkdown(m.body) }, mine ? m.body : null),
    m.citations?.length
      ? h(
          "div",
          { class: "cit" },
          h("span", {}, `${t.sources}:`),
          h(
            "ol",
            {},
            m.citations.map((c) =>
              h(
                "li",
                {},
                c.url && /^https?:\/\//.test(c.url)
                  ? h("a", { href: c.url, target: "_blank", rel: "noopener noreferrer" }, c.title)
                  : c.title,
              ),
            ),
          ),
        )
      : null,
  );
}

function log(): HTMLElement {
  const { cfg, t, conv, streaming } = state;
  const list = h("ol", { class: "log", role: "log", "aria-live": "polite", "aria-label": cfg.title, "data-conv": conv!.id });
  list.append(h("li", { class: "m ai greet" }, h("div", { class: "bd" }, cfg.greeting)));
  // The hand-off line is left out: the localised "waiting" status note below says it where it matters.
  for (const m of [...state.messages.values()].sort((a, b) => a.seq - b.seq)) if (m.system?.code !== "waiting") list.append(bubble(m));
  for (const p of pending.filter((p) => p.conv === conv!.id))
    list.append(
      h(
        "li",
        { class: "m me pend" },
        h("span", { class: "who" }, t.you),
        h("div", { class: "bd" }, p.body),
        !state.connected ? h("span", { class: "fail" }, t.failed) : null,
      ),
    );
  if (streaming)
    list.append(
      h(
        "li",
        { class: "m ai", "aria-busy": "true" },
        h("span", { class: "who" }, t.assistant),
        h(
          "div",
          { class: "bd", html: streaming.text ? renderMarkdown(streaming.text) : undefined },
          streaming.text ? null : h("span", { class: "dots" }, "•••"),
        ),
      ),
    );
  if (state.agentTyping) list.append(h("li", { class: "typing" }, `${conv!.assignee_name ?? cfg.title} ${t.typing}`));
  return list;
}

export function chatView(): HTMLElement[] {
  const { cfg, t } = state;
  const c = state.conv!;
  const out: HTMLElement[] = [log()];
  if (!state.connected) out.push(h("p", { class: "note", role: "status" }, t.reconnecting));
  if (state.notice) out.push(h("p", { class: "note err", role: "alert" }, state.notice));
  if (c.status === "waiting") {
    out.push(h("p", { class: "note", role: "status" }, t.waiting));
    if (!cfg.agents_online) out.push(offlineForm());
  }
  if (c.status === "closed") {
    out.push(h("p", { class: "note" }, t.closed));
    out.push(c.csat_rating || state.csatDone ? h("p", { class: "note ok", role: "status" }, t.thanks) : csatForm());
    out.push(h("button", { type: "button", class: "btn", onclick: () => void begin() }, t.newChat));
    return out;
  }
  return out.concat(composer(c.status));
}
