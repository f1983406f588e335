import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { AppEnv, EndUserPrincipal } from "../../platform/context";
import { getDb } from "../../platform/db";
import { getTenantBySlug } from "../../platform/directory";
import { endUserFromToken, portalTenantId } from "../../platform/end-users";
import { Problem } from "../../platform/errors";
import { appOrigin } from "../../platform/request";
import { portalCtxOf } from "./portal.context";
import type * as html from "./portal.markup";
import { portalLang } from "./portal.i18n";
import { signinStrings } from "./portal.signin.i18n";
import { rotateEndUserRefresh, type EndUserTokens } from "./sessions.service";
import { logoUrl } from "./settings.service";
import type { PortalCtx } from "./signin.service";

/**
 * The hosted portal's session: the workspace a page belongs to (by slug) with its brand, and the
 * signed-in end user of the two cookies (the 15-minute access token; the refresh token, rotated when
 * the access token has expired). Shared by the sign-in pages, the signed-in pages and other modules'
 * hosted pages (the community at /community/<slug>, through `hostedEndUser`): so the cookies are
 * path `/`, named per workspace (`weft_eu_at_<slug>`; slugs are [a-z0-9-]) so two workspaces' portals
 * on one host keep separate sessions.
 */
const ACCESS = (slug: string) => `weft_eu_at_${slug.toLowerCase()}`;
const REFRESH = (slug: string) => `weft_eu_rt_${slug.toLowerCase()}`;
/** Before the session was shared: one name, scoped to /portal/<slug>; cleared on sign-out. */
const LEGACY = ["weft_eu_at", "weft_eu_rt"];

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
    ...languageOf(c, ctx.site.slug),
  };
  return { ctx, brand };
}

const LANG = "weft_eu_lang";
/** The page language: `?lang=` (remembered in a cookie), else the remembered one, else Accept-Language, else English. */
function languageOf(c: Context<AppEnv>, slug: string) {
  const asked = c.req.query("lang");
  const lang = portalLang(asked ?? getCookie(c, LANG), c.req.header("Accept-Language"));
  if (asked && asked === lang) setCookie(c, LANG, lang, { path: cookiePath(slug), sameSite: "Lax", maxAge: 365 * 24 * 3600 });
  return { lang, t: signinStrings(lang) };
}

/** The portal's own cookies (the language) stay scoped to the portal. */
export const cookiePath = (slug: string) => `/portal/${slug}`;
export function setSession(c: Context<AppEnv>, slug: string, t: EndUserTokens) {
  const secure = new URL(c.req.url).protocol === "https:";
  const opts = { path: "/", httpOnly: true, secure, sameSite: "Lax" as const };
  setCookie(c, ACCESS(slug), t.accessToken, { ...opts, maxAge: t.expiresIn });
  setCookie(c, REFRESH(slug), t.refreshToken, { ...opts, maxAge: 30 * 24 * 3600 });
}
export function clearSession(c: Context<AppEnv>, slug: string) {
  deleteCookie(c, ACCESS(slug), { path: "/" });
  deleteCookie(c, REFRESH(slug), { path: "/" });
  for (const name of LEGACY) if (getCookie(c, name)) deleteCookie(c, name, { path: cookiePath(slug) });
}

/**
 * Where to go after signing in (`?next=`): only a path on this site under the portal or the
 * community of this workspace; anything else (another host, `//evil`, `/\evil`, another workspace)
 * is null and the caller goes to the portal's home.
 */
export function safeNext(slug: string, raw: string | undefined | null): string | null {
  if (!raw || raw.length > 1000 || !raw.startsWith("/") || raw.startsWith("//") || /[\\\s]/.test(raw)) return null;
  let url: URL;
  try {
    url = new URL(raw, "https://same.invalid");
  } catch {
    return null;
  }
  if (url.origin !== "https://same.invalid") return null;
  const s = slug.toLowerCase();
  const ok = [`/portal/${s}`, `/community/${s}`].some((p) => url.pathname === p || url.pathname.startsWith(`${p}/`));
  return ok ? `${url.pathname}${url.search}${url.hash}` : null;
}

/** The end user of the cookies (refreshing an expired access token once), or null. */
export async function signedIn(c: Context<AppEnv>, ctx: PortalCtx) {
  const slug = ctx.site.slug;
  const at = getCookie(c, ACCESS(slug));
  try {
    if (at) return await endUserFromToken(c, ctx.site.tenantId, at);
  } catch {
    // expired or revoked: try the refresh token below
  }
  const rt = getCookie(c, REFRESH(slug));
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
export const problemText = (e: unknown, tooMany = "Too many attempts. Wait a minute and try again.") => {
  if (e instanceof Problem) return e.status === 429 ? tooMany : (e.detail ?? e.title);
  throw e;
};

/**
 * For other modules' hosted pages under /community/<slug>: the workspace the slug names and the
 * portal's signed-in end user (refreshing as the portal does), or null when signed out or when the
 * workspace's portal is turned off. 404 (Problem) for an unknown slug.
 */
export async function hostedEndUser(c: Context<AppEnv>, slug: string): Promise<{ tenantId: string; endUser: EndUserPrincipal | null }> {
  const tenantId = await portalTenantId(c, slug);
  if (!getCookie(c, ACCESS(slug)) && !getCookie(c, REFRESH(slug))) return { tenantId, endUser: null };
  let ctx: PortalCtx;
  try {
    ctx = await portalCtxOf(c, slug);
  } catch (e) {
    if (e instanceof Problem && e.status !== 404) return { tenantId, endUser: null }; // portal turned off
    throw e;
  }
  return { tenantId, endUser: await signedIn(c, ctx) };
}
