import { Hono } from "hono";
import type { AppEnv } from "../../../platform/context";
import { Problem } from "../../../platform/errors";
import { readableCategories } from "../categories.service";
import { searchPosts, type SearchQuery } from "../search.service";
import { pageCtx, shellOf } from "./context";
import { alert, esc, page } from "./layout";
import { topicPath } from "./lists.view";

/**
 * `/search?q=` with filters (category, author, solved, date range): a GET form, results with the
 * topic, the author, a snippet whose matches are `<mark>`ed (escaped by the search service), and a
 * "more results" link (cursor). Only what the reader may read is searched.
 */
export const communitySearchPages = new Hono<AppEnv>();

const day = (s: string | undefined, end = false) => {
  if (!s || !/^\d{4}-\d{2}-\d{2}$/.test(s)) return undefined;
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isNaN(t) ? undefined : end ? t + 86_400_000 - 1 : t;
};

communitySearchPages.get("/:slug/search", async (c) => {
  const p = await pageCtx(c);
  const f = c.req.query();
  const q = (f.q ?? "").slice(0, 200);
  const cats = await readableCategories(p.db, p.tenantId, p.viewer);
  const query: SearchQuery = {
    q,
    limit: 20,
    ...(f.category ? { category: f.category } : {}),
    ...(f.author ? { author: f.author.slice(0, 40) } : {}),
    ...(f.solved === "yes" ? { solved: true } : f.solved === "no" ? { solved: false } : {}),
    ...(day(f.from) !== undefined ? { from: day(f.from) } : {}),
    ...(day(f.to, true) !== undefined ? { to: day(f.to, true) } : {}),
    ...(f.cursor ? { cursor: f.cursor } : {}),
  };
  let error: string | null = null;
  let results: Awaited<ReturnType<typeof searchPosts>> = { data: [], next_cursor: null };
  if (q.trim()) {
    try {
      results = await searchPosts(p.db, p.tenantId, p.viewer, query);
    } catch (e) {
      if (!(e instanceof Problem) || e.status >= 500) throw e;
      error = e.detail ?? e.title;
    }
  }
  const catName = new Map(cats.map((x) => [x.id, x.name]));
  const opt = (v: string, label: string, cur: string | undefined) =>
    `<option value="${esc(v)}"${cur === v ? " selected" : ""}>${esc(label)}</option>`;
  const form = `<form method="get" action="${p.base}/search" role="search" class="card">
<label for="q">Search the community</label><input id="q" type="search" name="q" value="${esc(q)}" required maxlength="200">
<details${f.category || f.author || f.solved || f.from || f.to ? " open" : ""}><summary>Filters</summary>
<label for="category">Category</label><select id="category" name="category">${opt("", "Any", f.category ?? "")}${cats.map((x) => opt(x.id, x.name, f.category)).join("")}</select>
<label for="author">Author (username)</label><input id="author" name="author" value="${esc(f.author ?? "")}" maxlength="40">
<label for="solved">Solved</label><select id="solved" name="solved">${opt("", "Any", f.solved ?? "")}${opt("yes", "Solved", f.solved)}${opt("no", "Not solved", f.solved)}</select>
<label for="from">From</label><input id="from" name="from" type="date" value="${esc(f.from ?? "")}">
<label for="to">To</label><input id="to" name="to" type="date" value="${esc(f.to ?? "")}"></details>
<p><button type="submit" class="primary">Search</button></p></form>`;
  const list = results.data.length
    ? `<ul class="list" aria-label="Results">${results.data
        .map(
          (r) =>
            `<li><a class="t" href="${topicPath(p.base, r.topic)}#post-${r.post.number}">${r.topic.title_html}</a>${r.topic.solved ? `<span class="pill ok">Solved</span>` : ""}${r.post.accepted ? `<span class="pill ok">Accepted answer</span>` : ""}
<span class="meta">${esc(catName.get(r.topic.category_id) ?? "")} · ${esc(r.post.author.display_name)}${r.post.author.staff ? " (staff)" : ""} · ${esc(r.post.created_at.slice(0, 10))}</span><p>${r.snippet}</p></li>`,
        )
        .join("")}</ul>`
    : q.trim() && !error
      ? `<p class="muted">No results for “${esc(q)}”.</p>`
      : "";
  const more = results.next_cursor
    ? `<nav class="pager" aria-label="More results"><span></span><a rel="next" href="${p.base}/search?${esc(new URLSearchParams({ ...f, cursor: results.next_cursor }).toString())}">More results →</a></nav>`
    : "";
  const body = `<p class="muted"><a href="${p.base}">Community</a> ›</p><h1>Search</h1>${alert(error)}${form}${q.trim() ? `<section class="card" aria-live="polite"><h2>Results</h2>${list}</section>${more}` : ""}`;
  return c.html(page(shellOf(p, q ? `Search: ${q}` : "Search", { noindex: true }), body), error ? 400 : 200);
});
