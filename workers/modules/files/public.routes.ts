import { z } from "@hono/zod-openapi";
import { eq } from "drizzle-orm";
import { cors } from "hono/cors";
import { files } from "../../../schema/files";
import type { AppEnv } from "../../platform/context";
import type { Context } from "hono";
import { getDb } from "../../platform/db";
import { notFound, Problem } from "../../platform/errors";
import { resolvePublishableKey } from "../../platform/publishable-keys";
import { enforceRateLimit } from "../../platform/ratelimit";
import { appOrigin, clientIp } from "../../platform/request";
import { createRouter, defineRoute, jsonResponse, problemDoc } from "../../platform/router";
import type { FilesEnv } from "./config";
import { imageEngine, normaliseVariant, renderVariant, variantKey } from "./images";
import { ingest, type FileRow } from "./ingest";
import { verifyLink, type VariantParams } from "./links";
import { publicUploadQuery, publicUploadSchema, signedQuery, variantQuery } from "./schemas";
import { serveObject } from "./serve";
import { isImageForVariants } from "./sniff";
import { readTicket } from "./tickets";
import { bodyLength } from "./upload.routes";

/**
 * What opens without a dashboard token: signed links and public files (mounted at /), and direct
 * browser uploads with an upload ticket and a publishable key (mounted at /public/v1).
 */
export const fileServeRoutes = createRouter();
export const filesPublicRoutes = createRouter();

const tags = ["Files (public)"];
const binary = { "*/*": { schema: z.any().openapi({ type: "string", format: "binary" }) } };
const PUBLIC = { auth: "public" } as const;

const linkProblem = (kind: "invalid" | "expired") =>
  kind === "expired"
    ? new Problem(403, "link-expired", "Link expired", "This link has expired; ask for a new one.")
    : new Problem(403, "link-invalid", "Link not valid", "This link is not valid.");

// The one lookup by id alone: the id comes from a link whose signature (over the file's
// tenant-prefixed R2 key) or public flag is what grants access, checked right after.
const fileById = (env: FilesEnv, id: string) => getDb(env.DB).select().from(files).where(eq(files.id, id)).get();

const wantsVariant = (q: VariantParams) => [q.w, q.h, q.fit, q.format, q.q].some((x) => x !== undefined);

async function serveFile(
  c: Context<AppEnv>,
  f: FileRow,
  q: VariantParams,
  disposition: "inline" | "attachment",
  cacheControl: string,
): Promise<Response> {
  const env = c.env as FilesEnv;
  const ctx = (() => {
    try {
      return c.executionCtx as ExecutionContext;
    } catch {
      return undefined;
    }
  })();
  const base = { tenantId: f.tenantId, name: f.name, disposition, cacheControl, origin: appOrigin(c) };
  if (!wantsVariant(q))
    return serveObject(env, c.req.raw, ctx, { ...base, key: f.r2Key, etag: `"${f.sha256}"`, contentType: f.contentType });
  if (!isImageForVariants(f.contentType))
    throw new Problem(
      422,
      "image-unprocessable",
      "Not an image",
      "Size and format parameters apply to PNG, JPEG, WebP and GIF images only.",
    );
  const v = normaliseVariant(q, f.contentType);
  const engine = imageEngine(env);
  const key = variantKey(f, v, engine);
  const etag = `"${f.sha256.slice(0, 24)}-${key.slice(key.lastIndexOf("/") + 1)}"`;
  const cached = await env.FILES.head(key);
  const stored = cached ? { key, contentType: cached.httpMetadata?.contentType ?? "image/webp" } : await renderVariant(env, f, v);
  const dot = f.name.lastIndexOf(".");
  const ext = stored.contentType.split("/")[1] ?? "img";
  return serveObject(env, c.req.raw, ctx, {
    ...base,
    name: `${dot > 0 ? f.name.slice(0, dot) : f.name}.${ext}`,
    key: stored.key,
    etag,
    contentType: stored.contentType,
    extraHeaders: { "X-Weft-Variant": cached ? "cached" : "rendered", "X-Weft-Image-Engine": engine },
  });
}

const served = { 200: { description: "The bytes", content: binary }, 206: { description: "The requested range", content: binary } };

fileServeRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get",
    path: "/f/{id}",
    tags,
    summary: "Open a file through a signed link (Range, ETag; w/h/fit/format/q for image variants)",
    request: {
      params: z.object({
        id: z
          .string()
          .max(64)
          .openapi({ param: { name: "id", in: "path" } }),
      }),
      query: signedQuery,
    },
    responses: { ...served, 403: problemDoc("Expired, tampered or unknown link"), 404: problemDoc("The file is in the trash") },
  }),
  async (c) => {
    await enforceRateLimit(c, "RL_IP", clientIp(c));
    const env = c.env as FilesEnv;
    const { exp, disp, sig, ...variant } = c.req.valid("query");
    const f = await fileById(env, c.req.valid("param").id);
    if (!f) throw linkProblem("invalid");
    const check = await verifyLink(env, f.r2Key, exp, disp, sig);
    if (check !== "ok") throw linkProblem(check);
    if (f.trashedAt) throw notFound("File");
    const remaining = Math.max(0, Number(exp) - Math.floor(Date.now() / 1000));
    return (await serveFile(c, f, variant, disp as "inline" | "attachment", `private, max-age=${Math.min(remaining, 3600)}`)) as never;
  },
);

fileServeRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "get",
    path: "/f/p/{id}/{name}",
    tags,
    summary: "A public file (opt-in per file); same variant parameters",
    request: {
      params: z.object({
        id: z
          .string()
          .max(64)
          .openapi({ param: { name: "id", in: "path" } }),
        name: z
          .string()
          .max(1024)
          .openapi({ param: { name: "name", in: "path" } }),
      }),
      query: variantQuery,
    },
    responses: { ...served, 404: problemDoc("Not a public file") },
  }),
  async (c) => {
    await enforceRateLimit(c, "RL_IP", clientIp(c));
    const f = await fileById(c.env as FilesEnv, c.req.valid("param").id);
    if (!f?.public || f.trashedAt || f.module) throw notFound("File");
    return (await serveFile(c, f, c.req.valid("query"), "inline", "public, max-age=3600")) as never;
  },
);

filesPublicRoutes.use("/files", cors({ origin: (o) => o, allowHeaders: ["Content-Type"], allowMethods: ["POST", "OPTIONS"], maxAge: 600 }));
filesPublicRoutes.openapi(
  defineRoute(PUBLIC, {
    method: "post",
    path: "/files",
    tags,
    summary: "Direct browser upload with an upload ticket; the Origin must be on the publishable key's allow-list",
    request: { query: publicUploadQuery, body: { required: true, content: binary } },
    responses: {
      201: jsonResponse(publicUploadSchema, "Stored"),
      402: problemDoc("The workspace's storage is full"),
      403: problemDoc("Ticket or key not valid, expired, or the origin is not allowed"),
      413: problemDoc("Larger than the ticket allows"),
      415: problemDoc("A type the ticket or workspace does not accept"),
      422: problemDoc("Refused by the malware scanner"),
    },
  }),
  async (c) => {
    await enforceRateLimit(c, "RL_IP", clientIp(c));
    const env = c.env as FilesEnv;
    const q = c.req.valid("query");
    const t = await readTicket(env, q.ticket);
    const pk = await resolvePublishableKey(getDb(env.DB), q.key, c.req.header("Origin") ?? null);
    if (!pk)
      throw new Problem(
        403,
        "key-invalid",
        "Key not valid here",
        "The publishable key is unknown, revoked, or not allowed on this origin.",
      );
    if (pk.tenantId !== t.t)
      throw new Problem(403, "ticket-invalid", "Upload ticket not valid", "The upload ticket belongs to another workspace.");
    const length = bodyLength(c);
    const body = c.req.raw.body;
    if (!body || length === 0) throw new Problem(400, "bad-request", "Bad request", "The body is empty; send the file's bytes.");
    const f = await ingest(env, {
      tenantId: t.t,
      name: q.name,
      folderId: t.folder,
      body,
      length,
      declaredType: c.req.header("Content-Type"),
      allowedTypes: t.types,
      maxSize: t.max,
      origin: appOrigin(c),
    });
    return c.json({ id: f.id, name: f.name, size: f.size, content_type: f.contentType, sha256: f.sha256 }, 201);
  },
);
