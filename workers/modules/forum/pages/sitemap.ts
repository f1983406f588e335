import { Hono } from "hono";
import type { AppEnv } from "../../../platform/context";
import { absolute, pageCtx } from "./context";
import { esc } from "./layout";
import { categoryPath, topicPath } from "./lists.view";
import { publicCategories, sitemapTopics } from "./queries";

/**
 * For search engines: `sitemap.xml` lists the community home, public categories and the visible
 * topics in public categories only (nothing a signed-out reader could not open); `robots.txt`
 * points at it and keeps crawlers out of the per-person pages (search, new topic, the script's
 * endpoints).
 */
export const sitemapRoutes = new Hono<AppEnv>();

sitemapRoutes.get("/:slug/sitemap.xml", async (c) => {
  const p = await pageCtx(c);
  const [cats, topics] = await Promise.all([publicCategories(p.db, p.tenantId), sitemapTopics(p.db, p.tenantId)]);
  const url = (path: string, lastmod?: number) =>
    `<url><loc>${esc(absolute(p, path))}</loc>${lastmod ? `<lastmod>${new Date(lastmod).toISOString()}</lastmod>` : ""}</url>`;
  const body = [
    url(p.base),
    ...cats.map((cat) => url(categoryPath(p.base, cat), cat.lastPostedAt ?? undefined)),
    ...topics.map((t) => url(topicPath(p.base, t), t.lastPostedAt)),
  ].join("\n");
  c.header("Content-Type", "application/xml; charset=utf-8");
  c.header("Cache-Control", "public, max-age=600");
  return c.body(
    `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${body}\n</urlset>\n`,
  );
});

sitemapRoutes.get("/:slug/robots.txt", async (c) => {
  const p = await pageCtx(c);
  c.header("Cache-Control", "public, max-age=3600");
  return c.text(
    `User-agent: *\nAllow: ${p.base}/\nDisallow: ${p.base}/search\nDisallow: ${p.base}/new\nDisallow: ${p.base}/-/\nSitemap: ${absolute(p, `${p.base}/sitemap.xml`)}\n`,
  );
});
