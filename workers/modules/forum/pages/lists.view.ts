import type { CategoryRow } from "../access";
import { ago, esc } from "./layout";
import { SORTS, type TopicListRow, type TopicSort } from "./queries";

/** The community home and category pages: categories with counts, topic lists, sort tabs, pagination. */

export const topicPath = (base: string, t: { slug: string; id: string }) => `${base}/t/${encodeURIComponent(t.slug || "topic")}/${t.id}`;
export const categoryPath = (base: string, c: { slug: string }) => `${base}/c/${encodeURIComponent(c.slug)}`;

const dot = (color: string) =>
  `<span class="dot" style="background:${/^#[0-9a-f]{3,8}$/i.test(color) ? color : "#6366f1"}" aria-hidden="true"></span>`;

function topicItem(base: string, t: TopicListRow, cats: Map<string, CategoryRow> | null, now: number): string {
  const badges = [
    t.pin !== "none" ? `<span class="pill brand">Pinned</span>` : "",
    t.acceptedPostId ? `<span class="pill ok">Solved</span>` : "",
    t.lockedAt ? `<span class="pill">Locked</span>` : "",
    t.status === "pending" ? `<span class="pill warn">Awaiting approval</span>` : "",
  ].join("");
  const cat = cats?.get(t.categoryId);
  const where = cat ? `${dot(cat.color)}<a href="${categoryPath(base, cat)}">${esc(cat.name)}</a> · ` : "";
  const replies = t.postCount - 1;
  return `<li><a class="t" href="${topicPath(base, t)}">${esc(t.title)}</a>${badges}
<span class="meta">${where}${esc(t.authorName ?? "Deleted user")} · ${replies} ${replies === 1 ? "reply" : "replies"} · ${t.viewCount} views · last ${ago(t.lastPostedAt, now)}${t.lastPosterName ? ` by ${esc(t.lastPosterName)}` : ""}</span></li>`;
}

export function topicListHtml(base: string, topics: TopicListRow[], cats: Map<string, CategoryRow> | null, empty: string): string {
  const now = Date.now();
  if (!topics.length) return `<p class="muted">${esc(empty)}</p>`;
  return `<ul class="list">${topics.map((t) => topicItem(base, t, cats, now)).join("")}</ul>`;
}

export function homeBody(
  base: string,
  o: {
    title: string;
    description: string;
    categories: CategoryRow[];
    unread: Map<string, number>;
    topics: TopicListRow[];
    signedIn: boolean;
  },
): string {
  const cats = new Map(o.categories.map((c) => [c.id, c]));
  const catList = o.categories.length
    ? `<ul class="list">${o.categories
        .map((c) => {
          const unread = o.unread.get(c.id) ?? 0;
          const private_ =
            c.readAccess === "public" ? "" : `<span class="pill">${c.readAccess === "staff" ? "Staff only" : "Members"}</span>`;
          return `<li>${dot(c.color)}<a class="t" href="${categoryPath(base, c)}">${esc(c.name)}</a>${private_}${
            unread ? ` <span class="count" aria-label="${unread} unread">${unread}</span>` : ""
          }
<span class="meta">${esc(c.description)}${c.description ? " · " : ""}${c.topicCount} topics · ${c.postCount} posts</span></li>`;
        })
        .join("")}</ul>`
    : `<p class="muted">No categories yet.</p>`;
  const pinned = o.topics.filter((t) => t.pin === "global");
  const latest = o.topics.filter((t) => t.pin !== "global");
  return `<h1>${esc(o.title)}</h1>${o.description ? `<p class="muted">${esc(o.description)}</p>` : ""}
<p><a class="btn primary" href="${base}/new">New topic</a></p>
<section aria-labelledby="cats" class="card"><h2 id="cats">Categories</h2>${catList}</section>
${pinned.length ? `<section aria-labelledby="pinned" class="card"><h2 id="pinned">Pinned</h2>${topicListHtml(base, pinned, cats, "")}</section>` : ""}
<section aria-labelledby="latest" class="card"><h2 id="latest">Latest</h2>${topicListHtml(base, latest, cats, "No topics yet. Start the first one.")}</section>`;
}

const SORT_LABEL: Record<TopicSort, string> = { latest: "Latest", top: "Top", unanswered: "Unanswered", solved: "Solved" };

export function categoryBody(
  base: string,
  o: { category: CategoryRow; topics: TopicListRow[]; sort: TopicSort; page: number; more: boolean; canStart: boolean },
): string {
  const path = categoryPath(base, o.category);
  const q = (sort: TopicSort, page = 1) => {
    const p = new URLSearchParams();
    if (sort !== "latest") p.set("sort", sort);
    if (page > 1) p.set("page", String(page));
    const s = p.toString();
    return s ? `${path}?${s}` : path;
  };
  const tabs = `<nav class="tabs" aria-label="Sort topics">${SORTS.map(
    (s) => `<a href="${q(s)}"${s === o.sort ? ' aria-current="page"' : ""}>${SORT_LABEL[s]}</a>`,
  ).join("")}</nav>`;
  const pager =
    o.page > 1 || o.more
      ? `<nav class="pager" aria-label="Pages">${o.page > 1 ? `<a href="${q(o.sort, o.page - 1)}" rel="prev">← Newer</a>` : "<span></span>"}${
          o.more ? `<a href="${q(o.sort, o.page + 1)}" rel="next">Older →</a>` : ""
        }</nav>`
      : "";
  const start = o.canStart ? `<p><a class="btn primary" href="${base}/new?category=${esc(o.category.id)}">New topic</a></p>` : "";
  return `<p class="muted"><a href="${base}">Community</a> ›</p><h1>${dot(o.category.color)}${esc(o.category.name)}</h1>
${o.category.description ? `<p class="muted">${esc(o.category.description)}</p>` : ""}${start}${tabs}
<section class="card" aria-label="Topics">${topicListHtml(base, o.topics, null, o.sort === "latest" ? "No topics here yet." : "No topics match.")}</section>${pager}`;
}
