import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../../../platform/context";
import { Problem } from "../../../platform/errors";
import { enforceRateLimit } from "../../../platform/ratelimit";
import { appOrigin, clientIp } from "../../../platform/request";
import { canStartTopic } from "../access";
import { communityActions } from "./actions.page";
import { composePages } from "./compose.page";
import { absolute, pageCtx, shellOf } from "./context";
import { notFoundPage, page } from "./layout";
import { categoryBody, categoryPath, homeBody, topicPath } from "./lists.view";
import { categoryData, homeData, profileData, SORTS, type TopicSort } from "./queries";
import { topicData } from "./topic.queries";
import { FORUM_SCRIPT } from "./script";
import { scriptRoutes } from "./script.routes";
import { communitySearchPages } from "./search.page";
import { sitemapRoutes } from "./sitemap";
import { pageNo, renderTopicPage } from "./topic.page";
import { profileBody } from "./profile.view";

/**
 * The hosted community (mounted at /community; wrangler.toml routes /community/* to the Worker):
 * server-rendered pages per workspace (`/community/<slug>/…`), the portal's session, plain forms for
 * every action (303 back) with cross-site posts refused, and one small script that enhances them.
 */
export const communityPages = new Hono<AppEnv>();

const CSP =
  "default-src 'none'; img-src 'self' https: data:; style-src 'unsafe-inline'; script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

communityPages.use("*", async (c, next) => {
  await enforceRateLimit(c, "RL_IP", clientIp(c));
  if (c.req.method !== "GET" && c.req.method !== "HEAD" && crossSite(c)) return c.text("Cross-site form posts are refused.", 403);
  await next();
  c.header("Content-Security-Policy", CSP);
  c.header("X-Content-Type-Options", "nosniff");
  c.header("Referrer-Policy", "same-origin");
  if (!c.res.headers.get("Cache-Control")) c.header("Cache-Control", "private, no-cache");
});

/**
 * A form post (or script call) from another site: browsers say so in Sec-Fetch-Site; without it, an
 * Origin must name this host (as the portal's pages do). The session cookies are SameSite=Lax too.
 */
export function crossSite(c: Context<AppEnv>): boolean {
  const site = c.req.header("Sec-Fetch-Site");
  if (site) return site !== "same-origin" && site !== "none";
  const origin = c.req.header("Origin");
  if (!origin) return false;
  try {
    const host = new URL(origin).host;
    return host !== c.req.header("Host") && host !== new URL(c.req.url).host && host !== new URL(appOrigin(c)).host;
  } catch {
    return true;
  }
}

communityPages.onError((err, c) => {
  if (err instanceof Problem && err.status === 404) return c.html(notFoundPage(), 404);
  throw err;
});

communityPages.get("/_/forum.js", (c) => {
  c.header("Content-Type", "text/javascript; charset=utf-8");
  c.header("Cache-Control", "public, max-age=300");
  return c.body(FORUM_SCRIPT);
});

communityPages.get("/:slug", async (c) => {
  const p = await pageCtx(c);
  const d = await homeData(p.db, p.tenantId, p.viewer);
  const canonical = absolute(p, p.base);
  return c.html(
    page(
      shellOf(p, p.settings.title, { canonical, description: p.settings.description || `${p.settings.title} — ${p.brand.name}` }),
      homeBody(p.base, { title: p.settings.title, description: p.settings.description, ...d, signedIn: p.endUser !== null }),
    ),
  );
});

communityPages.get("/:slug/c/:category", async (c) => {
  const p = await pageCtx(c);
  const sortRaw = c.req.query("sort") ?? "latest";
  const sort: TopicSort = (SORTS as string[]).includes(sortRaw) ? (sortRaw as TopicSort) : "latest";
  const pageN = pageNo(c.req.query("page"));
  const d = await categoryData(p.db, p.tenantId, p.viewer, c.req.param("category"), sort, pageN);
  if (!d) return c.html(notFoundPage(), 404);
  const path = categoryPath(p.base, d.category);
  const body = categoryBody(p.base, {
    ...d,
    sort,
    page: pageN,
    canStart: canStartTopic(d.category, p.viewer) || p.viewer.kind === "anonymous",
  });
  const canonical = absolute(p, sort === "latest" && pageN === 1 ? path : `${path}?${c.req.url.split("?")[1] ?? ""}`);
  return c.html(page(shellOf(p, d.category.name, { canonical, description: d.category.description || undefined }), body));
});

/** `/t/<id>` and a stale slug redirect (301) to the canonical `/t/<slug>/<id>`. */
communityPages.get("/:slug/t/:id{ftop_[A-Za-z0-9]+}", async (c) => {
  const p = await pageCtx(c);
  const d = await topicData(p.db, p.tenantId, p.viewer, c.req.param("id"), 1);
  if (!d) return c.html(notFoundPage(), 404);
  return c.redirect(topicPath(p.base, d.topic), 301);
});

communityPages.get("/:slug/t/:topicSlug/:id", async (c) => {
  const p = await pageCtx(c);
  return renderTopicPage(c, p, c.req.param("id"), { pageN: pageNo(c.req.query("page")), slugSeen: c.req.param("topicSlug") });
});

communityPages.get("/:slug/u/:username", async (c) => {
  const p = await pageCtx(c);
  const d = await profileData(p.db, p.tenantId, p.viewer, c.req.param("username"));
  if (!d) return c.html(notFoundPage(), 404);
  const canonical = absolute(p, `${p.base}/u/${d.member.username}`);
  return c.html(page(shellOf(p, d.member.displayName, { canonical, description: d.member.bio || undefined }), profileBody(p.base, d)));
});

communityPages.route("/", communitySearchPages);
communityPages.route("/", sitemapRoutes);
communityPages.route("/", composePages);
communityPages.route("/", communityActions);
communityPages.route("/", scriptRoutes);
