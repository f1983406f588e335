import { BADGES, type BadgeId } from "../badges";
import { TRUST_LEVEL_NAMES } from "../trust";
import { ago, esc } from "./layout";
import { topicPath } from "./lists.view";
import type { profileData } from "./queries";

/** A member's public profile: name, staff/moderator, trust level, reputation, badges, counts, recent posts. */
export function profileBody(base: string, d: NonNullable<Awaited<ReturnType<typeof profileData>>>): string {
  const m = d.member;
  const role =
    m.kind === "staff" ? `<span class="pill brand">Staff</span>` : m.moderator ? `<span class="pill brand">Moderator</span>` : "";
  const badges = d.badges.length
    ? `<ul class="list">${d.badges
        .map((b) => {
          const def = (BADGES as Record<string, { name: string; description: string } | undefined>)[b.badge as BadgeId];
          return `<li><strong>${esc(def?.name ?? b.badge)}</strong> <span class="meta">${esc(def?.description ?? "")} · ${ago(b.awardedAt)}</span></li>`;
        })
        .join("")}</ul>`
    : `<p class="muted">No badges yet.</p>`;
  const recent = d.recent.length
    ? `<ul class="list">${d.recent
        .map(
          (r) =>
            `<li><a class="t" href="${topicPath(base, { slug: r.topicSlug, id: r.topicId })}#post-${r.number}">${esc(r.topicTitle)}</a><span class="meta">${ago(r.createdAt)} — ${esc(r.text)}</span></li>`,
        )
        .join("")}</ul>`
    : `<p class="muted">No posts yet.</p>`;
  return `<p class="muted"><a href="${base}">Community</a> ›</p><h1>${esc(m.displayName)}${role}</h1>
<p class="muted">@${esc(m.username)} · ${esc(TRUST_LEVEL_NAMES[m.trustLevel] ?? "")} · joined ${ago(m.createdAt)}</p>${m.bio ? `<p>${esc(m.bio)}</p>` : ""}
<dl class="card"><dt class="muted">Reputation</dt><dd>${m.reputation}</dd><dt class="muted">Topics · posts</dt><dd>${m.topicCount} · ${m.postCount}</dd>
<dt class="muted">Accepted answers</dt><dd>${m.acceptedAnswers}</dd><dt class="muted">Likes received</dt><dd>${m.likesReceived}</dd></dl>
<section class="card" aria-labelledby="badges-h"><h2 id="badges-h">Badges</h2>${badges}</section>
<section class="card" aria-labelledby="recent-h"><h2 id="recent-h">Recent posts</h2>${recent}</section>`;
}
