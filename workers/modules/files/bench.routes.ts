/**
 * Local-only helper for `npm run bench -- files` (mounted at /dev/files-bench; 404 in production):
 * `PUT /put?key=` writes the request body straight to R2 — the raw `R2.put` baseline the API's
 * upload (auth, quota, sniffing, scanner, SHA-256, D1 row, metering) is measured against.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../platform/context";
import { getConfig } from "../../platform/env";
import { badRequest, notFound } from "../../platform/errors";

export const filesBenchRoutes = new Hono<AppEnv>();
filesBenchRoutes.use("*", async (c, next) => {
  if (!getConfig(c.env).isLocal) throw notFound("Page");
  await next();
});

filesBenchRoutes.put("/put", async (c) => {
  const key = c.req.query("key") ?? "";
  const length = Number(c.req.header("Content-Length"));
  if (!key.startsWith("bench/") || !c.req.raw.body || !Number.isSafeInteger(length))
    throw badRequest("key=bench/… and a body with Content-Length");
  const obj = await c.env.FILES.put(key, c.req.raw.body.pipeThrough(new FixedLengthStream(length)));
  return c.json({ key, size: obj?.size ?? 0 });
});
