/** Serves the tracker snippet, /a.js (any site may load it; the key + origin check is on ingest). */
import { Hono } from "hono";
import type { AppEnv } from "../../platform/context";
import { TRACKER_JS, TRACKER_VERSION } from "./tracker-asset.gen";

export const trackerRoutes = new Hono<AppEnv>();

// The URL is stable (sites embed it), so it is cached for an hour, revalidated by ETag after that.
trackerRoutes.get("/a.js", (c) => {
  const etag = `"${TRACKER_VERSION}"`;
  const headers = {
    "Content-Type": "application/javascript; charset=utf-8",
    "Cache-Control": "public, max-age=3600, stale-while-revalidate=86400",
    ETag: etag,
    "X-Content-Type-Options": "nosniff",
    "Cross-Origin-Resource-Policy": "cross-origin",
  };
  if (c.req.header("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  return new Response(TRACKER_JS, { headers });
});
