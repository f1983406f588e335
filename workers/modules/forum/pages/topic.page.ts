import type { Context } from "hono";
import type { AppEnv } from "../../../platform/context";
import { canAccept, canReply, isModerator, viewerId } from "../access";
import { quoteOf } from "../render";
import { forumTopics } from "../../../../schema/forum";
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../../../platform/db";
import { takeFlash } from "./flash";
import { absolute, type PageCtx, shellOf } from "./context";
import { notFoundPage, page } from "./layout";
import { topicPath } from "./lists.view";
import { publicTopicVersion, revisionsOf, topicData } from "./topic.queries";
import { topicBody } from "./topic.view";

/**
 * Views are counted in memory per isolate and written every 10 s (one UPDATE per topic, after the
 * response): a write per page view would serialise readers behind D1's writer. Counts of an isolate
 * that is evicted before its flush are lost — view counts are a rough figure anyway.
 */
const pendingViews = new Map<string, { tenantId: string; topicId: string; n: number }>();
let lastFlush = Date.now();
function countView(c: Context<AppEnv>, p: PageCtx, topicId: string) {
  const key = `${p.tenantId}:${topicId}`;
  const cur = pendingViews.get(key);
  if (cur) cur.n++;
  else pendingViews.set(key, { tenantId: p.tenantId, topicId, n: 1 });
  if (Date.now() - lastFlush < 10_000 && pendingViews.size < 500) return;
  lastFlush = Date.now();
  const due = [...pendingViews.values()];
  pendingViews.clear();
  c.executionCtx.waitUntil(Promise.all(due.map((v) => recordTopicViews(p.db, v.tenantId, v.topicId, v.n))).catch(() => undefined));
}

export const pageNo = (raw: string | undefined) => Math.min(Math.max(Number.parseInt(raw ?? "1", 10) || 1, 1), 1000);
export const signInHref = (slug: string, here: string) => `/portal/${slug}?next=${encodeURIComponent(here)}`;

export interface TopicPageOptions {
  pageN?: number;
  /** The slug in the URL: a stale one redirects (301) to the canonical URL. */
  slugSeen?: string;
  /** A refused reply comes back with its text and the reason (and a 4xx status). */
  error?: string;
  replyBody?: string;
  status?: 400 | 403 | 409 | 422 | 429;
}

/**
 * Renders a topic page (GET, and a refused reply re-rendered with its text): one batch of reads, a
 * view counted after the response (waitUntil), canonical URL and meta, noindex unless public.
 */
export async function renderTopicPage(c: Context<AppEnv>, p: PageCtx, topicId: string, o: TopicPageOptions = {}) {
  const pageN = o.pageN ?? 1;
  // Signed-out readers of a public topic get the page rendered for the previous one when nothing it
  // shows has changed since (one small query instead of the page's batch): see anonCache below.
  const cacheable = p.viewer.kind === "anonymous" && !o.status && !new URL(c.req.url).search.replace(/^\?page=\d+$/, "");
  const key = `${p.tenantId}:${topicId}:${pageN}`;
  if (cacheable) {
    const version = await publicTopicVersion(p.db, p.tenantId, topicId);
    const hit = version ? anonCache.get(key) : undefined;
    if (hit && hit.version === version && Date.now() - hit.at < ANON_TTL_MS && (o.slugSeen === undefined || o.slugSeen === hit.slug)) {
      countView(c, p, topicId);
      return c.html(hit.html);
    }
    const res = await renderFresh(c, p, topicId, o, pageN);
    if (version && res.html) {
      if (anonCache.size >= 1000) anonCache.clear();
      anonCache.set(key, { at: Date.now(), version, slug: res.slug, html: res.html });
    }
    return res.response;
  }
  return (await renderFresh(c, p, topicId, o, pageN)).response;
}

/**
 * Signed-out pages of public topics, per isolate: reused while the topic's version (posts, accepted
 * answer, lock, pin, category…) is unchanged, for at most 5 s — so an edit or a vote on a reply shows
 * to signed-out readers within 5 s, and a new, hidden or accepted post at once.
 */
const ANON_TTL_MS = 5_000;
const anonCache = new Map<string, { at: number; version: string; slug: string; html: string }>();

async function renderFresh(c: Context<AppEnv>, p: PageCtx, topicId: string, o: TopicPageOptions, pageN: number) {
  const done = (response: Response, html?: string, slug = "") => ({ response, html, slug });
  const d = await topicData(p.db, p.tenantId, p.viewer, topicId, pageN);
  if (!d) return done(c.html(notFoundPage(), 404));
  const path = topicPath(p.base, d.topic);
  if (o.slugSeen !== undefined && o.slugSeen !== d.topic.slug) return done(c.redirect(`${path}${pageN > 1 ? `?page=${pageN}` : ""}`, 301));
  if (!o.status) countView(c, p, d.topic.id);
  const quoteId = c.req.query("quote");
  const quoted = quoteId ? (d.posts.find((x) => x.id === quoteId) ?? (d.accepted?.id === quoteId ? d.accepted : null)) : null;
  const historyId = c.req.query("history");
  const history =
    historyId && d.posts.some((x) => x.id === historyId)
      ? { postId: historyId, revisions: await revisionsOf(p.db, p.tenantId, historyId) }
      : null;
  const here = `${path}${pageN > 1 ? `?page=${pageN}` : ""}`;
  const flash = takeFlash(c);
  const body = topicBody({
    base: p.base,
    ...d,
    page: pageN,
    me: viewerId(p.viewer),
    signedIn: p.endUser !== null,
    canReply: canReply(d.category, d.topic, p.viewer),
    canAccept: canAccept(d.topic, p.viewer),
    moderator: isModerator(p.viewer),
    replyBody: o.replyBody ?? (quoted ? quoteOf(quoted.authorUsername ?? "deleted", quoted.id, quoted.bodyMarkdown) : ""),
    editing: c.req.query("edit") ?? null,
    history,
    error: o.error ?? flash.error,
    notice: flash.notice,
    signInHref: signInHref(p.slug, `${here}#reply`),
  });
  const first = d.posts.find((x) => x.number === 1);
  const description = first ? first.bodyMarkdown.replace(/\s+/g, " ").slice(0, 200) : undefined;
  const noindex = d.topic.status !== "visible" || d.category.readAccess !== "public";
  const canonical = absolute(p, here);
  const html = page(shellOf(p, d.topic.title, { canonical, description, noindex }), body);
  return done(c.html(html, o.status ?? 200), flash.error || flash.notice ? undefined : html, d.topic.slug);
}

async function recordTopicViews(db: Db, tenantId: string, topicId: string, n: number) {
  await db
    .update(forumTopics)
    .set({ viewCount: sql`${forumTopics.viewCount} + ${n}` })
    .where(and(eq(forumTopics.tenantId, tenantId), eq(forumTopics.id, topicId)));
}
