import { Hono } from "hono";
import type { AppEnv } from "../../../platform/context";
import { Problem } from "../../../platform/errors";
import { canStartTopic, type CategoryRow } from "../access";
import { readableCategories } from "../categories.service";
import { deleteDraft } from "../reading.service";
import { createTopic } from "../topics.create";
import { forumCtxOf, formOf, needSignIn, problemJson, wantsJson, whoOf } from "./actions.page";
import { type PageCtx, pageCtx, shellOf } from "./context";
import { alert, esc, page } from "./layout";
import { topicPath } from "./lists.view";

/**
 * Starting a topic (`/new?category=`): category, title (the script lists similar topics while you
 * type), question or discussion, body (a draft saved as you type). A plain form post; a refused one
 * comes back with what was typed and why.
 */
export const composePages = new Hono<AppEnv>();

interface Typed {
  categoryId?: string;
  title?: string;
  body?: string;
  kind?: string;
  error?: string;
}

function composeBody(p: PageCtx, cats: CategoryRow[], t: Typed): string {
  const chosen = cats.find((c) => c.id === t.categoryId) ?? cats[0];
  const options = cats
    .map(
      (c) =>
        `<option value="${esc(c.id)}"${c.id === chosen?.id ? " selected" : ""} data-questions="${c.questions}">${esc(c.name)}</option>`,
    )
    .join("");
  const question = t.kind ? t.kind === "question" : (chosen?.questions ?? false);
  return `<p class="muted"><a href="${p.base}">Community</a> ›</p><h1>New topic</h1>${alert(t.error)}
<form method="post" action="${p.base}/new" class="card" data-draft="topic:${esc(chosen?.id ?? "")}" data-draft-title>
<label for="category">Category</label><select id="category" name="category_id" required>${options}</select>
<label for="title">Title</label><input id="title" name="title" required minlength="3" maxlength="200" value="${esc(t.title ?? "")}" data-similar aria-describedby="similar-h" autocomplete="off">
<div id="similar" aria-live="polite"><p id="similar-h" class="sr">Similar topics appear here as you type.</p></div>
<fieldset><legend>Kind</legend><label><input type="radio" name="kind" value="question"${question ? " checked" : ""}> Question (answers can be accepted)</label>
<label><input type="radio" name="kind" value="discussion"${question ? "" : " checked"}> Discussion</label></fieldset>
<label for="body">Body</label><textarea id="body" name="body" required maxlength="50000" data-mentions aria-describedby="body-hint">${esc(t.body ?? "")}</textarea>
<p id="body-hint" class="muted">Markdown works. Mention someone with @name. <span data-draft-status aria-live="polite"></span></p>
<button type="submit" class="primary">Post topic</button></form>`;
}

async function startable(p: PageCtx) {
  return (await readableCategories(p.db, p.tenantId, p.viewer)).filter((c) => canStartTopic(c, p.viewer));
}

composePages.get("/:slug/new", async (c) => {
  const p = await pageCtx(c);
  const url = new URL(c.req.url);
  const signIn = needSignIn(c, p, `${url.pathname}${url.search}`);
  if (signIn) return signIn;
  const cats = await startable(p);
  if (!cats.length)
    return c.html(
      page(
        shellOf(p, "New topic", { noindex: true }),
        `<h1>New topic</h1><p class="muted">There is no category you can start a topic in.</p>`,
      ),
      403,
    );
  return c.html(page(shellOf(p, "New topic", { noindex: true }), composeBody(p, cats, { categoryId: c.req.query("category") })));
});

composePages.post("/:slug/new", async (c) => {
  const p = await pageCtx(c);
  const signIn = needSignIn(c, p, `${p.base}/new`);
  if (signIn) return signIn;
  const f = await formOf(c);
  const input = {
    category_id: f.category_id ?? "",
    title: (f.title ?? "").trim(),
    body: f.body ?? "",
    kind: f.kind === "question" ? ("question" as const) : ("discussion" as const),
  };
  try {
    if (input.title.length < 3 || input.title.length > 200)
      throw new Problem(400, "bad-request", "Bad request", "Give the topic a title of 3 to 200 characters.", {
        errors: [{ field: "title" }],
      });
    if (!input.body.trim())
      throw new Problem(400, "bad-request", "Bad request", "Write something in the body.", { errors: [{ field: "body" }] });
    const { topic } = await createTopic(c.env, p.db, forumCtxOf(p), p.viewer, input, whoOf(p));
    await deleteDraft(p.db, p.tenantId, topic.authorId, `topic:${topic.categoryId}`);
    if (wantsJson(c)) return c.json({ id: topic.id, status: topic.status, url: topicPath(p.base, topic) }, 201);
    return c.redirect(topicPath(p.base, topic), 303);
  } catch (e) {
    if (!(e instanceof Problem) || e.status >= 500) throw e;
    if (wantsJson(c)) return problemJson(c, e);
    const cats = await startable(p);
    const typed = {
      categoryId: input.category_id,
      title: input.title,
      body: input.body,
      kind: input.kind,
      error: e.status === 404 ? "Choose a category." : (e.detail ?? e.title),
    };
    return c.html(
      page(shellOf(p, "New topic", { noindex: true }), composeBody(p, cats, typed)),
      e.status === 404 ? 400 : (e.status as 400),
    );
  }
});
