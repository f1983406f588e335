import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { currentTenantId, currentUserId } from "../../platform/auth";
import { getDb } from "../../platform/db";
import { renderMarkdown } from "../../platform/markdown";
import { pageSchema } from "../../platform/pagination";
import { idParam } from "../../platform/params";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import {
  createNote,
  deleteNote,
  getNoteRow,
  listNotes,
  publishNote,
  scheduleNote,
  serializeNote,
  unpublishNote,
  updateNote,
} from "./notes.service";
import { releasesPublicRoutes } from "./public.routes";
import {
  listQuery,
  markReadInput,
  noteInput,
  noteSchema,
  previewInput,
  previewSchema,
  readStateSchema,
  scheduleInput,
  whatsNewSchema,
} from "./schemas";
import { markRead, whatsNew } from "./whats-new.service";

/** Release notes (mounted at /api/v1): the dashboard's API, What's new, and (re-exported) the public JSON endpoint. */
export const releasesRoutes = createRouter();
export { releasesPublicRoutes };
export { changelogPages } from "./changelog.page";

const tags = ["Release notes"];
const noteParam = idParam("id", "rel_01jd0000000000000000000000");
const READ = { auth: "tenant", permission: "releases:read" } as const;
const WRITE = { auth: "tenant", permission: "releases:write" } as const;

// What's new and preview first: their static paths must win over /releases/{id}.
releasesRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/releases/whats-new",
    tags,
    summary: "What's new: the workspace's published notes for the signed-in user, with unread flags and count",
    request: { query: z.object({ limit: z.coerce.number().int().min(1).max(50).default(20) }) },
    responses: { 200: jsonResponse(whatsNewSchema, "Newest published first") },
  }),
  async (c) => c.json(await whatsNew(getDb(c.env.DB), currentTenantId(c), currentUserId(c), c.req.valid("query").limit), 200),
);
releasesRoutes.openapi(
  defineRoute(READ, {
    method: "post",
    path: "/releases/whats-new/read",
    tags,
    summary: "Mark the workspace's release notes read for the signed-in user (up to `through`)",
    request: { body: { required: false, content: { "application/json": { schema: markReadInput } } } },
    responses: { 200: jsonResponse(readStateSchema, "The new read state") },
  }),
  async (c) => {
    const through = c.req.valid("json")?.through;
    return c.json(await markRead(getDb(c.env.DB), currentTenantId(c), currentUserId(c), through ? Date.parse(through) : undefined), 200);
  },
);
releasesRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/releases/preview",
    tags,
    summary: "Render Markdown with the server's sanitising renderer (the editor's live preview: what you see is what publishes)",
    request: jsonBody(previewInput),
    responses: { 200: jsonResponse(previewSchema, "Sanitised HTML") },
  }),
  async (c) => c.json({ html: renderMarkdown(c.req.valid("json").body_md) }, 200),
);

releasesRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/releases",
    tags,
    summary: "Release notes of the workspace (every status), newest first; filter by status and type, search by title",
    request: { query: listQuery },
    responses: { 200: jsonResponse(pageSchema(noteSchema), "A page of notes") },
  }),
  async (c) => c.json(await listNotes(getDb(c.env.DB), currentTenantId(c), c.req.valid("query")), 200),
);
releasesRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/releases",
    tags,
    summary: "Write a release note (a draft)",
    request: jsonBody(noteInput.openapi("CreateReleaseNote")),
    responses: { 201: jsonResponse(noteSchema, "Created"), 409: problemDoc("Another note of this workspace has that slug") },
  }),
  async (c) => c.json(await createNote(getDb(c.env.DB), currentTenantId(c), c.req.valid("json"), actorOf(c)), 201),
);
releasesRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/releases/{id}",
    tags,
    summary: "A release note",
    request: { params: noteParam },
    responses: { 200: jsonResponse(noteSchema, "The note") },
  }),
  async (c) => c.json(serializeNote(await getNoteRow(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string)), 200),
);
releasesRoutes.openapi(
  defineRoute(WRITE, {
    method: "patch",
    path: "/releases/{id}",
    tags,
    summary: "Edit a release note (a published one changes on the changelog at once)",
    request: { params: noteParam, ...jsonBody(noteInput.partial().openapi("UpdateReleaseNote")) },
    responses: { 200: jsonResponse(noteSchema, "Updated"), 409: problemDoc("Another note of this workspace has that slug") },
  }),
  async (c) =>
    c.json(await updateNote(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, c.req.valid("json"), actorOf(c)), 200),
);
releasesRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/releases/{id}/publish",
    tags,
    summary: "Publish now (on the changelog, the feeds, What's new and the public endpoint)",
    request: { params: noteParam },
    responses: { 200: jsonResponse(noteSchema, "Published") },
  }),
  async (c) => c.json(await publishNote(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, actorOf(c)), 200),
);
releasesRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/releases/{id}/schedule",
    tags,
    summary: "Schedule publishing: the first cron tick (every 10 minutes) at or after `publish_at` publishes it",
    request: { params: noteParam, ...jsonBody(scheduleInput) },
    responses: { 200: jsonResponse(noteSchema, "Scheduled") },
  }),
  async (c) =>
    c.json(
      await scheduleNote(
        getDb(c.env.DB),
        currentTenantId(c),
        c.req.valid("param").id as string,
        Date.parse(c.req.valid("json").publish_at),
        actorOf(c),
      ),
      200,
    ),
);
releasesRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/releases/{id}/unpublish",
    tags,
    summary: "Back to draft (a scheduled note loses its date)",
    request: { params: noteParam },
    responses: { 200: jsonResponse(noteSchema, "Now a draft") },
  }),
  async (c) => c.json(await unpublishNote(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, actorOf(c)), 200),
);
releasesRoutes.openapi(
  defineRoute(WRITE, {
    method: "delete",
    path: "/releases/{id}",
    tags,
    summary: "Delete a release note",
    request: { params: noteParam },
    responses: { 204: noContent },
  }),
  async (c) => {
    await deleteNote(getDb(c.env.DB), currentTenantId(c), c.req.valid("param").id as string, actorOf(c));
    return c.body(null, 204);
  },
);
