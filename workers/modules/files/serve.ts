import { getDb } from "../../platform/db";
import { Problem } from "../../platform/errors";
import { createLogger } from "../../platform/logger";
import { checkQuota, meter, quotaExceeded } from "../billing";
import type { FilesEnv } from "./config";

/**
 * Serving stored bytes: ETag / If-None-Match (304), single byte ranges (206 with exactly those
 * bytes, 416 when unsatisfiable), Cache-Control, and the served bytes metered as `bandwidth_bytes`
 * (checked against the plan first: 402 once the period's bandwidth is used up).
 */
export interface ServeInput {
  tenantId: string;
  key: string;
  etag: string;
  contentType: string;
  name: string;
  disposition: "inline" | "attachment";
  cacheControl: string;
  origin: string;
  extraHeaders?: Record<string, string>;
}

const log = createLogger({ component: "files-serve" });

/** Types a browser could run script in: served sandboxed so they cannot act on the API origin. */
const ACTIVE = /^(text\/html|image\/svg\+xml|application\/xhtml\+xml|application\/xml|text\/xml|text\/javascript|application\/javascript)/;

export function parseRange(header: string | null, size: number): { offset: number; length: number } | "unsatisfiable" | null {
  if (!header) return null;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return null; // multiple or malformed ranges: the whole file
  if (m[1] === "") {
    const n = Math.min(Number(m[2]), size);
    return n <= 0 ? "unsatisfiable" : { offset: size - n, length: n };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return "unsatisfiable";
  return { offset: start, length: end - start + 1 };
}

const contentDisposition = (disp: string, name: string) =>
  `${disp}; filename="${name.replace(/[^\x20-\x7e]|["\\]/g, "_")}"; filename*=UTF-8''${encodeURIComponent(name)}`;

const etagMatches = (header: string | null, etag: string) =>
  !!header && (header.trim() === "*" || header.split(",").some((t) => t.trim().replace(/^W\//, "") === etag));

export async function serveObject(env: FilesEnv, req: Request, ctx: ExecutionContext | undefined, s: ServeInput): Promise<Response> {
  const base: Record<string, string> = {
    ETag: s.etag,
    "Cache-Control": s.cacheControl,
    "Accept-Ranges": "bytes",
    "X-Content-Type-Options": "nosniff",
    ...(ACTIVE.test(s.contentType) ? { "Content-Security-Policy": "sandbox" } : {}),
    ...s.extraHeaders,
  };
  if (etagMatches(req.headers.get("If-None-Match"), s.etag)) return new Response(null, { status: 304, headers: base });
  const head = await env.FILES.head(s.key);
  if (!head) throw new Problem(404, "not-found", "Not found", "The file's bytes are no longer stored.");
  const size = head.size;
  const range = parseRange(req.headers.get("Range"), size);
  if (range === "unsatisfiable") return new Response(null, { status: 416, headers: { ...base, "Content-Range": `bytes */${size}` } });
  const length = range ? range.length : size;
  const db = getDb(env.DB);
  const q = await checkQuota(db, env.DB, s.tenantId, "bandwidth_bytes", length);
  if (!q.allowed) throw quotaExceeded({ ...q, meter: "bandwidth_bytes" }, length, s.origin);
  const obj = await env.FILES.get(s.key, range ? { range } : undefined);
  if (!obj) throw new Problem(404, "not-found", "Not found", "The file's bytes are no longer stored.");
  const metered = meter(env, {
    tenantId: s.tenantId,
    meter: "bandwidth_bytes",
    quantity: length,
    eventId: `bw:${crypto.randomUUID()}`,
  }).catch((e) => log.error("bandwidth_meter_failed", { tenant_id: s.tenantId, error: String(e) }));
  if (ctx) ctx.waitUntil(metered);
  else await metered;
  return new Response(obj.body, {
    status: range ? 206 : 200,
    headers: {
      ...base,
      "Content-Type": s.contentType,
      "Content-Length": String(length),
      "Content-Disposition": contentDisposition(s.disposition, s.name),
      ...(range ? { "Content-Range": `bytes ${range.offset}-${range.offset + range.length - 1}/${size}` } : {}),
    },
  });
}
