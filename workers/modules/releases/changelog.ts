import type { ReleaseType } from "../../../schema/releases";
import type { NoteRow } from "./notes.service";

/**
 * The public changelog as documents: server-rendered HTML pages (no script at all) and the Atom
 * and RSS 2.0 feeds. Everything interpolated is escaped here; note bodies are already sanitised
 * HTML (workers/platform/markdown.ts). Links are absolute (feeds are read elsewhere).
 */

export interface ChangelogSite {
  name: string; // the workspace's name
  slug: string;
  origin: string; // https://app.weft.dev — no trailing slash
}

// Tab, line feed and carriage return are the only characters below U+0020 that XML 1.0 allows.
const XML_INVALID = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;
const ESC: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
/** Escapes text for HTML and XML (text and attribute values) and drops characters XML 1.0 forbids. */
export const esc = (s: string) => s.replace(XML_INVALID, "").replace(/[&<>"']/g, (ch) => ESC[ch] ?? ch);

export const changelogUrl = (site: ChangelogSite) => `${site.origin}/changelog/${encodeURIComponent(site.slug)}`;
export const noteUrl = (site: ChangelogSite, n: Pick<NoteRow, "slug">) => `${changelogUrl(site)}/${encodeURIComponent(n.slug)}`;
export const atomUrl = (site: ChangelogSite) => `${changelogUrl(site)}/feed.atom`;
export const rssUrl = (site: ChangelogSite) => `${changelogUrl(site)}/rss.xml`;

export const TYPE_LABEL: Record<ReleaseType, string> = {
  feature: "New feature",
  improvement: "Improvement",
  fix: "Fix",
  security: "Security",
};

const dateFormat = new Intl.DateTimeFormat("en", { dateStyle: "long", timeZone: "UTC" });
const dateOf = (ms: number) => dateFormat.format(new Date(ms));
/** When a published note became public (always set once published). */
const publishedAt = (n: NoteRow) => n.publishedAt ?? n.updatedAt;
const noteTitle = (n: NoteRow) => (n.version ? `${n.version} — ${n.title}` : n.title);

// ------------------------------------------------------------------ HTML

const STYLE = `:root{color-scheme:light dark;--fg:#111827;--muted:#6b7280;--line:#e5e7eb;--bg:#fff;--card:#f9fafb;--accent:#4f46e5}
@media (prefers-color-scheme:dark){:root{--fg:#f3f4f6;--muted:#9ca3af;--line:#374151;--bg:#111827;--card:#1f2937;--accent:#a5b4fc}}
*{box-sizing:border-box}body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.6 system-ui,-apple-system,Segoe UI,sans-serif}
.wrap{max-width:760px;margin:0 auto;padding:40px 20px 64px}a{color:var(--accent)}a:focus-visible{outline:3px solid var(--accent);outline-offset:2px}
header.site{display:flex;flex-wrap:wrap;justify-content:space-between;align-items:baseline;gap:8px;border-bottom:1px solid var(--line);padding-bottom:16px;margin-bottom:24px}
header.site .brand{margin:0;font-size:1.75rem;font-weight:700}header.site .brand a{color:inherit;text-decoration:none}.feeds{font-size:.875rem;color:var(--muted)}.feeds a{margin-left:12px}
article{border-bottom:1px solid var(--line);padding:24px 0}article.featured{background:var(--card);border:1px solid var(--line);border-radius:12px;padding:20px 24px;margin:16px 0}
article h2{margin:.25rem 0 .5rem;font-size:1.35rem;line-height:1.3}article h2 a{color:inherit;text-decoration:none}article h2 a:hover{text-decoration:underline}
.meta{display:flex;flex-wrap:wrap;gap:8px;align-items:center;font-size:.8125rem;color:var(--muted)}
.badge{display:inline-block;border-radius:999px;padding:1px 10px;font-weight:600;font-size:.75rem;border:1px solid currentColor}
.b-feature{color:#15803d}.b-improvement{color:#1d4ed8}.b-fix{color:#b45309}.b-security{color:#b91c1c}.b-featured{color:var(--accent)}
@media (prefers-color-scheme:dark){.b-feature{color:#86efac}.b-improvement{color:#93c5fd}.b-fix{color:#fcd34d}.b-security{color:#fca5a5}}
.body img{max-width:100%;height:auto}.body pre{overflow:auto;background:var(--card);padding:12px;border-radius:8px}.body code{font-size:.9em}
nav.pages{display:flex;justify-content:space-between;margin-top:24px}.empty{color:var(--muted)}footer{margin-top:40px;font-size:.8125rem;color:var(--muted)}`;

function layout(
  site: ChangelogSite,
  o: { title: string; canonical: string; description: string; body: string; brand?: "h1" | "p" },
): string {
  const brand = o.brand ?? "h1";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(o.title)}</title>
<meta name="description" content="${esc(o.description)}">
<link rel="canonical" href="${esc(o.canonical)}">
<link rel="alternate" type="application/atom+xml" title="${esc(`${site.name} changelog (Atom)`)}" href="${esc(atomUrl(site))}">
<link rel="alternate" type="application/rss+xml" title="${esc(`${site.name} changelog (RSS)`)}" href="${esc(rssUrl(site))}">
<style>${STYLE}</style></head>
<body><div class="wrap">
<header class="site"><${brand} class="brand"><a href="${esc(changelogUrl(site))}">${esc(site.name)} changelog</a></${brand}>
<p class="feeds">Subscribe: <a href="${esc(atomUrl(site))}">Atom</a><a href="${esc(rssUrl(site))}">RSS</a></p></header>
<main>${o.body}</main>
<footer>Release notes published by ${esc(site.name)}.</footer>
</div></body></html>`;
}

function meta(n: NoteRow): string {
  return `<p class="meta"><span class="badge b-${n.type}">${esc(TYPE_LABEL[n.type])}</span>${
    n.featured ? '<span class="badge b-featured">Featured</span>' : ""
  }${n.version ? `<span>Version ${esc(n.version)}</span>` : ""}<time datetime="${new Date(publishedAt(n)).toISOString()}">${esc(dateOf(publishedAt(n)))}</time></p>`;
}

function entry(site: ChangelogSite, n: NoteRow, heading: "h2" | "h1"): string {
  const title = heading === "h2" ? `<h2><a href="${esc(noteUrl(site, n))}">${esc(noteTitle(n))}</a></h2>` : `<h1>${esc(noteTitle(n))}</h1>`;
  return `<article${n.featured && heading === "h2" ? ' class="featured"' : ""} id="${esc(n.slug)}">${meta(n)}${title}<div class="body">${n.bodyHtml}</div></article>`;
}

/** The list page: featured notes first, then newest published first; `page` is 1-based. */
export function changelogPage(site: ChangelogSite, notes: NoteRow[], page: number, hasNext: boolean): string {
  const pageUrl = (p: number) => (p === 1 ? changelogUrl(site) : `${changelogUrl(site)}?page=${p}`);
  const pager =
    page > 1 || hasNext
      ? `<nav class="pages" aria-label="Pages">${page > 1 ? `<a href="${esc(pageUrl(page - 1))}" rel="prev">← Newer</a>` : "<span></span>"}${
          hasNext ? `<a href="${esc(pageUrl(page + 1))}" rel="next">Older →</a>` : "<span></span>"
        }</nav>`
      : "";
  const body = notes.length
    ? notes.map((n) => entry(site, n, "h2")).join("\n") + pager
    : `<p class="empty">${page > 1 ? "No more release notes." : "No release notes yet."}</p>${pager}`;
  return layout(site, {
    title: `${site.name} changelog${page > 1 ? ` — page ${page}` : ""}`,
    canonical: pageUrl(page),
    description: `New features, improvements and fixes in ${site.name}.`,
    body,
  });
}

export function notePage(site: ChangelogSite, n: NoteRow, excerpt: string): string {
  return layout(site, {
    title: `${noteTitle(n)} — ${site.name} changelog`,
    canonical: noteUrl(site, n),
    description: excerpt,
    body: `${entry(site, n, "h1")}<p><a href="${esc(changelogUrl(site))}">← All release notes</a></p>`,
    brand: "p",
  });
}

export function notFoundPage(): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Not found</title><style>${STYLE}</style></head>
<body><div class="wrap"><main><h1>Not found</h1><p class="empty">There is no changelog or release note at this address.</p></main></div></body></html>`;
}

// ------------------------------------------------------------------ feeds

/** A stable Atom id per note (RFC 4151 tag URI): survives a slug or workspace rename. */
const tagId = (site: ChangelogSite, id: string) => `tag:${new URL(site.origin).hostname},2026:release-notes/${id}`;
const newestTime = (notes: NoteRow[]) => Math.max(0, ...notes.map((n) => Math.max(n.publishedAt ?? 0, n.updatedAt)));

export function atomFeed(site: ChangelogSite, notes: NoteRow[], now: number): string {
  const updated = new Date(newestTime(notes) || now).toISOString();
  const entries = notes
    .map(
      (n) => `  <entry>
    <title>${esc(noteTitle(n))}</title>
    <id>${esc(tagId(site, n.id))}</id>
    <link rel="alternate" type="text/html" href="${esc(noteUrl(site, n))}"/>
    <published>${new Date(publishedAt(n)).toISOString()}</published>
    <updated>${new Date(Math.max(publishedAt(n), n.updatedAt)).toISOString()}</updated>
    <category term="${n.type}" label="${esc(TYPE_LABEL[n.type])}"/>
    <content type="html">${esc(n.bodyHtml)}</content>
  </entry>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title>${esc(`${site.name} changelog`)}</title>
  <subtitle>${esc(`New features, improvements and fixes in ${site.name}.`)}</subtitle>
  <id>${esc(changelogUrl(site))}</id>
  <link rel="self" type="application/atom+xml" href="${esc(atomUrl(site))}"/>
  <link rel="alternate" type="text/html" href="${esc(changelogUrl(site))}"/>
  <updated>${updated}</updated>
  <author><name>${esc(site.name)}</name></author>
  <generator>Weft</generator>
${entries}
</feed>
`;
}

export function rssFeed(site: ChangelogSite, notes: NoteRow[], now: number): string {
  const items = notes
    .map(
      (n) => `    <item>
      <title>${esc(noteTitle(n))}</title>
      <link>${esc(noteUrl(site, n))}</link>
      <guid isPermaLink="false">${esc(tagId(site, n.id))}</guid>
      <pubDate>${new Date(publishedAt(n)).toUTCString()}</pubDate>
      <category>${esc(TYPE_LABEL[n.type])}</category>
      <description>${esc(n.bodyHtml)}</description>
    </item>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom">
  <channel>
    <title>${esc(`${site.name} changelog`)}</title>
    <link>${esc(changelogUrl(site))}</link>
    <description>${esc(`New features, improvements and fixes in ${site.name}.`)}</description>
    <language>en</language>
    <lastBuildDate>${new Date(newestTime(notes) || now).toUTCString()}</lastBuildDate>
    <generator>Weft</generator>
    <atom:link href="${esc(rssUrl(site))}" rel="self" type="application/rss+xml"/>
${items}
  </channel>
</rss>
`;
}
