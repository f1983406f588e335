import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./context";

/**
 * Local dev only: reads to the end any request body the handler left unread, before the response
 * leaves the Worker.
 *
 * Why: under `vite dev` every request reaches workerd through Miniflare's undici Pool, which reuses
 * keep-alive sockets (`reset: false`, since miniflare 5) and never retries (`idempotent: false`,
 * one-shot streamed body). workerd does not keep a connection reusable when the Worker answered
 * without consuming the request body (cloudflare/workerd#1741; cancelling the body does not help):
 * it closes the socket a few ms after the response, while the Pool has often already written the
 * next request on it. That next request, whatever its route or method, then fails in Node with
 * `SocketError: other side closed` / `ECONNRESET` → `TypeError: fetch failed` → Vite's 500 HTML
 * error page instead of the Worker's answer. Every early 4xx on a body-carrying request (401 before
 * auth, 404, 429, 415 …) was such a trigger. Draining the body keeps the connection reusable.
 *
 * Production (Cloudflare's edge) has no such proxy and must not pay for reading a body it is
 * rejecting, so this only runs with ENVIRONMENT=development.
 */
export const drainUnreadBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  const req = c.req.raw;
  if (c.env?.ENVIRONMENT !== "development" || req.body === null || req.bodyUsed || req.body.locked) return;
  try {
    await req.body.pipeTo(new WritableStream());
  } catch {
    // The client went away mid-upload: nothing left to keep reusable.
  }
};
