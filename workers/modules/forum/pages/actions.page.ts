import type { Context } from "hono";
import { Hono } from "hono";
import { actorOf } from "../../../platform/audit";
import type { AppEnv } from "../../../platform/context";
import { Problem } from "../../../platform/errors";
import { clientIp } from "../../../platform/request";
import { isModerator, viewerId } from "../access";
import type { Moderator } from "../moderation.core";
import { POST_ACTIONS, postAction, topicAction, type PostAction } from "../moderation.service";
import { TOPIC_ACTIONS, type TopicAction } from "../moderation.topics";
import { acceptAnswer, editPost, getPostRow, reply, unacceptAnswer } from "../posts.service";
import { deleteDraft } from "../reading.service";
import { getTopicRow, type ForumCtx } from "../topics.service";
import { type PageCtx, pageCtx } from "./context";
import { setFlash } from "./flash";
import { topicPath } from "./lists.view";
import { renderTopicPage, signInHref } from "./topic.page";

/**
 * The topic page's form posts: reply, edit, accept/unaccept, moderator actions. Each is a plain
 * form that answers 303 back to the topic (an error comes back as a one-time flash cookie; a refused reply is
 * re-rendered with its text). The enhancing script sends the same requests with
 * `Accept: application/json` and gets JSON (problem+json on error) instead of the redirect.
 * Cross-site posts were refused by the router's middleware.
 */
export const communityActions = new Hono<AppEnv>();

export function forumCtxOf(p: PageCtx): ForumCtx {
  return {
    tenantId: p.tenantId,
    settings: p.settings,
    site: { origin: p.origin, slug: p.slug, title: p.settings.title },
    ip: clientIp(p.c),
  };
}
export const whoOf = (p: PageCtx) => (p.endUser ? { name: p.endUser.name, email: p.endUser.email } : undefined);
export const wantsJson = (c: Context<AppEnv>) => (c.req.header("Accept") ?? "").includes("application/json");

export async function formOf(c: Context<AppEnv>): Promise<Record<string, string>> {
  const ct = c.req.header("Content-Type") ?? "";
  if (ct.includes("application/json")) {
    const body = (await c.req.json().catch(() => ({}))) as Record<string, unknown>;
    return Object.fromEntries(
      Object.entries(body).map(([k, v]) => [k, typeof v === "string" ? v : typeof v === "number" ? String(v) : ""]),
    );
  }
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === "string" ? v : ""]));
}

/** A signed-in reader, or: JSON → 401 problem; a form → 303 to the portal's sign-in, coming back to `back`. */
export function needSignIn(c: Context<AppEnv>, p: PageCtx, back: string): Response | null {
  if (p.endUser) return null;
  if (wantsJson(c)) return problemJson(c, new Problem(401, "unauthorized", "Unauthorized", "Sign in to continue."));
  return c.redirect(signInHref(p.slug, back), 303);
}

export function problemJson(c: Context<AppEnv>, e: Problem) {
  return c.body(JSON.stringify(e.toBody(new URL(c.req.url).pathname)), e.status, {
    "Content-Type": "application/problem+json",
    ...e.headers,
  });
}

/**
 * Runs an action; answers JSON for the script, else 303 to `back` (with a flash error when a 4xx Problem
 * refused it). 404s stay 404 (another workspace's ids, a post the reader cannot see).
 */
export async function answer(c: Context<AppEnv>, back: string, run: () => Promise<unknown>, done?: string) {
  try {
    const result = await run();
    if (wantsJson(c)) return c.json(result ?? { ok: true });
    if (done) setFlash(c, "notice", done);
    return c.redirect(back, 303);
  } catch (e) {
    if (!(e instanceof Problem) || e.status >= 500) throw e;
    if (e.status === 404) throw e;
    if (wantsJson(c)) return problemJson(c, e);
    setFlash(c, "error", e.detail ?? e.title);
    return c.redirect(back, 303);
  }
}

/** The topic page (at the post) a post-level action comes back to; 404 for a post of another workspace. */
async function backToPost(p: PageCtx, postId: string) {
  const post = await getPostRow(p.db, p.tenantId, postId);
  const topic = await getTopicRow(p.db, p.tenantId, post.topicId);
  return { post, topic, back: `${topicPath(p.base, topic)}#post-${post.number}` };
}

const moderatorOf = (c: Context<AppEnv>, p: PageCtx): Moderator => ({
  id: viewerId(p.viewer) ?? "",
  kind: "enduser",
  actor: { ...actorOf(c), type: "system", id: null },
});

communityActions.post("/:slug/t/:topicSlug/:id/reply", async (c) => {
  const p = await pageCtx(c);
  const topicId = c.req.param("id");
  const signIn = needSignIn(c, p, `/community/${p.slug}/t/${c.req.param("topicSlug")}/${topicId}#reply`);
  if (signIn) return signIn;
  const f = await formOf(c);
  try {
    if (!(f.body ?? "").trim())
      throw new Problem(400, "bad-request", "Bad request", "Write something before replying.", { errors: [{ field: "body" }] });
    const { post, topic } = await reply(
      c.env,
      p.db,
      forumCtxOf(p),
      p.viewer,
      topicId,
      { body: f.body ?? "", reply_to_post_id: f.reply_to_post_id || null },
      whoOf(p),
    );
    const path = topicPath(p.base, topic);
    await deleteDraft(p.db, p.tenantId, post.authorId, `reply:${topic.id}`);
    if (wantsJson(c)) return c.json({ id: post.id, number: post.number, status: post.status, url: `${path}#post-${post.number}` }, 201);
    return c.redirect(`${path}?page=${Math.ceil(post.number / 50)}#post-${post.number}`.replace("?page=1#", "#"), 303);
  } catch (e) {
    if (!(e instanceof Problem) || e.status >= 500 || e.status === 404) throw e;
    if (wantsJson(c)) return problemJson(c, e);
    return renderTopicPage(c, p, topicId, { error: e.detail ?? e.title, replyBody: f.body ?? "", status: e.status as 400 });
  }
});

communityActions.post("/:slug/-/posts/:id/edit", async (c) => {
  const p = await pageCtx(c);
  const { back } = await backToPost(p, c.req.param("id"));
  const signIn = needSignIn(c, p, back);
  if (signIn) return signIn;
  const f = await formOf(c);
  return answer(c, back, () =>
    editPost(c.env, p.db, forumCtxOf(p), p.viewer, c.req.param("id"), {
      body: f.body ?? "",
      ...(f.title ? { title: f.title } : {}),
      ...(f.reason ? { reason: f.reason } : {}),
    }).then(() => ({ ok: true })),
  );
});

communityActions.post("/:slug/-/topics/:id/accept", async (c) => {
  const p = await pageCtx(c);
  const topic = await getTopicRow(p.db, p.tenantId, c.req.param("id"));
  const back = topicPath(p.base, topic);
  const signIn = needSignIn(c, p, back);
  if (signIn) return signIn;
  const f = await formOf(c);
  return answer(c, `${back}#accepted-answer`, () =>
    acceptAnswer(c.env, p.db, forumCtxOf(p), p.viewer, topic.id, f.post_id ?? "", whoOf(p)).then(() => ({ ok: true })),
  );
});

communityActions.post("/:slug/-/topics/:id/unaccept", async (c) => {
  const p = await pageCtx(c);
  const topic = await getTopicRow(p.db, p.tenantId, c.req.param("id"));
  const back = topicPath(p.base, topic);
  const signIn = needSignIn(c, p, back);
  if (signIn) return signIn;
  return answer(c, back, () => unacceptAnswer(c.env, p.db, forumCtxOf(p), p.viewer, topic.id).then(() => ({ ok: true })));
});

/** Promoted moderators (end users) act from the page; everyone else gets 404, as if there were no tools. */
communityActions.post("/:slug/-/moderation/posts/:id/:action", async (c) => {
  const p = await pageCtx(c);
  const action = c.req.param("action") as PostAction;
  if (!isModerator(p.viewer) || !POST_ACTIONS.includes(action)) throw new Problem(404, "not-found", "Not found", "Page was not found.");
  const { back } = await backToPost(p, c.req.param("id"));
  const f = await formOf(c);
  return answer(c, back, () => postAction(p.db, p.tenantId, moderatorOf(c, p), c.req.param("id"), action, f.reason || null));
});

communityActions.post("/:slug/-/moderation/topics/:id/:action", async (c) => {
  const p = await pageCtx(c);
  const action = c.req.param("action") as TopicAction;
  if (!isModerator(p.viewer) || !TOPIC_ACTIONS.includes(action) || action === "merge" || action === "move")
    throw new Problem(404, "not-found", "Not found", "Page was not found.");
  const topic = await getTopicRow(p.db, p.tenantId, c.req.param("id"));
  const f = await formOf(c);
  const scope = f.scope === "global" ? "global" : "category";
  return answer(c, topicPath(p.base, topic), () =>
    topicAction(p.db, p.tenantId, moderatorOf(c, p), topic.id, action, {
      reason: f.reason || null,
      ...(action === "pin" ? { scope } : {}),
    }),
  );
});
