import { FORUM_FLAG_REASONS } from "../../../../schema/forum-moderation";
import { FORUM_REACTIONS, type ForumReaction } from "../../../../schema/forum";
import type { CategoryRow, TopicRow } from "../access";
import { TRUST_LEVEL_NAMES } from "../trust";
import { ago, alert, esc, notice } from "./layout";
import { categoryPath, topicPath } from "./lists.view";
import type { PostRow } from "./topic.queries";

/**
 * The topic page: the accepted answer on top, the posts with their authors (staff badge, trust
 * level), reactions and votes, quote reply, edit (own posts) and history, the flag form, moderator
 * tools, "awaiting approval" on held posts, and the reply form. Every control is a plain form that
 * posts and comes back (303); the script upgrades reactions and votes to in-place updates.
 */

export const REACTION_EMOJI: Record<ForumReaction, string> = {
  like: "👍",
  heart: "❤️",
  laugh: "😄",
  hooray: "🎉",
  confused: "😕",
  eyes: "👀",
};

export interface TopicView {
  base: string;
  topic: TopicRow;
  category: CategoryRow;
  posts: PostRow[];
  accepted: PostRow | null;
  page: number;
  more: boolean;
  myReactions: Map<string, Set<string>>;
  myVotes: Map<string, number>;
  me: string | null;
  signedIn: boolean;
  canReply: boolean;
  canAccept: boolean;
  moderator: boolean;
  /** Prefilled reply (quote reply, a saved draft, or the text of a refused post). */
  replyBody: string;
  /** The post being edited (`?edit=`), with its Markdown in the form. */
  editing: string | null;
  /** A revision list to show under a post (`?history=`). */
  history: { postId: string; revisions: { number: number; bodyMarkdown: string; createdAt: number; reason: string | null }[] } | null;
  error: string | null;
  notice: string | null;
  signInHref: string;
}

const hidden = (name: string, value: string) => `<input type="hidden" name="${name}" value="${esc(value)}">`;
const postForm = (action: string, fields: string, button: string, attrs = "") =>
  `<form method="post" action="${action}"${attrs}>${fields}<button type="submit">${button}</button></form>`;

function authorLine(v: TopicView, p: PostRow): string {
  const path = topicPath(v.base, v.topic);
  const name = p.authorUsername
    ? `<a href="${v.base}/u/${esc(p.authorUsername)}"><strong>${esc(p.authorName ?? p.authorUsername)}</strong></a>`
    : `<strong>Deleted user</strong>`;
  const staff =
    p.authorKind === "staff"
      ? `<span class="pill brand">Staff</span>`
      : p.authorModerator
        ? `<span class="pill brand">Moderator</span>`
        : "";
  const trust =
    p.authorKind === "enduser" && p.authorTrust !== null ? `<span class="meta">${esc(TRUST_LEVEL_NAMES[p.authorTrust] ?? "")}</span>` : "";
  const edited = p.editedAt ? ` · <a href="${path}?history=${esc(p.id)}#post-${p.number}">edited</a>` : "";
  const state =
    p.status === "pending"
      ? `<span class="pill warn">Awaiting approval</span>`
      : p.status === "hidden"
        ? `<span class="pill warn">Hidden</span>`
        : "";
  return `<header>${name}${staff}${trust}<span class="meta"><a href="${path}#post-${p.number}">${ago(p.createdAt)}</a>${edited}</span>${state}</header>`;
}

function reactionsHtml(v: TopicView, p: PostRow): string {
  const counts = p.reactions ?? {};
  const mine = v.myReactions.get(p.id);
  const action = `${v.base}/-/posts/${esc(p.id)}/react`;
  const items = FORUM_REACTIONS.map((r) => {
    const n = counts[r] ?? 0;
    const on = mine?.has(r) ?? false;
    // "Like" is spelled out (the one everyone uses; an emoji alone is a box where no emoji font is installed).
    const label = `${REACTION_EMOJI[r]}${r === "like" ? " Like" : ""} <span data-count>${n || ""}</span><span class="sr"> ${r}</span>`;
    if (!v.signedIn || p.authorId === v.me)
      return n ? `<span class="pill" title="${r}">${REACTION_EMOJI[r]}${r === "like" ? " Like" : ""} ${n}</span>` : "";
    if (!n && r !== "like" && !on) return ""; // the less common ones appear once used (and in the script's picker)
    return postForm(action, hidden("reaction", r) + hidden("on", on ? "0" : "1"), label, ` data-react="${r}"`).replace(
      '<button type="submit">',
      `<button type="submit" aria-pressed="${on}" aria-label="${r}, ${n}">`,
    );
  }).join("");
  return items;
}

function votesHtml(v: TopicView, p: PostRow): string {
  const score = p.upvotes - p.downvotes;
  if (!v.signedIn || p.authorId === v.me) return `<span class="pill" title="score">▲ ${score}</span>`;
  const mine = v.myVotes.get(p.id) ?? 0;
  const action = `${v.base}/-/posts/${esc(p.id)}/vote`;
  const btn = (value: number, glyph: string, label: string) =>
    postForm(action, hidden("value", mine === value ? "0" : String(value)), glyph, " data-vote").replace(
      '<button type="submit">',
      `<button type="submit" aria-pressed="${mine === value}" aria-label="${label}">`,
    );
  return `<span class="actions" role="group" aria-label="Vote">${btn(1, "▲", "Vote up")}<span data-score aria-live="polite">${score}</span>${btn(-1, "▼", "Vote down")}</span>`;
}

function toolsHtml(v: TopicView, p: PostRow): string {
  const path = topicPath(v.base, v.topic);
  const out: string[] = [];
  if (v.canReply) out.push(`<a class="btn" href="${path}?quote=${esc(p.id)}#reply">Quote</a>`);
  if (v.me && p.authorId === v.me) out.push(`<a class="btn" href="${path}?edit=${esc(p.id)}#post-${p.number}">Edit</a>`);
  if (v.canAccept && p.number > 1 && p.status === "visible") {
    out.push(
      v.topic.acceptedPostId === p.id
        ? postForm(`${v.base}/-/topics/${esc(v.topic.id)}/unaccept`, "", "Unmark answer")
        : postForm(`${v.base}/-/topics/${esc(v.topic.id)}/accept`, hidden("post_id", p.id), "✓ Accept answer"),
    );
  }
  if (v.signedIn && p.authorId !== v.me) {
    const reasons = FORUM_FLAG_REASONS.map(
      (r, i) => `<label><input type="radio" name="reason" value="${r}"${i === 0 ? " checked" : ""}> ${r.replace("_", "-")}</label>`,
    ).join("");
    out.push(
      `<details class="tools"><summary>Flag</summary><form method="post" action="${v.base}/-/posts/${esc(p.id)}/flag"><fieldset><legend>Why should moderators look at this post?</legend>${reasons}</fieldset><label for="note-${esc(p.id)}">Note (optional)</label><input id="note-${esc(p.id)}" name="note" maxlength="500"><button type="submit">Send flag</button></form></details>`,
    );
  }
  if (v.moderator) {
    const mod = (action: string, label: string) => postForm(`${v.base}/-/moderation/posts/${esc(p.id)}/${action}`, "", label);
    const acts =
      p.status === "pending"
        ? [mod("approve", "Approve"), mod("reject", "Reject")]
        : p.status === "hidden"
          ? [mod("unhide", "Unhide"), mod("delete", "Delete")]
          : [mod("hide", "Hide"), mod("delete", "Delete")];
    out.push(`<details class="tools"><summary>Moderate</summary><div class="actions">${acts.join("")}</div></details>`);
  }
  return out.join("");
}

function editForm(v: TopicView, p: PostRow): string {
  return `<form method="post" action="${v.base}/-/posts/${esc(p.id)}/edit">
${p.number === 1 ? `<label for="edit-title">Title</label><input id="edit-title" name="title" maxlength="200" value="${esc(v.topic.title)}">` : ""}
<label for="edit-body">Edit your post</label><textarea id="edit-body" name="body" required>${esc(p.bodyMarkdown)}</textarea>
<label for="edit-reason">Reason (optional)</label><input id="edit-reason" name="reason" maxlength="200">
<div class="actions"><button type="submit" class="primary">Save edit</button><a class="btn" href="${topicPath(v.base, v.topic)}#post-${p.number}">Cancel</a></div></form>`;
}

function historyHtml(v: TopicView, p: PostRow): string {
  if (v.history?.postId !== p.id) return "";
  const items = v.history.revisions
    .map(
      (r) =>
        `<li><span class="meta">Version ${r.number} · ${ago(r.createdAt)}${r.reason ? ` · ${esc(r.reason)}` : ""}</span><pre>${esc(r.bodyMarkdown)}</pre></li>`,
    )
    .join("");
  return `<section class="card" aria-label="Edit history"><h2>Edit history</h2><ul class="list">${items || "<li>No earlier versions.</li>"}</ul></section>`;
}

function postHtml(v: TopicView, p: PostRow, id = `post-${p.number}`): string {
  const cls = ["post", v.topic.acceptedPostId === p.id ? "accepted" : "", p.status !== "visible" ? "held" : ""].filter(Boolean).join(" ");
  const body = v.editing === p.id && p.authorId === v.me ? editForm(v, p) : `<div class="body">${p.bodyHtml}</div>`;
  return `<article class="${cls}" id="${id}" data-post="${esc(p.id)}" data-number="${p.number}" aria-labelledby="${id}-by">
${authorLine(v, p).replace("<header>", `<header id="${id}-by">`)}${body}
<div class="actions">${votesHtml(v, p)}${reactionsHtml(v, p)}${toolsHtml(v, p)}</div>${historyHtml(v, p)}</article>`;
}

function topicTools(v: TopicView): string {
  if (!v.moderator) return "";
  const t = v.topic;
  const mod = (action: string, label: string, extra = "") => postForm(`${v.base}/-/moderation/topics/${esc(t.id)}/${action}`, extra, label);
  const acts = [
    t.lockedAt ? mod("unlock", "Unlock") : mod("lock", "Lock"),
    t.pin !== "none" ? mod("unpin", "Unpin") : mod("pin", "Pin", hidden("scope", "category")),
    t.status === "hidden" ? mod("unhide", "Unhide topic") : mod("hide", "Hide topic"),
  ];
  return `<details class="tools"><summary>Moderator tools</summary><div class="actions">${acts.join("")}</div></details>`;
}

export function topicBody(v: TopicView): string {
  const t = v.topic;
  const path = topicPath(v.base, t);
  const solved = t.acceptedPostId ? `<span class="pill ok">Solved</span>` : "";
  const state = [
    t.lockedAt ? `<span class="pill">Locked</span>` : "",
    t.status === "pending" ? `<span class="pill warn">Awaiting approval</span>` : "",
    t.status === "hidden" ? `<span class="pill warn">Hidden</span>` : "",
  ].join("");
  const accepted =
    v.accepted && v.accepted.number > 1
      ? `<section aria-labelledby="accepted-h"><h2 id="accepted-h">✓ Accepted answer</h2>${postHtml(v, v.accepted, "accepted-answer")}</section>`
      : "";
  const posts = v.posts.map((p) => postHtml(v, p)).join("");
  const pager =
    v.page > 1 || v.more
      ? `<nav class="pager" aria-label="Pages">${v.page > 1 ? `<a rel="prev" href="${path}${v.page > 2 ? `?page=${v.page - 1}` : ""}">← Earlier posts</a>` : "<span></span>"}${
          v.more ? `<a rel="next" href="${path}?page=${v.page + 1}">Later posts →</a>` : ""
        }</nav>`
      : "";
  let reply: string;
  if (v.canReply) {
    reply = `<section class="card" id="reply" aria-labelledby="reply-h"><h2 id="reply-h">Your reply</h2>${alert(v.error)}
<form method="post" action="${path}/reply" data-draft="reply:${esc(t.id)}"><label for="reply-body" class="sr">Reply</label>
<textarea id="reply-body" name="body" required maxlength="50000" data-mentions aria-describedby="reply-hint">${esc(v.replyBody)}</textarea>
<p id="reply-hint" class="muted">Markdown works. Mention someone with @name. <span data-draft-status aria-live="polite"></span></p>
<button type="submit" class="primary">Reply</button></form></section>`;
  } else if (!v.signedIn) {
    reply = `<p class="card"><a class="btn primary" href="${esc(v.signInHref)}">Sign in to reply</a></p>`;
  } else {
    reply = `<p class="card muted">${t.lockedAt ? "This topic is locked." : "You cannot reply here."}</p>`;
  }
  return `<p class="muted"><a href="${v.base}">Community</a> › <a href="${categoryPath(v.base, v.category)}">${esc(v.category.name)}</a></p>
<h1>${esc(t.title)}${solved}${state}</h1>${notice(v.notice)}${topicTools(v)}${accepted}
<div data-topic="${esc(t.id)}" data-last-read="${v.posts.at(-1)?.number ?? 0}">${posts}</div>${pager}${reply}`;
}
