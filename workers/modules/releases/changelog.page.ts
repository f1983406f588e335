import type { Context } from "hono";
import { Hono } from "hono";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { getTenantBySlug } from "../../platform/directory";
import { getConfig } from "../../platform/env";
import { Problem } from "../../platform/errors";
import { htmlToText } from "../../platform/markdown";
import { enforceRateLimit } from "../../platform/ratelimit";
import { appOrigin, clientIp } from "../../platform/request";
import { atomFeed, changelogPage, notFoundPage, notePage, rssFeed, type ChangelogSite } from "./changelog";
import { publishedBySlug, publishedNotes } from "./notes.service";

/**
 * The public changelog (mounted at /changelog; wrangler.toml routes /changelog/* to the Worker):
 *   /changelog                      Weft's own: the workspace HOUSE_WORKSPACE_SLUG names
 *   /changelog/<slug>               a workspace's release notes (?page=N)
 *   /changelog/<slug>/<note-slug>   one note
 *   /changelog/<slug>/feed.atom     Atom 1.0
 *   /changelog/<slug>/rss.xml       RSS 2.0
 * Only published notes appear. Plain HTML and XML: no script; a strict CSP says so.
 */
export const changelogPages = new Hono<AppEnv>();

const PAGE_SIZE = 20;
const FEED_SIZE = 30;
// Note bodies may show images from anywhere (http/https only: the renderer refuses other schemes).
const CSP =
  "default-src 'none'; img-src http: https:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const CACHE = "public, max-age=60";

changelogPages.use("*", async (c, next) => {
  await enforceRateLimit(c, "RL_IP", clientIp(c));
  // One address per page: /changelog/acme/ → /changelog/acme.
  const url = new URL(c.req.url);
  if (url.pathname.length > 1 && url.pathname.endsWith("/")) return c.redirect(`${url.pathname.replace(/\/+$/, "")}${url.search}`, 301);
  await next();
});
changelogPages.onError((err, c) => {
  if (err instanceof Problem && err.status === 404) return html(c, notFoundPage(), 404);
  throw err;
});

function html(c: Context<AppEnv>, body: string, status: 200 | 404 = 200) {
  return c.html(body, status, { "Content-Security-Policy": CSP, "Cache-Control": status === 200 ? CACHE : "no-store" });
}

async function siteOf(c: Context<AppEnv>, slug: string) {
  const tenant = await getTenantBySlug(getDb(c.env.DB), slug);
  const site: ChangelogSite = { name: tenant.name, slug: tenant.slug, origin: appOrigin(c) };
  return { tenantId: tenant.id, site };
}

async function listPage(c: Context<AppEnv>, slug: string) {
  const { tenantId, site } = await siteOf(c, slug);
  const page = Math.min(Math.max(1, Number.parseInt(c.req.query("page") ?? "1", 10) || 1), 1000);
  const rows = await publishedNotes(getDb(c.env.DB), tenantId, {
    limit: PAGE_SIZE + 1,
    offset: (page - 1) * PAGE_SIZE,
    featuredFirst: true,
  });
  return html(c, changelogPage(site, rows.slice(0, PAGE_SIZE), page, rows.length > PAGE_SIZE));
}

async function feed(c: Context<AppEnv>, kind: "atom" | "rss") {
  const { tenantId, site } = await siteOf(c, c.req.param("slug") ?? "");
  const rows = await publishedNotes(getDb(c.env.DB), tenantId, { limit: FEED_SIZE });
  const body = kind === "atom" ? atomFeed(site, rows, Date.now()) : rssFeed(site, rows, Date.now());
  return c.body(body, 200, {
    "Content-Type": kind === "atom" ? "application/atom+xml; charset=utf-8" : "application/rss+xml; charset=utf-8",
    "Cache-Control": CACHE,
  });
}

changelogPages.get("/", (c) => listPage(c, getConfig(c.env).HOUSE_WORKSPACE_SLUG));
changelogPages.get("/:slug", (c) => listPage(c, c.req.param("slug")));
changelogPages.get("/:slug/feed.atom", (c) => feed(c, "atom"));
changelogPages.get("/:slug/rss.xml", (c) => feed(c, "rss"));
changelogPages.get("/:slug/:note", async (c) => {
  const { tenantId, site } = await siteOf(c, c.req.param("slug"));
  const note = await publishedBySlug(getDb(c.env.DB), tenantId, c.req.param("note"));
  return html(c, notePage(site, note, htmlToText(note.bodyHtml, 200)));
});
