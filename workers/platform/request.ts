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
