import type { Context } from "hono";
import type { AppEnv } from "../../platform/context";
import { getDb, type Db } from "../../platform/db";
import { getTenant } from "../../platform/directory";
import { endUserOf, portalTenantId, requireEndUser } from "../../platform/end-users";
import { appOrigin, clientIp } from "../../platform/request";
import { problemDoc } from "../../platform/router";
import type { Viewer } from "./access";
import { portalIdParams } from "./content.schemas";
import { viewerForEndUser } from "./members.service";
import { requireForumOn } from "./settings.service";
import type { ForumCtx } from "./topics.service";

/** What every community JSON route starts with (public.routes.ts, public.reading.routes.ts). */
export const tags = ["Community (public)"];
export const PUBLIC = { auth: "public" } as const;
export const ENDUSER = { auth: "enduser" } as const;

export interface PublicCall {
  db: Db;
  tenantId: string;
  viewer: Viewer;
  ctx: ForumCtx;
  who: { name: string; email: string } | undefined;
}

/** The workspace, its forum (404 when off), and who is calling. */
export async function open(c: Context<AppEnv>, opts: { signedIn?: boolean } = {}): Promise<PublicCall> {
  const db = getDb(c.env.DB);
  const ref = c.req.param("portal") ?? "";
  const tenantId = await portalTenantId(c, ref);
  const [settings, user, tenant] = await Promise.all([
    requireForumOn(db, tenantId),
    opts.signedIn ? requireEndUser(c, tenantId) : endUserOf(c, tenantId),
    getTenant(db, tenantId),
  ]);
  const viewer = await viewerForEndUser(db, tenantId, user);
  return {
    db,
    tenantId,
    viewer,
    who: user ? { name: user.name, email: user.email } : undefined,
    ctx: { tenantId, settings, site: { origin: appOrigin(c), slug: tenant.slug, title: settings.title }, ip: clientIp(c) },
  };
}

export const topicId = portalIdParams("id", "ftop_01jd0000000000000000000000");
export const postId = portalIdParams("id", "fpost_01jd0000000000000000000000");
export const categoryId = portalIdParams("id", "fcat_01jd0000000000000000000000");
export const notFound404 = { 404: problemDoc("No community here, or nothing the caller may read by that id") };
