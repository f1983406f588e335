import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../../platform/context";

/**
 * The message a form post comes back with (an error, or "thanks"): a one-time cookie read by the
 * next page, not a query parameter — a crafted link cannot put words in the page's mouth.
 */
const FLASH = "weft_community_flash";
export function setFlash(c: Context<AppEnv>, kind: "error" | "notice", text: string) {
  const secure = new URL(c.req.url).protocol === "https:";
  setCookie(c, FLASH, JSON.stringify({ kind, text: text.slice(0, 300) }), {
    path: "/community",
    httpOnly: true,
    secure,
    sameSite: "Lax",
    maxAge: 60,
  });
}
export function takeFlash(c: Context<AppEnv>): { error: string | null; notice: string | null } {
  const raw = getCookie(c, FLASH);
  if (!raw) return { error: null, notice: null };
  deleteCookie(c, FLASH, { path: "/community" });
  try {
    const f = JSON.parse(raw) as { kind?: string; text?: string };
    const text = typeof f.text === "string" ? f.text : null;
    return { error: f.kind === "error" ? text : null, notice: f.kind === "notice" ? text : null };
  } catch {
    return { error: null, notice: null };
  }
}
