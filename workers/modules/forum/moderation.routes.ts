import type { Context } from "hono";
import { announceApprovedPost, isPending } from "./announce";
import { actorOf } from "../../platform/audit";
import { currentTenantId } from "../../platform/auth";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { portalTenantId } from "../../platform/end-users";
import { forbidden } from "../../platform/errors";
import { roleHas } from "../../platform/rbac";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { isModerator, type Viewer } from "./access";
import { createFlag, resolveFlag } from "./flags.service";
import { actingMember, viewerForEndUser } from "./members.service";
import {
  actionResultSchema,
  actionsPageSchema,
  actionsQuery,
  aiOverrideInput,
  flagCreatedSchema,
  flagDecisionParams,
  flagInput,
  flagResolvedSchema,
  idParams,
  idPath,
  postActionParams,
  queuePageSchema,
  queueQuery,
  reasonInput,
  reverseResultSchema,
  topicActionInput,
  topicActionParams,
} from "./moderation.schemas";
import { listActions, moderationQueue } from "./moderation.queue";
import { aiOverride, type Moderator, postAction, reverseAction, topicAction } from "./moderation.service";
import { requireForumOn } from "./settings.service";
import { z } from "@hono/zod-openapi";

/** The moderation APIs: staff (`/api/v1/forum/moderation/…`) and promoted end-user moderators and flags (`/public/v1/forum/{portal}/…`). */
export const forumModerationRoutes = createRouter();
export const forumModerationPublicRoutes = createRouter();

const tags = ["Forum moderation"];
const READ = { auth: "tenant", permission: "forum:read" } as const;
const MODERATE = { auth: "tenant", permission: "forum:moderate" } as const;
const ENDUSER = { auth: "enduser" } as const;
const optionalBody = <T extends z.ZodType>(schema: T) => ({ body: { required: false, content: { "application/json": { schema } } } });

/** The staff user (or API key) acting, as a moderator. */
export function staffModerator(c: Context<AppEnv>): Moderator {
  const p = c.get("principal");
  const role = c.get("tenant").role;
  const canManage = p?.kind === "api_key" ? p.scopes.includes("forum:manage") : role ? roleHas(role, "forum:manage") : false;
  return { id: p?.kind === "api_key" ? p.keyId : (p?.userId ?? "system"), kind: "staff", actor: actorOf(c), canManage };
}

// ── staff ────────────────────────────────────────────────────────────────────────────────────────

forumModerationRoutes.openapi(
  defineRoute(MODERATE, {
    method: "get",
    path: "/forum/moderation/queue",
    tags,
    summary:
      "The moderation queue: flagged posts, posts held for approval, posts the AI check held — each with its topic, pending flags and AI decision",
    request: { query: queueQuery },
    responses: { 200: jsonResponse(queuePageSchema, "Newest post first") },
  }),
  async (c) => {
    const q = c.req.valid("query");
    return c.json(await moderationQueue(getDb(c.env.DB), currentTenantId(c), q.kind, q.limit, q.cursor), 200);
  },
);

// Registered before /posts/{id}/{action}: its static last segment must win.
forumModerationRoutes.openapi(
  defineRoute(MODERATE, {
    method: "post",
    path: "/forum/moderation/posts/{id}/ai-override",
    tags,
    summary: "Override the AI check's decision on a post: allow (visible) or hold (hidden); a reversible moderation action",
    request: { params: idParams("fpost_01jd0000000000000000000000"), ...jsonBody(aiOverrideInput) },
    responses: { 200: jsonResponse(actionResultSchema, "The action and the post's status"), 409: problemDoc("The post is deleted") },
  }),
  async (c) => {
    const db = getDb(c.env.DB);
    const { id } = c.req.valid("param");
    const wasHeld = await isPending(db, currentTenantId(c), id);
    const out = await aiOverride(db, currentTenantId(c), staffModerator(c), id, c.req.valid("json").verdict);
    // A post the AI held was never announced: allowing it announces it now.
    if (wasHeld && out.status === "visible") await announceApprovedPost(c.env, db, currentTenantId(c), id);
    return c.json(out, 200);
  },
);

forumModerationRoutes.openapi(
  defineRoute(MODERATE, {
    method: "post",
    path: "/forum/moderation/posts/{id}/{action}",
    tags,
    summary: "approve / reject a held post; hide / unhide; delete / restore (audited, reversible; counters follow)",
    request: { params: postActionParams, ...optionalBody(reasonInput) },
    responses: {
      200: jsonResponse(actionResultSchema, "The action and the post's status"),
      409: problemDoc("The post is not in a state the action applies to"),
    },
  }),
  async (c) => {
    const { id, action } = c.req.valid("param");
    const db = getDb(c.env.DB);
    const out = await postAction(db, currentTenantId(c), staffModerator(c), id, action, c.req.valid("json")?.reason);
    if (action === "approve") await announceApprovedPost(c.env, db, currentTenantId(c), id);
    return c.json(out, 200);
  },
);

forumModerationRoutes.openapi(
  defineRoute(MODERATE, {
    method: "post",
    path: "/forum/moderation/topics/{id}/{action}",
    tags,
    summary: "lock / unlock, pin {scope} / unpin, move {category_id}, merge {into_topic_id}, hide / unhide, delete / restore a topic",
    request: { params: topicActionParams, ...optionalBody(topicActionInput) },
    responses: {
      200: jsonResponse(actionResultSchema, "The action and the topic's new state"),
      409: problemDoc("The topic is not in a state the action applies to"),
    },
  }),
  async (c) => {
    const { id, action } = c.req.valid("param");
    const b = c.req.valid("json") ?? {};
    return c.json(
      await topicAction(getDb(c.env.DB), currentTenantId(c), staffModerator(c), id, action, {
        reason: b.reason,
        scope: b.scope,
        categoryId: b.category_id,
        intoTopicId: b.into_topic_id,
      }),
      200,
    );
  },
);

forumModerationRoutes.openapi(
  defineRoute(MODERATE, {
    method: "post",
    path: "/forum/moderation/flags/{id}/{decision}",
    tags,
    summary: "Resolve a flag (and the post's other pending flags): agree (hidden), disagree (restored), ignore",
    request: { params: flagDecisionParams },
    responses: { 200: jsonResponse(flagResolvedSchema, "The decision and the post's status"), 409: problemDoc("Already resolved") },
  }),
  async (c) => {
    const { id, decision } = c.req.valid("param");
    return c.json(await resolveFlag(getDb(c.env.DB), currentTenantId(c), staffModerator(c), id, decision), 200);
  },
);

forumModerationRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/forum/moderation/actions",
    tags,
    summary: "The moderation log, newest first (every action with what it changed, and whether it was reversed)",
    request: { query: actionsQuery },
    responses: { 200: jsonResponse(actionsPageSchema, "Newest first") },
  }),
  async (c) => c.json(await listActions(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);

forumModerationRoutes.openapi(
  defineRoute(MODERATE, {
    method: "post",
    path: "/forum/moderation/actions/{id}/reverse",
    tags,
    summary: "Reverse a moderation action (the opposite action is logged; 409 when already reversed or the state moved on)",
    request: { params: idParams("fmod_01jd0000000000000000000000") },
    responses: {
      200: jsonResponse(reverseResultSchema, "The reversing action"),
      409: problemDoc("Already reversed, or the target changed since"),
    },
  }),
  async (c) => c.json(await reverseAction(getDb(c.env.DB), currentTenantId(c), staffModerator(c), c.req.valid("param").id), 200),
);

// ── end users: flags, and promoted moderators ─────────────────────────────────────────────────────

const portalParam = idPath("portal", "acme");

/** The signed-in end user as a forum viewer with a member row (created on first action), in a forum that is on. */
async function endUserContext(c: Context<AppEnv>) {
  const db = getDb(c.env.DB);
  const tenantId = await portalTenantId(c, c.req.param("portal") ?? "");
  const settings = await requireForumOn(db, tenantId);
  const user = c.get("endUser");
  const viewer = await actingMember(db, tenantId, await viewerForEndUser(db, tenantId, user), { name: user.name, email: user.email });
  const by: Moderator = { id: user.id, kind: "enduser", actor: { ...actorOf(c), type: "system", id: null }, canManage: false };
  return { db, tenantId, settings, viewer, by };
}

/** A promoted moderator; everyone else gets 403 (their own workspace's forum, so not a 404). */
async function moderatorContext(c: Context<AppEnv>) {
  const ctx = await endUserContext(c);
  if (!isModerator(ctx.viewer as Viewer)) throw forbidden("Only the community's moderators can do this.");
  return ctx;
}

forumModerationPublicRoutes.openapi(
  defineRoute(ENDUSER, {
    method: "post",
    path: "/forum/{portal}/posts/{id}/flags",
    tags,
    summary: "Flag a post (spam, off_topic, abusive, other) — once per post; enough weight hides it until a moderator decides",
    request: { params: z.object({ portal: portalParam, id: idPath("id", "fpost_01jd0000000000000000000000") }), ...jsonBody(flagInput) },
    responses: {
      201: jsonResponse(flagCreatedSchema, "Flagged"),
      409: problemDoc("Already flagged by you"),
      422: problemDoc("Your own post"),
    },
  }),
  async (c) => {
    const { db, tenantId, settings, viewer, by } = await endUserContext(c);
    const body = c.req.valid("json");
    return c.json(await createFlag(db, tenantId, settings, viewer, by, c.req.valid("param").id, body), 201);
  },
);

forumModerationPublicRoutes.openapi(
  defineRoute(ENDUSER, {
    method: "post",
    path: "/forum/{portal}/moderation/posts/{id}/{action}",
    tags,
    summary: "A promoted moderator acts on a post: approve, reject, hide, unhide, delete, restore",
    request: {
      params: z.object({ portal: portalParam, id: postActionParams.shape.id, action: postActionParams.shape.action }),
      ...optionalBody(reasonInput),
    },
    responses: { 200: jsonResponse(actionResultSchema, "Done"), 409: problemDoc("Not in a state the action applies to") },
  }),
  async (c) => {
    const { db, tenantId, by } = await moderatorContext(c);
    const { id, action } = c.req.valid("param");
    const out = await postAction(db, tenantId, by, id, action, c.req.valid("json")?.reason);
    if (action === "approve") await announceApprovedPost(c.env, db, tenantId, id);
    return c.json(out, 200);
  },
);

forumModerationPublicRoutes.openapi(
  defineRoute(ENDUSER, {
    method: "post",
    path: "/forum/{portal}/moderation/topics/{id}/{action}",
    tags,
    summary: "A promoted moderator acts on a topic: lock, unlock, pin, unpin, move, merge, hide, unhide, delete, restore",
    request: {
      params: z.object({ portal: portalParam, id: topicActionParams.shape.id, action: topicActionParams.shape.action }),
      ...optionalBody(topicActionInput),
    },
    responses: { 200: jsonResponse(actionResultSchema, "Done"), 409: problemDoc("Not in a state the action applies to") },
  }),
  async (c) => {
    const { db, tenantId, by } = await moderatorContext(c);
    const { id, action } = c.req.valid("param");
    const b = c.req.valid("json") ?? {};
    return c.json(
      await topicAction(db, tenantId, by, id, action, {
        reason: b.reason,
        scope: b.scope,
        categoryId: b.category_id,
        intoTopicId: b.into_topic_id,
      }),
      200,
    );
  },
);
