import type { Context } from "hono";

/** Client IP as Cloudflare reports it (set by the edge, not spoofable there). */
export function clientIp(c: Context): string {
  return c.req.header("CF-Connecting-IP") ?? c.req.header("X-Real-IP") ?? "0.0.0.0";
}

export function userAgent(c: Context): string | null {
  return c.req.header("User-Agent")?.slice(0, 512) ?? null;
}

export const now = () => Date.now();
export const iso = (ms: number | null | undefined) => (ms == null ? null : new Date(ms).toISOString());

/** Origin for links we send (emails): the request's own origin locally, APP_URL in production. */
export function appOrigin(c: { req: { url: string }; env: { ENVIRONMENT: string; APP_URL: string } }): string {
  return c.env.ENVIRONMENT === "production" ? c.env.APP_URL.replace(/\/$/, "") : new URL(c.req.url).origin;
}
