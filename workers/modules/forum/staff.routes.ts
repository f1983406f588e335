import type { Context } from "hono";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import type { AppEnv } from "../../platform/context";
import { getDb, type Db } from "../../platform/db";
import { getTenant } from "../../platform/directory";
import { forbidden, Problem } from "../../platform/errors";
import { appOrigin, clientIp } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import { createFaqSourceFor } from "../knowledge";
import type { Viewer } from "./access";
import {
  createCategory,
  deleteCategory,
  listCategoryRows,
  reorderCategories,
  serializeCategory,
  updateCategory,
} from "./categories.service";
import {
  acceptInput,
  categoryInput,
  categoryPatch,
  categorySchema,
  createdPostSchema,
  createdTopicSchema,
  editInput,
  idParams,
  knowledgeInput,
  knowledgeSchema,
  newTopicInput,
  reorderInput,
  replyInput,
  settingsInput,
  settingsSchema,
  staffTopicListQuery,
  topicPageQuery,
  topicPageSchema,
  topicSchema,
  topicViewSchema,
} from "./content.schemas";
import { authorsOf, viewerForStaff } from "./members.service";
import { acceptAnswer, editPost, getPostRow, reply, unacceptAnswer } from "./posts.service";
import { getSettings, serializeSettings, updateSettings } from "./settings.service";
import { createTopic } from "./topics.create";
import { mineOn, serializePost } from "./topics.posts";
import { getTopicRow, listTopics, serializeTopic, topicView, type ForumCtx } from "./topics.service";
import { z } from "@hono/zod-openapi";

/**
 * The dashboard's forum API (mounted at /api/v1): settings, categories, topics, and posting as
 * staff (with the staff badge). Staff are moderators everywhere, and see every category; the
 * moderation and members APIs are moderation.routes.ts / members.routes.ts.
 */
export const forumStaffRoutes = createRouter();
const tags = ["Community"];
const READ = { auth: "tenant", permission: "forum:read" } as const;
const POST = { auth: "tenant", permission: "forum:post" } as const;
const MANAGE = { auth: "tenant", permission: "forum:manage" } as const;

interface StaffCall {
  db: Db;
  tenantId: string;
  viewer: Viewer;
  ctx: ForumCtx;
}

/** Staff work in the forum whether or not it is on (they set it up first). API keys read only. */
async function staff(c: Context<AppEnv>, opts: { write?: boolean } = {}): Promise<StaffCall> {
  const db = getDb(c.env.DB);
  const tenantId = currentTenantId(c);
  const principal = c.get("principal");
  const [settings, tenant] = await Promise.all([getSettings(db, tenantId), getTenant(db, tenantId)]);
  let viewer: Viewer;
  if (principal.kind === "user") viewer = await viewerForStaff(db, tenantId, principal.userId, c.get("tenant").role ?? "viewer");
  else {
    if (opts.write) throw forbidden("Posting in the community needs a signed-in staff member; API keys only read.");
    viewer = { kind: "staff", id: principal.keyId, member: null, role: "viewer" };
  }
  return {
    db,
    tenantId,
    viewer,
    ctx: { tenantId, settings, site: { origin: appOrigin(c), slug: tenant.slug, title: settings.title }, ip: clientIp(c) },
  };
}

const topicParam = idParams("id", "ftop_01jd0000000000000000000000");
const postParam = idParams("id", "fpost_01jd0000000000000000000000");
const categoryParam = idParams("id", "fcat_01jd0000000000000000000000");

// ── settings ────────────────────────────────────────────────────────────────────────────────────

forumStaffRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/forum/settings",
    tags,
    summary: "The community's settings (off until turned on): title, trust thresholds, moderation and spam rules, digest",
    responses: { 200: jsonResponse(settingsSchema, "Settings") },
  }),
  async (c) => c.json(serializeSettings(await getSettings(getDb(c.env.DB), currentTenantId(c))), 200),
);
forumStaffRoutes.openapi(
  defineRoute(MANAGE, {
    method: "put",
    path: "/forum/settings",
    tags,
    summary: "Change the community's settings (turn it on or off; partial trust/rules objects merge into the current ones)",
    request: jsonBody(settingsInput),
    responses: { 200: jsonResponse(settingsSchema, "Saved") },
  }),
  async (c) => c.json(serializeSettings(await updateSettings(getDb(c.env.DB), currentTenantId(c), c.req.valid("json"), actorOf(c))), 200),
);

// ── categories ──────────────────────────────────────────────────────────────────────────────────

forumStaffRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/forum/categories",
    tags,
    summary: "Every category, in order (archived ones included)",
    responses: { 200: jsonResponse(z.object({ data: z.array(categorySchema) }), "Categories") },
  }),
  async (c) => c.json({ data: (await listCategoryRows(getDb(c.env.DB), currentTenantId(c))).map((r) => serializeCategory(r)) }, 200),
);
forumStaffRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/forum/categories",
    tags,
    summary: "Create a category (last in order)",
    request: jsonBody(categoryInput),
    responses: { 201: jsonResponse(categorySchema, "Created"), 409: problemDoc("The slug is taken") },
  }),
  async (c) => c.json(serializeCategory(await createCategory(getDb(c.env.DB), currentTenantId(c), c.req.valid("json"), actorOf(c))), 201),
);
forumStaffRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/forum/categories/reorder",
    tags,
    summary: "Put the categories in a new order (every id once)",
    request: jsonBody(reorderInput),
    responses: { 200: jsonResponse(z.object({ data: z.array(categorySchema) }), "In the new order") },
  }),
  async (c) =>
    c.json(
      {
        data: (await reorderCategories(getDb(c.env.DB), currentTenantId(c), c.req.valid("json").ids, actorOf(c))).map((r) =>
          serializeCategory(r),
        ),
      },
      200,
    ),
);
forumStaffRoutes.openapi(
  defineRoute(MANAGE, {
    method: "patch",
    path: "/forum/categories/{id}",
    tags,
    summary: "Change a category (name, access, minimum trust, questions, archived…)",
    request: { params: categoryParam, ...jsonBody(categoryPatch) },
    responses: { 200: jsonResponse(categorySchema, "Saved"), 409: problemDoc("The slug is taken") },
  }),
  async (c) =>
    c.json(
      serializeCategory(
        await updateCategory(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("json"), actorOf(c)),
      ),
      200,
    ),
);
forumStaffRoutes.openapi(
  defineRoute(MANAGE, {
    method: "delete",
    path: "/forum/categories/{id}",
    tags,
    summary: "Delete an empty category (one with topics: move them or archive it)",
    request: { params: categoryParam },
    responses: { 204: noContent, 409: problemDoc("The category has topics") },
  }),
  async (c) => {
    await deleteCategory(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, actorOf(c));
    return c.body(null, 204);
  },
);

// ── topics and posts ────────────────────────────────────────────────────────────────────────────

forumStaffRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/forum/topics",
    tags,
    summary: "Topics of every category; filter by category, status (default visible) and title",
    request: { query: staffTopicListQuery },
    responses: { 200: jsonResponse(topicPageSchema, "A page of topics") },
  }),
  async (c) => {
    const s = await staff(c);
    const q = c.req.valid("query");
    return c.json(await listTopics(s.db, s.tenantId, s.viewer, q), 200);
  },
);
forumStaffRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/forum/topics/{id}",
    tags,
    summary: "A topic with a page of posts (every status, for staff)",
    request: { params: topicParam, query: topicPageQuery },
    responses: { 200: jsonResponse(topicViewSchema, "The topic") },
  }),
  async (c) => {
    const s = await staff(c);
    const { rows: _rows, ...view } = await topicView(s.db, s.tenantId, s.viewer, c.req.valid("param").id as string, c.req.valid("query"));
    return c.json(view, 200);
  },
);
forumStaffRoutes.openapi(
  defineRoute(POST, {
    method: "post",
    path: "/forum/topics",
    tags,
    summary: "Start a topic as staff",
    request: jsonBody(newTopicInput),
    responses: { 201: jsonResponse(createdTopicSchema, "The topic and its first post") },
  }),
  async (c) => {
    const s = await staff(c, { write: true });
    const r = await createTopic(c.env, s.db, s.ctx, s.viewer, c.req.valid("json"));
    const authors = await authorsOf(s.db, s.tenantId, [r.topic.authorId]);
    return c.json(
      { topic: serializeTopic(r.topic, authors), post: serializePost(r.post, authors, r.topic, s.viewer), held_for: r.heldFor },
      201,
    );
  },
);
forumStaffRoutes.openapi(
  defineRoute(POST, {
    method: "post",
    path: "/forum/topics/{id}/posts",
    tags,
    summary: "Reply as staff (staff replies count towards the topic's time to first staff reply)",
    request: { params: topicParam, ...jsonBody(replyInput) },
    responses: { 201: jsonResponse(createdPostSchema, "The reply") },
  }),
  async (c) => {
    const s = await staff(c, { write: true });
    const r = await reply(c.env, s.db, s.ctx, s.viewer, c.req.valid("param").id as string, c.req.valid("json"));
    const authors = await authorsOf(s.db, s.tenantId, [r.post.authorId]);
    return c.json({ post: serializePost(r.post, authors, r.topic, s.viewer), held_for: r.heldFor }, 201);
  },
);
forumStaffRoutes.openapi(
  defineRoute(POST, {
    method: "patch",
    path: "/forum/posts/{id}",
    tags,
    summary: "Edit a post as staff (your own, or any as a moderator; a revision is kept)",
    request: { params: postParam, ...jsonBody(editInput) },
    responses: { 200: jsonResponse(createdPostSchema, "The edited post") },
  }),
  async (c) => {
    const s = await staff(c, { write: true });
    const r = await editPost(c.env, s.db, s.ctx, s.viewer, c.req.valid("param").id as string, c.req.valid("json"));
    const authors = await authorsOf(s.db, s.tenantId, [r.post.authorId]);
    const mine = await mineOn(s.db, s.tenantId, s.viewer, [r.post.id]);
    return c.json({ post: serializePost(r.post, authors, r.topic, s.viewer, mine), held_for: null }, 200);
  },
);
forumStaffRoutes.openapi(
  defineRoute(POST, {
    method: "post",
    path: "/forum/topics/{id}/accepted",
    tags,
    summary: "Mark a reply the accepted answer of a question topic",
    request: { params: topicParam, ...jsonBody(acceptInput) },
    responses: { 200: jsonResponse(topicSchema, "The topic"), 422: problemDoc("Not a question topic, or the question itself") },
  }),
  async (c) => {
    const s = await staff(c, { write: true });
    const r = await acceptAnswer(c.env, s.db, s.ctx, s.viewer, c.req.valid("param").id as string, c.req.valid("json").post_id);
    return c.json(serializeTopic(r.topic, await authorsOf(s.db, s.tenantId, [r.topic.authorId, r.topic.lastPosterId])), 200);
  },
);
forumStaffRoutes.openapi(
  defineRoute(POST, {
    method: "delete",
    path: "/forum/topics/{id}/accepted",
    tags,
    summary: "Unmark the accepted answer",
    request: { params: topicParam },
    responses: { 200: jsonResponse(topicSchema, "The topic") },
  }),
  async (c) => {
    const s = await staff(c, { write: true });
    const r = await unacceptAnswer(c.env, s.db, s.ctx, s.viewer, c.req.valid("param").id as string);
    return c.json(serializeTopic(r.topic, await authorsOf(s.db, s.tenantId, [r.topic.authorId, r.topic.lastPosterId])), 200);
  },
);

forumStaffRoutes.openapi(
  defineRoute(MANAGE, {
    method: "post",
    path: "/forum/topics/{id}/knowledge",
    tags,
    summary: "Turn a solved topic (question + accepted answer) into a knowledge source (FAQ), indexed for the chat assistant",
    request: { params: topicParam, body: { required: false, content: { "application/json": { schema: knowledgeInput } } } },
    responses: {
      201: jsonResponse(knowledgeSchema, "The knowledge source (indexing queued)"),
      422: problemDoc("The topic has no accepted answer"),
    },
  }),
  async (c) => {
    const s = await staff(c);
    const topic = await getTopicRow(s.db, s.tenantId, c.req.valid("param").id as string);
    if (!topic.acceptedPostId || topic.status !== "visible")
      throw new Problem(422, "not-solved", "Not solved", "Only a visible topic with an accepted answer can become knowledge.");
    const view = await topicView(s.db, s.tenantId, s.viewer, topic.id, { after: 0, limit: 1 });
    const first = view.rows.posts[0];
    const answer = await getPostRow(s.db, s.tenantId, topic.acceptedPostId);
    const question = first ? first.bodyMarkdown.trim() : "";
    const principal = c.get("principal");
    const src = await createFaqSourceFor(
      c.env,
      s.tenantId,
      {
        question: topic.title,
        answer: `${question ? `${question.replace(/^/gm, "> ")}\n\n` : ""}${answer.bodyMarkdown.trim()}`,
        collection: c.req.valid("json")?.collection ?? "community",
        createdBy: principal.kind === "user" ? principal.userId : principal.keyId,
      },
      actorOf(c),
    );
    return c.json({ source_id: src.id, title: src.title, status: src.status }, 201);
  },
);
