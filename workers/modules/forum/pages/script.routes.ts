import { Hono } from "hono";
import { actorOf } from "../../../platform/audit";
import type { AppEnv } from "../../../platform/context";
import { Problem } from "../../../platform/errors";
import { FORUM_FLAG_REASONS, type ForumFlagReason } from "../../../../schema/forum-moderation";
import { viewerId } from "../access";
import { createFlag } from "../flags.service";
import { actingMember, mentionCandidates } from "../members.service";
import { isReaction, setReaction, vote } from "../reactions.service";
import { deleteDraft, getDraft, putDraft, recordTimings } from "../reading.service";
import { similarTopics } from "../search.service";
import { getPostRow } from "../posts.service";
import { getTopicRow } from "../topics.service";
import { answer, formOf, needSignIn, wantsJson, whoOf } from "./actions.page";
import { type PageCtx, pageCtx } from "./context";
import { topicPath } from "./lists.view";

/**
 * What the enhancing script calls (cookie session, same-origin only — the router refuses
 * cross-site requests), and the no-script forms for reactions, votes and flags, which post to the
 * same URLs and get a 303 back to the post. Under `/community/<slug>/-/…`.
 */
export const scriptRoutes = new Hono<AppEnv>();

const notFound = () => new Problem(404, "not-found", "Not found", "Page was not found.");

async function postBack(p: PageCtx, postId: string) {
  const post = await getPostRow(p.db, p.tenantId, postId);
  const topic = await getTopicRow(p.db, p.tenantId, post.topicId);
  return `${topicPath(p.base, topic)}#post-${post.number}`;
}

scriptRoutes.post("/:slug/-/posts/:id/react", async (c) => {
  const p = await pageCtx(c);
  const back = await postBack(p, c.req.param("id"));
  const signIn = needSignIn(c, p, back);
  if (signIn) return signIn;
  const f = await formOf(c);
  const reaction = f.reaction ?? "";
  if (!isReaction(reaction)) throw new Problem(400, "bad-request", "Bad request", "Unknown reaction.", { errors: [{ field: "reaction" }] });
  return answer(c, back, () => setReaction(c.env, p.db, p.tenantId, p.viewer, c.req.param("id"), reaction, f.on !== "0", whoOf(p)));
});

scriptRoutes.post("/:slug/-/posts/:id/vote", async (c) => {
  const p = await pageCtx(c);
  const back = await postBack(p, c.req.param("id"));
  const signIn = needSignIn(c, p, back);
  if (signIn) return signIn;
  const f = await formOf(c);
  const value = Number(f.value);
  if (value !== 1 && value !== -1 && value !== 0)
    throw new Problem(400, "bad-request", "Bad request", "A vote is 1, -1 or 0.", { errors: [{ field: "value" }] });
  return answer(c, back, async () => {
    const r = await vote(c.env, p.db, p.tenantId, p.viewer, c.req.param("id"), value, whoOf(p));
    return { ...r, value: r.my_vote };
  });
});

scriptRoutes.post("/:slug/-/posts/:id/flag", async (c) => {
  const p = await pageCtx(c);
  const back = await postBack(p, c.req.param("id"));
  const signIn = needSignIn(c, p, back);
  if (signIn) return signIn;
  const f = await formOf(c);
  const reason = f.reason as ForumFlagReason;
  if (!FORUM_FLAG_REASONS.includes(reason))
    throw new Problem(400, "bad-request", "Bad request", "Choose a reason.", { errors: [{ field: "reason" }] });
  return answer(
    c,
    back,
    async () => {
      if (p.viewer.kind === "anonymous") throw notFound();
      const viewer = await actingMember(p.db, p.tenantId, p.viewer, whoOf(p));
      const by = { id: viewer.id, kind: "enduser" as const, actor: { ...actorOf(c), type: "system" as const, id: null }, canManage: false };
      return createFlag(p.db, p.tenantId, p.settings, viewer, by, c.req.param("id"), { reason, note: f.note?.slice(0, 500) || null });
    },
    "Thanks — the moderators will look at it.",
  );
});

// ── JSON only (the script) ─────────────────────────────────────────────────────────────────────

scriptRoutes.get("/:slug/-/mentions", async (c) => {
  const p = await pageCtx(c);
  if (!p.endUser) return c.json({ data: [] });
  const q = (c.req.query("q") ?? "").trim().replace(/^@/, "");
  if (!/^[a-z0-9_-]{1,30}$/i.test(q)) return c.json({ data: [] });
  return c.json({ data: await mentionCandidates(p.db, p.tenantId, q, 8) });
});

scriptRoutes.get("/:slug/-/similar", async (c) => {
  const p = await pageCtx(c);
  const title = (c.req.query("title") ?? "").slice(0, 200);
  const rows = await similarTopics(p.db, p.tenantId, p.viewer, title, 5);
  return c.json({ data: rows.map((r) => ({ title: r.title, url: topicPath(p.base, r), solved: r.solved, reply_count: r.reply_count })) });
});

scriptRoutes.get("/:slug/-/drafts/:key", async (c) => {
  const p = await pageCtx(c);
  const me = viewerId(p.viewer);
  if (!me) throw notFound();
  try {
    return c.json(await getDraft(p.db, p.tenantId, me, c.req.param("key")));
  } catch (e) {
    if (e instanceof Problem && e.status === 404) return c.json(null);
    throw e;
  }
});

scriptRoutes.put("/:slug/-/drafts/:key", async (c) => {
  const p = await pageCtx(c);
  if (!p.endUser || !wantsJson(c)) throw notFound();
  const f = await formOf(c);
  return answer(c, p.base, () =>
    putDraft(p.db, p.tenantId, p.viewer, c.req.param("key"), { title: f.title || null, body: f.body ?? "" }, whoOf(p)),
  );
});

scriptRoutes.delete("/:slug/-/drafts/:key", async (c) => {
  const p = await pageCtx(c);
  const me = viewerId(p.viewer);
  if (!me) throw notFound();
  await deleteDraft(p.db, p.tenantId, me, c.req.param("key"));
  return c.body(null, 204);
});

scriptRoutes.post("/:slug/-/topics/:id/timings", async (c) => {
  const p = await pageCtx(c);
  if (!p.endUser) return c.body(null, 204);
  const f = await formOf(c);
  const readTo = Math.max(0, Math.min(Number.parseInt(f.read_to ?? "0", 10) || 0, 1_000_000));
  const seconds = Math.max(0, Math.min(Number.parseInt(f.seconds ?? "0", 10) || 0, 600));
  return answer(c, p.base, () =>
    recordTimings(c.env, p.db, p.tenantId, p.viewer, c.req.param("id"), { read_to: readTo, seconds }, whoOf(p)),
  );
});
