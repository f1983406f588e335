import type { Context } from "hono";
import type { AppEnv, EndUserPrincipal } from "../../../platform/context";
import { getDb, type Db } from "../../../platform/db";
import { notFound } from "../../../platform/errors";
import { isolateCache } from "../../../platform/isolate-cache";
import { appOrigin } from "../../../platform/request";
import { hostedEndUser, portalBrand } from "../../endusers";
import type { Viewer } from "../access";
import { viewerForEndUser } from "../members.service";
import { getSettings, type ForumSettingsRow } from "../settings.service";
import { base, type PageBrand, type Shell } from "./layout";

/**
 * What every community page needs: the workspace its slug names, the forum's settings (a forum that
 * is off is a 404, as if there were none), the brand, and who is reading — the portal's signed-in end
 * user (the portal's cookies, shared through `hostedEndUser`) or nobody. Settings, brand and viewer
 * are read at once (parallel D1 reads), the brand cached per isolate for a minute (its logo URL is
 * signed, and it changes rarely).
 */
export interface PageCtx {
  c: Context<AppEnv>;
  db: Db;
  tenantId: string;
  slug: string;
  settings: ForumSettingsRow;
  brand: PageBrand;
  endUser: EndUserPrincipal | null;
  viewer: Viewer;
  origin: string;
  /** `/community/<slug>` */
  base: string;
}

const brands = isolateCache<PageBrand>(60_000);
// Reads (GET) take the settings from a 5-second per-isolate cache: a page view is then one D1 batch.
// Writes read them fresh (the rules screen the post: a rule just changed applies at once).
const settingsCache = isolateCache<ForumSettingsRow>(5_000);

export function slugOf(c: Context<AppEnv>): string {
  const slug = (c.req.param("slug") ?? "").toLowerCase();
  if (!/^[a-z0-9-]{1,64}$/.test(slug)) throw notFound("Community");
  return slug;
}

export async function pageCtx(c: Context<AppEnv>): Promise<PageCtx> {
  const slug = slugOf(c);
  const db = getDb(c.env.DB);
  const { tenantId, endUser } = await hostedEndUser(c, slug);
  const origin = appOrigin(c);
  const [settings, brand, viewer] = await Promise.all([
    c.req.method === "GET" ? settingsCache.get(tenantId, () => getSettings(db, tenantId)) : getSettings(db, tenantId),
    brands.get(tenantId, async () => {
      const b = await portalBrand(c.env, tenantId, origin).catch(() => null);
      return { name: b?.name ?? slug, primary: b?.primaryColor ?? "#4f46e5", logoUrl: b?.logoUrl ?? null };
    }),
    viewerForEndUser(db, tenantId, endUser),
  ]);
  if (!settings.enabled) throw notFound("Community");
  return { c, db, tenantId, slug, settings, brand, endUser, viewer, origin, base: base(slug) };
}

/** The shell fields every page shares; pages add title, description, canonical. */
export function shellOf(p: PageCtx, title: string, extra: Partial<Shell> = {}): Shell {
  const url = new URL(p.c.req.url);
  const member = p.viewer.kind === "anonymous" ? null : p.viewer.member;
  return {
    brand: p.brand,
    slug: p.slug,
    community: p.settings.title,
    title,
    who: p.endUser ? { name: member?.displayName ?? p.endUser.name ?? p.endUser.email, username: member?.username ?? null } : null,
    here: `${url.pathname}${url.search}`,
    ...extra,
  };
}

/** The absolute URL of a community path (canonical links, the sitemap). */
export const absolute = (p: PageCtx, path: string) => `${p.origin}${path}`;
