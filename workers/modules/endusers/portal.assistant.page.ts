import { Hono } from "hono";
import type { AppEnv } from "../../platform/context";
import { Problem } from "../../platform/errors";
import { esc } from "./portal.markup";
import { session, signIn, type Session } from "./portal.account.page";
import { type ActionView, type AssistantReply, ask, cancelAction, confirmAction, listActions } from "./portal.assistant";
import { alert, base, notice, shell, when, type View } from "./portal.views";

/**
 * The assistant's hosted page (/portal/<slug>/assistant): a question box; the answer with its
 * sources; a write tool's proposal with "Yes, do it" / "No, thanks" (each a POST naming the action
 * id — the server runs only a proposal of this end user, once); the log of what it did.
 */
export const portalAssistantPages = new Hono<AppEnv>();

function assistantView(v: View, o: { reply?: AssistantReply; question?: string; msg?: string; error?: string; log: ActionView[] }) {
  const r = o.reply;
  const proposal =
    r?.action?.status === "proposed"
      ? `<p class="muted">${esc(v.t.proposalNote)}</p><div class="row"><form method="post" action="${base(v)}/assistant/actions/${esc(r.action.id)}/confirm"><button type="submit">${esc(
          v.t.confirmButton,
        )}</button></form><form method="post" action="${base(v)}/assistant/actions/${esc(r.action.id)}/cancel"><button type="submit" class="secondary">${esc(v.t.cancelButton)}</button></form></div>`
      : "";
  const sources = r?.citations.length
    ? `<p class="meta">${esc(v.t.sources)}: ${r.citations.map((c) => (c.url ? `<a href="${esc(c.url)}">[${c.n}] ${esc(c.title)}</a>` : `[${c.n}] ${esc(c.title)}`)).join(" · ")}</p>`
    : "";
  const answer = r
    ? `<section aria-live="polite"><p class="meta">${esc(o.question ?? "")}</p><div class="msg agent"><p>${esc(r.answer)}</p>${sources}</div>${proposal}</section>`
    : "";
  const log = o.log.length
    ? `<h2>${esc(v.t.history)}</h2><ul class="rows">${o.log
        .map(
          (a) =>
            `<li>${esc(a.tool.replace("_", " "))} <span class="badge">${esc(a.status)}</span><span class="meta">${when(a.created_at, v.lang)}</span></li>`,
        )
        .join("")}</ul>`
    : "";
  return shell(
    v,
    "assistant",
    v.t.assistant,
    `<h1>${esc(v.t.assistant)}</h1>${notice(o.msg)}${alert(o.error)}${answer}
<form method="post" action="${base(v)}/assistant"><label for="q">${esc(v.t.askLabel)}</label><textarea id="q" name="message" required maxlength="2000"></textarea><button type="submit">${esc(v.t.askButton)}</button></form>${log}`,
  );
}

const me = (s: Session) => ({ tenantId: s.ctx.site.tenantId, id: s.user.id, name: s.user.name, email: s.user.email });
const problemText = (e: unknown) => {
  if (e instanceof Problem) return e.detail ?? e.title;
  throw e;
};

portalAssistantPages.get("/:slug/assistant", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  return c.html(assistantView(s.v, { log: await listActions(s.ctx.db, me(s), 10) }));
});

portalAssistantPages.post("/:slug/assistant", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  const body = await c.req.parseBody();
  const question = (typeof body.message === "string" ? body.message : "").trim().slice(0, 2000);
  if (!question) return c.html(assistantView(s.v, { error: "Write a question.", log: await listActions(s.ctx.db, me(s), 10) }), 400);
  const reply = await ask(c.env, s.ctx.db, me(s), question);
  return c.html(assistantView(s.v, { reply, question, log: await listActions(s.ctx.db, me(s), 10) }));
});

portalAssistantPages.post("/:slug/assistant/actions/:id/:decision{confirm|cancel}", async (c) => {
  const s = await session(c);
  if (!s) return signIn(c);
  const id = c.req.param("id");
  let msg: string | undefined;
  let error: string | undefined;
  try {
    const a =
      c.req.param("decision") === "confirm" ? await confirmAction(c.env, s.ctx.db, me(s), id) : await cancelAction(s.ctx.db, me(s), id);
    msg = a.status === "done" ? s.v.t.actionDone : s.v.t.actionCancelled;
  } catch (e) {
    error = problemText(e);
  }
  return c.html(assistantView(s.v, { msg, error, log: await listActions(s.ctx.db, me(s), 10) }), error ? 409 : 200);
});
