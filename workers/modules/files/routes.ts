import { z } from "@hono/zod-openapi";
import { actorOf } from "../../platform/audit";
import { conflict } from "../../platform/errors";
import { idParam } from "../../platform/params";
import { createRouter, defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import { checkQuota } from "../billing";
import { ctxOf, READ, WRITE } from "./http";
import { bulk, deleteFile, fileCounts, getFile, listFiles, restoreFiles, serializeFile, updateFile } from "./files.service";
import { createFolder, deleteFolder, folderPath, listFolders, serializeFolder, updateFolder } from "./folders.service";
import { signedUrl } from "./links";
import { getPolicy, putPolicy, serializePolicy } from "./settings.service";
import {
  bulkInput,
  fileSchema,
  folderInput,
  folderPatch,
  folderSchema,
  linkInput,
  linkSchema,
  listQuery,
  patchInput,
  settingsSchema,
  usageSchema,
} from "./schemas";
import { registerUploadRoutes } from "./upload.routes";

/** The file manager's API (mounted at /api/v1). Uploads: upload.routes.ts; serving: public.routes.ts. */
export const filesRoutes = createRouter();
export { filesPublicRoutes, fileServeRoutes } from "./public.routes";
export { filesBenchRoutes } from "./bench.routes";

const tags = ["Files"];
const fileParam = idParam("id", "fil_01jd0000000000000000000000");
const folderParam = idParam("id", "fld_01jd0000000000000000000000");

// Static paths first: they must win over /files/{id}.
filesRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/files/folders",
    tags,
    summary: "Folders in a folder (no parent_id: the root), by name",
    request: { query: z.object({ parent_id: z.string().max(64).optional() }) },
    responses: { 200: jsonResponse(z.object({ data: z.array(folderSchema) }), "Folders") },
  }),
  async (c) => {
    const { db, tenantId } = ctxOf(c);
    return c.json({ data: (await listFolders(db, tenantId, c.req.valid("query").parent_id)).map(serializeFolder) }, 200);
  },
);
filesRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/files/folders",
    tags,
    summary: "Create a folder",
    request: jsonBody(folderInput),
    responses: { 201: jsonResponse(folderSchema, "Created"), 409: problemDoc("A sibling folder has that name") },
  }),
  async (c) => {
    const { db, tenantId } = ctxOf(c);
    const b = c.req.valid("json");
    return c.json(serializeFolder(await createFolder(db, tenantId, b.name, b.parent_id ?? null)), 201);
  },
);
filesRoutes.openapi(
  defineRoute(WRITE, {
    method: "patch",
    path: "/files/folders/{id}",
    tags,
    summary: "Rename or move a folder",
    request: { params: folderParam, ...jsonBody(folderPatch) },
    responses: { 200: jsonResponse(folderSchema, "Updated"), 409: problemDoc("Name taken, or a move into itself") },
  }),
  async (c) => {
    const { db, tenantId } = ctxOf(c);
    return c.json(serializeFolder(await updateFolder(db, tenantId, c.req.valid("param").id as string, c.req.valid("json"))), 200);
  },
);
filesRoutes.openapi(
  defineRoute(WRITE, {
    method: "delete",
    path: "/files/folders/{id}",
    tags,
    summary: "Delete a folder: its files go to the trash (409 with subfolders unless recursive=true)",
    request: { params: folderParam, query: z.object({ recursive: z.enum(["true", "false"]).optional() }) },
    responses: { 204: noContent, 409: problemDoc("The folder has subfolders") },
  }),
  async (c) => {
    const { db, tenantId } = ctxOf(c);
    await deleteFolder(db, tenantId, c.req.valid("param").id as string, c.req.valid("query").recursive === "true", actorOf(c));
    return c.body(null, 204);
  },
);
filesRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/files/folders/{id}/path",
    tags,
    summary: "Breadcrumb: the folder's ancestors, root first, ending with the folder",
    request: { params: folderParam },
    responses: { 200: jsonResponse(z.object({ data: z.array(folderSchema) }), "Path") },
  }),
  async (c) => {
    const { db, tenantId } = ctxOf(c);
    return c.json({ data: (await folderPath(db, tenantId, c.req.valid("param").id as string)).map(serializeFolder) }, 200);
  },
);
filesRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/files/settings",
    tags,
    summary: "Upload policy: allowed types (patterns) and the largest file",
    responses: { 200: jsonResponse(settingsSchema, "Settings") },
  }),
  async (c) => {
    const { db, tenantId } = ctxOf(c);
    return c.json(serializePolicy(await getPolicy(db, tenantId)), 200);
  },
);
filesRoutes.openapi(
  defineRoute(WRITE, {
    method: "put",
    path: "/files/settings",
    tags,
    summary: "Change the upload policy",
    request: jsonBody(settingsSchema),
    responses: { 200: jsonResponse(settingsSchema, "Saved") },
  }),
  async (c) => {
    const { db, tenantId } = ctxOf(c);
    const b = c.req.valid("json");
    const allowed = [...new Set(b.allowed_types.map((t) => t.trim().toLowerCase()))];
    return c.json(serializePolicy(await putPolicy(db, tenantId, { allowedTypes: allowed, maxFileSize: b.max_file_size })), 200);
  },
);
filesRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/files/usage",
    tags,
    summary: "Storage and bandwidth used (billing meters) against the plan, and file counts",
    responses: { 200: jsonResponse(usageSchema, "Usage") },
  }),
  async (c) => {
    const { env, db, tenantId } = ctxOf(c);
    const [s, b, n] = await Promise.all([
      checkQuota(db, env.DB, tenantId, "storage_bytes", 0),
      checkQuota(db, env.DB, tenantId, "bandwidth_bytes", 0),
      fileCounts(db, tenantId),
    ]);
    return c.json(
      {
        storage_bytes: s.used,
        storage_limit: s.limit,
        bandwidth_bytes: b.used,
        bandwidth_limit: b.limit,
        files: n.files,
        trashed_files: n.trashed,
      },
      200,
    );
  },
);
filesRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/files/bulk",
    tags,
    summary: "One action on many files (ids of other workspaces or in the wrong state are skipped)",
    request: jsonBody(bulkInput),
    responses: { 200: jsonResponse(z.object({ updated: z.number().int() }), "How many files changed") },
  }),
  async (c) => {
    const { env, db, tenantId } = ctxOf(c);
    return c.json({ updated: await bulk(env, db, tenantId, c.req.valid("json"), actorOf(c)) }, 200);
  },
);

registerUploadRoutes(filesRoutes);

filesRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/files",
    tags,
    summary: "Files in a folder (or the root), a name search across folders, or the trash; sorted and paginated",
    request: { query: listQuery },
    responses: { 200: jsonResponse(z.object({ data: z.array(fileSchema), next_cursor: z.string().nullable() }), "A page of files") },
  }),
  async (c) => {
    const { env, db, tenantId, origin } = ctxOf(c);
    return c.json(await listFiles(env, db, origin, tenantId, c.req.valid("query")), 200);
  },
);
filesRoutes.openapi(
  defineRoute(READ, {
    method: "get",
    path: "/files/{id}",
    tags,
    summary: "A file",
    request: { params: fileParam },
    responses: { 200: jsonResponse(fileSchema, "The file") },
  }),
  async (c) => {
    const { env, db, tenantId, origin } = ctxOf(c);
    return c.json(await serializeFile(env, origin, await getFile(db, tenantId, c.req.valid("param").id as string)), 200);
  },
);
filesRoutes.openapi(
  defineRoute(WRITE, {
    method: "patch",
    path: "/files/{id}",
    tags,
    summary: "Rename, move, tag, or make public / private (audited)",
    request: { params: fileParam, ...jsonBody(patchInput) },
    responses: { 200: jsonResponse(fileSchema, "Updated") },
  }),
  async (c) => {
    const { env, db, tenantId, origin } = ctxOf(c);
    const f = await updateFile(db, tenantId, c.req.valid("param").id as string, c.req.valid("json"), actorOf(c));
    return c.json(await serializeFile(env, origin, f), 200);
  },
);
filesRoutes.openapi(
  defineRoute(WRITE, {
    method: "delete",
    path: "/files/{id}",
    tags,
    summary: "Move to the trash; with permanent=true delete a trashed file for good (bytes, variants, quota)",
    request: { params: fileParam, query: z.object({ permanent: z.enum(["true", "false"]).optional() }) },
    responses: { 204: noContent, 409: problemDoc("permanent=true on a file that is not in the trash") },
  }),
  async (c) => {
    const { env, db, tenantId } = ctxOf(c);
    await deleteFile(env, db, tenantId, c.req.valid("param").id as string, c.req.valid("query").permanent === "true", actorOf(c));
    return c.body(null, 204);
  },
);
filesRoutes.openapi(
  defineRoute(WRITE, {
    method: "post",
    path: "/files/{id}/restore",
    tags,
    summary: "Bring a file back from the trash",
    request: { params: fileParam },
    responses: { 200: jsonResponse(fileSchema, "Restored") },
  }),
  async (c) => {
    const { env, db, tenantId, origin } = ctxOf(c);
    const id = c.req.valid("param").id as string;
    await getFile(db, tenantId, id);
    await restoreFiles(db, tenantId, [id], actorOf(c));
    return c.json(await serializeFile(env, origin, await getFile(db, tenantId, id)), 200);
  },
);
filesRoutes.openapi(
  defineRoute(READ, {
    method: "post",
    path: "/files/{id}/links",
    tags,
    summary: "A signed link that opens the file without a token until it expires",
    request: { params: fileParam, ...jsonBody(linkInput) },
    responses: { 200: jsonResponse(linkSchema, "The link"), 409: problemDoc("The file is in the trash") },
  }),
  async (c) => {
    const { env, db, tenantId, origin } = ctxOf(c);
    const f = await getFile(db, tenantId, c.req.valid("param").id as string);
    if (f.trashedAt) throw conflictTrashed();
    const b = c.req.valid("json");
    const link = await signedUrl(env, origin, f, { expiresIn: b.expires_in, disposition: b.disposition });
    return c.json({ url: link.url, expires_at: new Date(link.expiresAt).toISOString() }, 200);
  },
);
const conflictTrashed = () => conflict("The file is in the trash; restore it first.", "file-trashed");
