import { z, type OpenAPIHono } from "@hono/zod-openapi";
import type { Context } from "hono";
import type { AppEnv } from "../../platform/context";
import { idParam } from "../../platform/params";
import { defineRoute, jsonBody, jsonResponse, noContent, problemDoc } from "../../platform/router";
import { badRequest, Problem } from "../../platform/errors";
import { LIMITS } from "./config";
import { cleanTags, getFile, serializeFile } from "./files.service";
import { assertFolder, ingest } from "./ingest";
import { abortUpload, completeUpload, createUpload, describeUpload, putPart } from "./multipart.service";
import { ctxOf, uploaderOf, WRITE } from "./http";
import {
  createUploadInput,
  fileSchema,
  partSchema,
  smallUploadQuery,
  ticketInput,
  ticketSchema,
  uploadCreatedSchema,
  uploadSchema,
} from "./schemas";
import { issueTicket } from "./tickets";

const tags = ["Files"];
const binary = { "application/octet-stream": { schema: z.any().openapi({ type: "string", format: "binary" }) } };
const uploadErrors = {
  402: problemDoc("The plan's storage would be exceeded (nothing was written)"),
  411: problemDoc("Content-Length is required"),
  413: problemDoc("Larger than the workspace's max_file_size (or 95 MiB for one request)"),
  415: problemDoc("Type not allowed, or the bytes contradict the claimed type"),
  422: problemDoc("Refused by the malware scanner"),
};
const uploadParam = idParam("upload_id", "upl_01jd0000000000000000000000");

/** The Content-Length of a raw-body request (411 without one). */
export function bodyLength(c: Context<AppEnv>): number {
  const raw = c.req.header("Content-Length");
  const n = raw === undefined ? Number.NaN : Number(raw);
  if (!Number.isSafeInteger(n) || n < 0)
    throw new Problem(411, "length-required", "Length required", "Send the file with a Content-Length header.");
  return n;
}

export function registerUploadRoutes(r: OpenAPIHono<AppEnv>) {
  r.openapi(
    defineRoute(WRITE, {
      method: "post",
      path: "/files",
      tags,
      summary: "Upload a file (≤ 95 MiB) as the raw request body; its type is sniffed from the bytes",
      request: { query: smallUploadQuery, body: { required: true, content: binary } },
      responses: { 201: jsonResponse(fileSchema, "Stored"), ...uploadErrors },
    }),
    async (c) => {
      const { env, db, tenantId, origin } = ctxOf(c);
      const q = c.req.valid("query");
      const length = bodyLength(c);
      const body = c.req.raw.body;
      if (!body || length === 0)
        throw badRequest("The body is empty; send the file's bytes.", { errors: [{ path: "body", message: "empty" }] });
      const f = await ingest(env, {
        tenantId,
        name: q.name,
        folderId: q.folder_id ?? null,
        tags: cleanTags(q.tags ? q.tags.split(",") : []),
        body,
        length,
        declaredType: c.req.header("Content-Type"),
        uploadedBy: uploaderOf(c),
        maxSize: LIMITS.smallUploadMax,
        origin,
      });
      return c.json(await serializeFile(env, origin, await getFile(db, tenantId, f.id)), 201);
    },
  );
  r.openapi(
    defineRoute(WRITE, {
      method: "post",
      path: "/files/uploads",
      tags,
      summary: "Start a multipart upload (large files, up to 5 GB); quota and limits are checked here",
      request: jsonBody(createUploadInput),
      responses: { 201: jsonResponse(uploadCreatedSchema, "Upload started"), ...uploadErrors },
    }),
    async (c) => {
      const { env, db, tenantId, origin } = ctxOf(c);
      const b = c.req.valid("json");
      return c.json(await createUpload(env, db, tenantId, { ...b, tags: cleanTags(b.tags ?? []) }, uploaderOf(c), origin), 201);
    },
  );
  r.openapi(
    defineRoute(WRITE, {
      method: "get",
      path: "/files/uploads/{upload_id}",
      tags,
      summary: "A multipart upload and the parts stored so far (to resume)",
      request: { params: uploadParam },
      responses: { 200: jsonResponse(uploadSchema, "The upload") },
    }),
    async (c) => {
      const { db, tenantId } = ctxOf(c);
      return c.json(await describeUpload(db, tenantId, c.req.valid("param").upload_id as string), 200);
    },
  );
  r.openapi(
    defineRoute(WRITE, {
      method: "put",
      path: "/files/uploads/{upload_id}/parts/{n}",
      tags,
      summary: "Store one part (raw body; every part but the last exactly part_size bytes)",
      request: {
        params: uploadParam.extend({
          n: z.coerce
            .number()
            .int()
            .min(1)
            .max(LIMITS.maxParts)
            .openapi({ param: { name: "n", in: "path" }, example: 1 }),
        }),
        body: { required: true, content: binary },
      },
      responses: { 200: jsonResponse(partSchema, "Stored"), ...uploadErrors },
    }),
    async (c) => {
      const { env, db, tenantId } = ctxOf(c);
      const p = c.req.valid("param");
      return c.json(await putPart(env, db, tenantId, p.upload_id as string, Number(p.n), c.req.raw.body, bodyLength(c)), 200);
    },
  );
  r.openapi(
    defineRoute(WRITE, {
      method: "post",
      path: "/files/uploads/{upload_id}/complete",
      tags,
      summary: "Assemble the parts into the file",
      request: { params: uploadParam },
      responses: { 201: jsonResponse(fileSchema, "Stored"), 409: problemDoc("Parts are missing"), ...uploadErrors },
    }),
    async (c) => {
      const { env, db, tenantId, origin } = ctxOf(c);
      const f = await completeUpload(env, db, tenantId, c.req.valid("param").upload_id as string, origin);
      return c.json(await serializeFile(env, origin, await getFile(db, tenantId, f.id)), 201);
    },
  );
  r.openapi(
    defineRoute(WRITE, {
      method: "delete",
      path: "/files/uploads/{upload_id}",
      tags,
      summary: "Abort a multipart upload (its parts are discarded)",
      request: { params: uploadParam },
      responses: { 204: noContent },
    }),
    async (c) => {
      const { env, db, tenantId } = ctxOf(c);
      await abortUpload(env, db, tenantId, c.req.valid("param").upload_id as string);
      return c.body(null, 204);
    },
  );
  r.openapi(
    defineRoute(WRITE, {
      method: "post",
      path: "/files/upload-tickets",
      tags,
      summary: "A short-lived ticket a visitor's browser uploads with (POST /public/v1/files with a publishable key)",
      request: jsonBody(ticketInput),
      responses: { 201: jsonResponse(ticketSchema, "The ticket") },
    }),
    async (c) => {
      const { env, db, tenantId } = ctxOf(c);
      const b = c.req.valid("json");
      await assertFolder(db, tenantId, b.folder_id);
      const exp = Math.floor(Date.now() / 1000) + b.expires_in;
      const ticket = await issueTicket(env, { t: tenantId, max: b.max_size, types: b.content_types, folder: b.folder_id ?? null, exp });
      return c.json({ ticket, expires_at: new Date(exp * 1000).toISOString() }, 201);
    },
  );
}
