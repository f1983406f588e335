import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import { portalParam } from "./content.schemas";
import {
  draftInput,
  draftParams,
  draftSchema,
  levelInput,
  mentionsQuery,
  mentionsSchema,
  searchQuery,
  searchResultsSchema,
  similarQuery,
  similarSchema,
  timingsInput,
  timingsSchema,
} from "./reading.schemas";
import { mentionCandidates } from "./members.service";
import { deleteDraft, getDraft, putDraft, recordTimings, setCategoryLevel, setTopicLevel } from "./reading.service";
import { searchPosts, similarTopics } from "./search.service";

import { categoryId, ENDUSER, notFound404, open, PUBLIC, tags, topicId } from "./public.context";

/** The community JSON API's per-member state (notification levels, read timings, drafts) and search, similar topics and @mention candidates. Mounted by public.routes.ts. */
export const forumReadingPublicRoutes = createRouter();

forumReadingPublicRoutes.openapi(
  defineRoute(ENDUSER, {
    method: "put",
    path: "/forum/{portal}/topics/{id}/notification-level",
    tags,
    summary: "Your notifications for a topic: watching, tracking, normal or muted",
    request: { params: topicId, ...jsonBody(levelInput) },
    responses: { 200: jsonResponse(levelInput.extend({ topic_id: topicId.shape.id }), "Saved"), ...notFound404 },
  }),
  async (c) => {
    const call = await open(c, { signedIn: true });
    return c.json(
      await setTopicLevel(call.db, call.tenantId, call.viewer, c.req.valid("param").id as string, c.req.valid("json").level, call.who),
      200,
    );
  },
);
forumReadingPublicRoutes.openapi(
  defineRoute(ENDUSER, {
    method: "put",
    path: "/forum/{portal}/categories/{id}/notification-level",
    tags,
    summary: "Your notifications for a category (watching a category watches every new topic in it)",
    request: { params: categoryId, ...jsonBody(levelInput) },
    responses: { 200: jsonResponse(levelInput.extend({ category_id: categoryId.shape.id }), "Saved"), ...notFound404 },
  }),
  async (c) => {
    const call = await open(c, { signedIn: true });
    return c.json(
      await setCategoryLevel(call.db, call.tenantId, call.viewer, c.req.valid("param").id as string, c.req.valid("json").level, call.who),
      200,
    );
  },
);

forumReadingPublicRoutes.openapi(
  defineRoute(ENDUSER, {
    method: "post",
    path: "/forum/{portal}/topics/{id}/timings",
    tags,
    summary: "Report reading: the highest post number read and the seconds spent (feeds unread counts and trust levels)",
    request: { params: topicId, ...jsonBody(timingsInput) },
    responses: { 200: jsonResponse(timingsSchema, "Your read position"), ...notFound404 },
  }),
  async (c) => {
    const call = await open(c, { signedIn: true });
    return c.json(
      await recordTimings(c.env, call.db, call.tenantId, call.viewer, c.req.valid("param").id as string, c.req.valid("json"), call.who),
      200,
    );
  },
);

forumReadingPublicRoutes.openapi(
  defineRoute(ENDUSER, {
    method: "get",
    path: "/forum/{portal}/drafts/{key}",
    tags,
    summary: "Your draft (`topic:<category id>`, `reply:<topic id>` or `edit:<post id>`)",
    request: { params: draftParams },
    responses: { 200: jsonResponse(draftSchema, "The draft"), 404: problemDoc("No such draft") },
  }),
  async (c) => {
    const call = await open(c, { signedIn: true });
    return c.json(
      await getDraft(call.db, call.tenantId, call.viewer.kind === "anonymous" ? "" : call.viewer.id, c.req.valid("param").key),
      200,
    );
  },
);
forumReadingPublicRoutes.openapi(
  defineRoute(ENDUSER, {
    method: "put",
    path: "/forum/{portal}/drafts/{key}",
    tags,
    summary: "Save your draft as you type",
    request: { params: draftParams, ...jsonBody(draftInput) },
    responses: { 200: jsonResponse(draftSchema, "Saved") },
  }),
  async (c) => {
    const call = await open(c, { signedIn: true });
    return c.json(await putDraft(call.db, call.tenantId, call.viewer, c.req.valid("param").key, c.req.valid("json"), call.who), 200);
  },
);
forumReadingPublicRoutes.openapi(
  defineRoute(ENDUSER, {
    method: "delete",
    path: "/forum/{portal}/drafts/{key}",
    tags,
    summary: "Discard your draft",
    request: { params: draftParams },
    responses: { 204: noContent },
  }),
  async (c) => {
    const call = await open(c, { signedIn: true });
    await deleteDraft(call.db, call.tenantId, call.viewer.kind === "anonymous" ? "" : call.viewer.id, c.req.valid("param").key);
    return c.body(null, 204);
  },
);

forumReadingPublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get",
    path: "/forum/{portal}/search",
    tags,
    summary: "Search posts the caller may read: snippets with <mark>, filters, BM25 mixed with recency (docs/forum.md)",
    request: { params: portalParam, query: searchQuery },
    responses: { 200: jsonResponse(searchResultsSchema, "Results, best first"), ...notFound404 },
  }),
  async (c) => {
    const { db, tenantId, viewer } = await open(c);
    const q = c.req.valid("query");
    return c.json(
      await searchPosts(db, tenantId, viewer, {
        q: q.q,
        category: q.category,
        author: q.author,
        solved: q.solved,
        from: q.from ? Date.parse(q.from) : undefined,
        to: q.to ? Date.parse(q.to) : undefined,
        limit: q.limit,
        cursor: q.cursor,
      }),
      200,
    );
  },
);

forumReadingPublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get",
    path: "/forum/{portal}/similar",
    tags,
    summary: "Up to 5 topics similar to a title (while typing a new topic)",
    request: { params: portalParam, query: similarQuery },
    responses: { 200: jsonResponse(similarSchema, "Similar topics"), ...notFound404 },
  }),
  async (c) => {
    const { db, tenantId, viewer } = await open(c);
    return c.json({ data: await similarTopics(db, tenantId, viewer, c.req.valid("query").title) }, 200);
  },
);

forumReadingPublicRoutes.openapi(
  defineRoute(ENDUSER, {
    method: "get",
    path: "/forum/{portal}/mentions",
    tags,
    summary: "@username autocomplete: members whose username or name starts with `q`",
    request: { params: portalParam, query: mentionsQuery },
    responses: { 200: jsonResponse(mentionsSchema, "Members"), ...notFound404 },
  }),
  async (c) => {
    const { db, tenantId } = await open(c, { signedIn: true });
    return c.json({ data: await mentionCandidates(db, tenantId, c.req.valid("query").q) }, 200);
  },
);
