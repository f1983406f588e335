import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { getTenantBySlug } from "../../platform/directory";
import { endUserFromToken } from "../../platform/end-users";
import { Problem } from "../../platform/errors";
import { appOrigin } from "../../platform/request";
import { portalCtxOf } from "./portal.context";
import type * as html from "./portal.markup";
import { rotateEndUserRefresh, type EndUserTokens } from "./sessions.service";
import { logoUrl } from "./settings.service";
import type { PortalCtx } from "./signin.service";

/**
 * The hosted portal's session: the workspace a page belongs to (by slug) with its brand, and the
 * signed-in end user of the two cookies (the 15-minute access token; the refresh token, rotated when
 * the access token has expired). Shared by the sign-in pages and the signed-in pages.
 */
const ACCESS = "weft_eu_at";
const REFRESH = "weft_eu_rt";

export async function ctxOf(c: Context<AppEnv>): Promise<{ ctx: PortalCtx; brand: html.Brand }> {
  const slug = c.req.param("slug") ?? "";
  if (!/^[a-z0-9-]{1,64}$/i.test(slug)) throw new Problem(404, "not-found", "Not found", "Portal was not found.");
  const tenant = await getTenantBySlug(getDb(c.env.DB), slug);
  const ctx = await portalCtxOf(c, tenant.slug);
  const st = ctx.site.settings;
  const brand: html.Brand = {
    name: ctx.site.name,
    slug: ctx.site.slug,
    primary: st.primaryColor ?? "#4f46e5",
    logoUrl: await logoUrl(c.env, ctx.site, appOrigin(c)),
    signupOpen: st.signupPolicy !== "invite",
  };
  return { ctx, brand };
}

export const cookiePath = (slug: string) => `/portal/${slug}`;
export function setSession(c: Context<AppEnv>, slug: string, t: EndUserTokens) {
  const secure = new URL(c.req.url).protocol === "https:";
  const opts = { path: cookiePath(slug), httpOnly: true, secure, sameSite: "Lax" as const };
  setCookie(c, ACCESS, t.accessToken, { ...opts, maxAge: t.expiresIn });
  setCookie(c, REFRESH, t.refreshToken, { ...opts, maxAge: 30 * 24 * 3600 });
}
export function clearSession(c: Context<AppEnv>, slug: string) {
  deleteCookie(c, ACCESS, { path: cookiePath(slug) });
  deleteCookie(c, REFRESH, { path: cookiePath(slug) });
}

/** The end user of the cookies (refreshing an expired access token once), or null. */
export async function signedIn(c: Context<AppEnv>, ctx: PortalCtx) {
  const slug = ctx.site.slug;
  const at = getCookie(c, ACCESS);
  try {
    if (at) return await endUserFromToken(c, ctx.site.tenantId, at);
  } catch {
    // expired or revoked: try the refresh token below
  }
  const rt = getCookie(c, REFRESH);
  if (!rt) return null;
  try {
    const t = await rotateEndUserRefresh(ctx.db, ctx.site.tenantId, rt, ctx.actor, ctx.jwtSecret);
    setSession(c, slug, t);
    return await endUserFromToken(c, ctx.site.tenantId, t.accessToken);
  } catch {
    clearSession(c, slug);
    return null;
  }
}

export async function form(c: Context<AppEnv>): Promise<Record<string, string>> {
  const body = await c.req.parseBody();
  return Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === "string" ? v : ""]));
}
export const problemText = (e: unknown) => {
  if (e instanceof Problem) return e.status === 429 ? "Too many attempts. Wait a minute and try again." : (e.detail ?? e.title);
  throw e;
};
