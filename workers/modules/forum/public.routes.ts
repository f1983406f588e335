import { cors } from "hono/cors";
import { requireEndUser } from "../../platform/end-users";
import { enforceRateLimit } from "../../platform/ratelimit";
import { appOrigin, clientIp, iso } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { portalBrand } from "../endusers";
import { readableCategories, serializeCategory } from "./categories.service";
import {
  acceptInput,
  createdPostSchema,
  createdTopicSchema,
  editInput,
  homeSchema,
  newTopicInput,
  portalParam,
  replyInput,
  revisionsSchema,
  topicListQuery,
  topicPageQuery,
  topicPageSchema,
  topicViewSchema,
} from "./content.schemas";
import { countsSchema, reactionParams, voteInput } from "./reading.schemas";
import { authorsOf, viewerForEndUser } from "./members.service";
import { acceptAnswer, editPost, postRevisions, reply, unacceptAnswer } from "./posts.service";
import { setReaction, vote } from "./reactions.service";
import { unreadCounts } from "./reading.service";
import { createTopic } from "./topics.create";
import { mineOn, serializePost } from "./topics.posts";
import { listTopics, recordTopicView, serializeTopic, topicView } from "./topics.service";
import { ENDUSER, notFound404, open, postId, PUBLIC, tags, topicId } from "./public.context";
import { forumReadingPublicRoutes } from "./public.reading.routes";

/**
 * The community's JSON API for end users and the public: `/public/v1/forum/{portal}/…` (mounted at
 * /public/v1). `{portal}` is the workspace slug or a publishable key (as the portal's). Reads are
 * public and see more with an end-user token (signed-in categories, unread counts, own pending
 * posts); writes are `enduser` routes (401 without a token, 403 blocked). While the workspace's
 * forum is off, everything is 404; so is a category or topic the caller may not read.
 */
export const forumPublicRoutes = createRouter();

// Tokens travel in the Authorization header, never cookies, so any origin may call (as the portal's
// API); a publishable key in `{portal}` still checks the Origin on every request.
forumPublicRoutes.use(
  "/forum/*",
  cors({
    origin: (o) => o,
    allowHeaders: ["Authorization", "Content-Type"],
    allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
    maxAge: 600,
  }),
);
forumPublicRoutes.use("/forum/*", async (c, next) => {
  await enforceRateLimit(c, "RL_IP", clientIp(c));
  await next();
});

forumPublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get",
    path: "/forum/{portal}",
    tags,
    summary: "The community: title, brand, the categories the caller may read (with unread counts when signed in) and the caller's member",
    request: { params: portalParam },
    responses: { 200: jsonResponse(homeSchema, "The community"), ...notFound404 },
  }),
  async (c) => {
    const { db, tenantId, viewer, ctx } = await open(c);
    const [cats, unread, brand] = await Promise.all([
      readableCategories(db, tenantId, viewer),
      unreadCounts(db, tenantId, viewer),
      portalBrand(c.env, tenantId, appOrigin(c)).catch(() => null),
    ]);
    const m = viewer.kind === "enduser" ? viewer.member : null;
    return c.json(
      {
        title: ctx.settings.title,
        description: ctx.settings.description,
        slug: ctx.site.slug,
        ...(brand ? { brand: { name: brand.name, color: brand.primaryColor, logo_url: brand.logoUrl } } : {}),
        categories: cats.map((cat) => ({ ...serializeCategory(cat, viewer), ...(unread.get(cat.id) ?? (m ? { unread: 0, new: 0 } : {})) })),
        member: m
          ? {
              id: m.id,
              username: m.username,
              display_name: m.displayName,
              trust_level: m.trustLevel,
              moderator: m.moderator,
              suspended_until: iso(m.suspendedUntil),
            }
          : null,
        signed_in: viewer.kind !== "anonymous",
      },
      200,
    );
  },
);

forumPublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get",
    path: "/forum/{portal}/topics",
    tags,
    summary: "Topics the caller may read: latest, top, unanswered or solved; pinned first (global, then the category's)",
    request: { params: portalParam, query: topicListQuery },
    responses: { 200: jsonResponse(topicPageSchema, "A page of topics"), ...notFound404 },
  }),
  async (c) => {
    const { db, tenantId, viewer } = await open(c);
    const q = c.req.valid("query");
    return c.json(await listTopics(db, tenantId, viewer, { category: q.category, sort: q.sort, limit: q.limit, cursor: q.cursor }), 200);
  },
);

forumPublicRoutes.openapi(
  defineRoute(ENDUSER, {
    method: "post",
    path: "/forum/{portal}/topics",
    tags,
    summary: "Start a topic (201; `status: pending` and `held_for` when held for approval)",
    request: { params: portalParam, ...jsonBody(newTopicInput) },
    responses: {
      201: jsonResponse(createdTopicSchema, "The topic and its first post"),
      422: problemDoc("Too many links, images not allowed, or a duplicate"),
      ...notFound404,
    },
  }),
  async (c) => {
    const call = await open(c, { signedIn: true });
    const r = await createTopic(c.env, call.db, call.ctx, call.viewer, c.req.valid("json"), call.who);
    const authors = await authorsOf(call.db, call.tenantId, [r.topic.authorId]);
    const viewer = await viewerForEndUser(call.db, call.tenantId, await requireEndUser(c, call.tenantId));
    return c.json(
      { topic: serializeTopic(r.topic, authors), post: serializePost(r.post, authors, r.topic, viewer), held_for: r.heldFor },
      201,
    );
  },
);

forumPublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get",
    path: "/forum/{portal}/topics/{id}",
    tags,
    summary: "A topic with a page of posts (after a post number), the caller's reactions, votes and read position",
    request: { params: topicId, query: topicPageQuery },
    responses: { 200: jsonResponse(topicViewSchema, "The topic"), ...notFound404 },
  }),
  async (c) => {
    const { db, tenantId, viewer } = await open(c);
    const q = c.req.valid("query");
    const { rows: _rows, ...view } = await topicView(db, tenantId, viewer, c.req.valid("param").id as string, q);
    if (!q.after) await recordTopicView(db, tenantId, view.topic.id);
    return c.json(view, 200);
  },
);

forumPublicRoutes.openapi(
  defineRoute(ENDUSER, {
    method: "post",
    path: "/forum/{portal}/topics/{id}/posts",
    tags,
    summary: "Reply to a topic (a quote reply carries `[quote=@user post=ID]` in its body)",
    request: { params: topicId, ...jsonBody(replyInput) },
    responses: {
      201: jsonResponse(createdPostSchema, "The reply"),
      422: problemDoc("Too many links, images, or a duplicate"),
      ...notFound404,
    },
  }),
  async (c) => {
    const call = await open(c, { signedIn: true });
    const r = await reply(c.env, call.db, call.ctx, call.viewer, c.req.valid("param").id as string, c.req.valid("json"), call.who);
    const authors = await authorsOf(call.db, call.tenantId, [r.post.authorId]);
    const viewer = await viewerForEndUser(call.db, call.tenantId, await requireEndUser(c, call.tenantId));
    return c.json({ post: serializePost(r.post, authors, r.topic, viewer), held_for: r.heldFor }, 201);
  },
);

forumPublicRoutes.openapi(
  defineRoute(ENDUSER, {
    method: "patch",
    path: "/forum/{portal}/posts/{id}",
    tags,
    summary: "Edit your post (the previous text is kept as a revision); `title` only on a topic's first post",
    request: { params: postId, ...jsonBody(editInput) },
    responses: { 200: jsonResponse(createdPostSchema, "The edited post"), ...notFound404 },
  }),
  async (c) => {
    const call = await open(c, { signedIn: true });
    const r = await editPost(c.env, call.db, call.ctx, call.viewer, c.req.valid("param").id as string, c.req.valid("json"));
    const authors = await authorsOf(call.db, call.tenantId, [r.post.authorId]);
    const mine = await mineOn(call.db, call.tenantId, call.viewer, [r.post.id]);
    return c.json({ post: serializePost(r.post, authors, r.topic, call.viewer, mine), held_for: null }, 200);
  },
);

forumPublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get",
    path: "/forum/{portal}/posts/{id}/revisions",
    tags,
    summary: "A post's edit history (the original first, the current text last)",
    request: { params: postId },
    responses: { 200: jsonResponse(revisionsSchema, "Revisions"), ...notFound404 },
  }),
  async (c) => {
    const { db, tenantId, viewer } = await open(c);
    return c.json(await postRevisions(db, tenantId, viewer, c.req.valid("param").id as string), 200);
  },
);

for (const method of ["put", "delete"] as const) {
  forumPublicRoutes.openapi(
    defineRoute(ENDUSER, {
      method,
      path: "/forum/{portal}/posts/{id}/reactions/{reaction}",
      tags,
      summary: method === "put" ? "React to a post (like, heart, laugh, hooray, confused, eyes)" : "Take your reaction back",
      request: { params: reactionParams },
      responses: { 200: jsonResponse(countsSchema, "The post's reaction counts"), ...notFound404 },
    }),
    async (c) => {
      const call = await open(c, { signedIn: true });
      const p = c.req.valid("param");
      return c.json(await setReaction(c.env, call.db, call.tenantId, call.viewer, p.id, p.reaction, method === "put", call.who), 200);
    },
  );
}

forumPublicRoutes.openapi(
  defineRoute(ENDUSER, {
    method: "put",
    path: "/forum/{portal}/posts/{id}/vote",
    tags,
    summary: "Vote a post up (1) or down (-1); 0 removes your vote",
    request: { params: postId, ...jsonBody(voteInput) },
    responses: { 200: jsonResponse(countsSchema, "The post's votes"), ...notFound404 },
  }),
  async (c) => {
    const call = await open(c, { signedIn: true });
    return c.json(
      await vote(c.env, call.db, call.tenantId, call.viewer, c.req.valid("param").id as string, c.req.valid("json").value, call.who),
      200,
    );
  },
);

forumPublicRoutes.openapi(
  defineRoute(ENDUSER, {
    method: "post",
    path: "/forum/{portal}/topics/{id}/accepted",
    tags,
    summary: "Mark a reply the accepted answer (the asker, or a moderator; question topics)",
    request: { params: topicId, ...jsonBody(acceptInput) },
    responses: { 200: jsonResponse(topicViewSchema.shape.topic, "The topic"), 422: problemDoc("Not a question topic"), ...notFound404 },
  }),
  async (c) => {
    const call = await open(c, { signedIn: true });
    const r = await acceptAnswer(
      c.env,
      call.db,
      call.ctx,
      call.viewer,
      c.req.valid("param").id as string,
      c.req.valid("json").post_id,
      call.who,
    );
    return c.json(serializeTopic(r.topic, await authorsOf(call.db, call.tenantId, [r.topic.authorId, r.topic.lastPosterId])), 200);
  },
);
forumPublicRoutes.openapi(
  defineRoute(ENDUSER, {
    method: "delete",
    path: "/forum/{portal}/topics/{id}/accepted",
    tags,
    summary: "Unmark the accepted answer",
    request: { params: topicId },
    responses: { 200: jsonResponse(topicViewSchema.shape.topic, "The topic"), ...notFound404 },
  }),
  async (c) => {
    const call = await open(c, { signedIn: true });
    const r = await unacceptAnswer(c.env, call.db, call.ctx, call.viewer, c.req.valid("param").id as string);
    return c.json(serializeTopic(r.topic, await authorsOf(call.db, call.tenantId, [r.topic.authorId, r.topic.lastPosterId])), 200);
  },
);

// Reading state, drafts, search and mentions (public.reading.routes.ts), behind the same CORS and rate limit.
forumPublicRoutes.route("/", forumReadingPublicRoutes);
