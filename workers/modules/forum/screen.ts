import { and, desc, eq, gt, ne } from "drizzle-orm";
import { forumMembers, forumPosts, type forumSettings } from "../../../schema/forum";
import type { Db } from "../../platform/db";
import { tenantScope } from "../../platform/db";
import type { Env } from "../../platform/env";
import { Problem, tooManyRequests } from "../../platform/errors";
import { classifyPost, logDecision, rememberVerdict } from "./ai-review";

type ForumMemberRow = typeof forumMembers.$inferSelect;
type ForumSettingsRow = typeof forumSettings.$inferSelect;

export interface ScreenInput {
  tenantId: string;
  member: ForumMemberRow;
  settings: ForumSettingsRow;
  ip: string | null;
  topicId: string | null;
  title: string | null;
  bodyMarkdown: string;
  searchText: string;
  links: number;
  images: number;
}

export interface ScreenResult {
  status: "visible" | "pending";
  heldFor: null | "new-user" | "silenced" | "ai";
}

const MINUTE = 60_000;

/** Staff, and end users the workspace made moderators, are trusted: no link limits, holds or AI check. */
export const isTrustedAuthor = (m: ForumMemberRow) => m.kind === "staff" || m.moderator;

/** A sanction is in force while its `until` is in the future; it ends by itself at `until`. */
export const isSuspended = (m: Pick<ForumMemberRow, "suspendedUntil">, now = Date.now()) =>
  m.suspendedUntil !== null && m.suspendedUntil > now;
export const isSilenced = (m: Pick<ForumMemberRow, "silencedUntil">, now = Date.now()) => m.silencedUntil !== null && m.silencedUntil > now;

export function suspendedProblem(m: Pick<ForumMemberRow, "suspendedUntil" | "sanctionReason">): Problem {
  const until = m.suspendedUntil ? new Date(m.suspendedUntil).toISOString() : null;
  return new Problem(
    403,
    "suspended",
    "Suspended",
    `You are suspended from this community until ${until}${m.sanctionReason ? ` (${m.sanctionReason})` : ""}.`,
    { until },
  );
}

/** Seconds until the oldest of `times` (newest first, `limit` of them within the last minute) leaves the window. */
function retryAfter(times: number[], now: number): number {
  const oldest = times[times.length - 1] ?? now;
  return Math.max(1, Math.ceil((oldest + MINUTE - now) / 1000));
}

/**
 * Screens a post (topic or reply) before posts.service writes it. Order: suspension (403), rate
 * limits per member and per IP (429 + Retry-After, counted from forum_posts), trust level 0 link
 * and image limits (422), duplicate text within the window (422), then holds: silenced members,
 * the AI check (when `rules.aiModeration`), trust level 0 members' first `holdFirstPosts` posts.
 */
export async function screenNewPost(env: Env, db: Db, input: ScreenInput): Promise<ScreenResult> {
  const { member, settings, tenantId } = input;
  const rules = settings.rules;
  const now = Date.now();
  if (isSuspended(member, now)) throw suspendedProblem(member);

  const trusted = isTrustedAuthor(member);
  const scope = tenantScope(db, tenantId);
  const since = now - MINUTE;
  const perMember = Math.max(1, rules.postsPerMinute);
  const perIp = Math.max(1, rules.postsPerMinutePerIp);
  const dupSince = now - Math.max(0, rules.duplicateWindowMinutes) * MINUTE;
  const text = input.searchText.trim();

  // One round trip: the member's and the IP's posts in the last minute, and a post with the same text.
  const [byMember, byIp, dup] = await db.batch([
    db
      .select({ at: forumPosts.createdAt })
      .from(forumPosts)
      .where(scope.where(forumPosts, eq(forumPosts.authorId, member.id), gt(forumPosts.createdAt, since)))
      .orderBy(desc(forumPosts.createdAt))
      .limit(perMember),
    db
      .select({ at: forumPosts.createdAt })
      .from(forumPosts)
      .where(scope.where(forumPosts, eq(forumPosts.ip, input.ip ?? "\u0000no-ip"), gt(forumPosts.createdAt, since)))
      .orderBy(desc(forumPosts.createdAt))
      .limit(perIp),
    db
      .select({ id: forumPosts.id })
      .from(forumPosts)
      .where(
        scope.where(
          forumPosts,
          eq(forumPosts.authorId, member.id),
          gt(forumPosts.createdAt, dupSince),
          eq(forumPosts.searchText, input.searchText),
          ne(forumPosts.status, "deleted"),
        ),
      )
      .limit(1),
  ]);

  if (member.kind !== "staff") {
    if (byMember.length >= perMember)
      throw tooManyRequests(
        retryAfter(
          byMember.map((r) => r.at),
          now,
        ),
      );
    if (input.ip && byIp.length >= perIp)
      throw tooManyRequests(
        retryAfter(
          byIp.map((r) => r.at),
          now,
        ),
      );
  }

  if (!trusted && member.trustLevel < 1) {
    if (input.images > 0 && !rules.newUserImages)
      throw new Problem(
        422,
        "images-not-allowed",
        "Images not allowed yet",
        "New members cannot post images yet; they can once they have spent a little time reading the community (trust level 1).",
        { errors: [{ path: "body", message: "Images are not allowed at trust level 0" }] },
      );
    if (input.links + input.images > rules.newUserMaxLinks)
      throw new Problem(
        422,
        "too-many-links",
        "Too many links",
        `New members may post at most ${rules.newUserMaxLinks} link${rules.newUserMaxLinks === 1 ? "" : "s"} in a post (this one has ${input.links + input.images}); the limit lifts at trust level 1.`,
        {
          errors: [{ path: "body", message: `At most ${rules.newUserMaxLinks} links at trust level 0` }],
          max_links: rules.newUserMaxLinks,
        },
      );
  }

  if (rules.duplicateWindowMinutes > 0 && text && dup.length)
    throw new Problem(
      422,
      "duplicate-post",
      "Duplicate post",
      `You posted the same text in the last ${rules.duplicateWindowMinutes} minutes; edit that post or write something new.`,
      { errors: [{ path: "body", message: "Same text as one of your recent posts" }], duplicate_of: dup[0]?.id },
    );

  if (trusted) return { status: "visible", heldFor: null };

  // Holds. The AI check runs even when another hold applies, so moderators see its labels.
  let aiHold = false;
  if (rules.aiModeration) {
    const v = await classifyPost(env, db, tenantId, {
      title: input.title,
      text: input.searchText,
      links: input.links,
      images: input.images,
    });
    rememberVerdict(tenantId, member.id, input.searchText, v, now);
    aiHold = v.verdict === "hold";
  }
  if (isSilenced(member, now)) return { status: "pending", heldFor: "silenced" };
  if (aiHold) return { status: "pending", heldFor: "ai" };
  if (member.trustLevel < 1 && rules.holdFirstPosts > 0 && member.approvedPostCount < rules.holdFirstPosts)
    return { status: "pending", heldFor: "new-user" };
  return { status: "visible", heldFor: null };
}

/** After the post row exists: logs the AI decision (and the `ai_hold` action) against it; no-op when AI moderation was off. */
export async function afterPostWritten(_env: Env, db: Db, tenantId: string, postId: string): Promise<void> {
  await logDecision(db, tenantId, postId);
}

/** For reactions, votes and flags: a suspended member may not act (403 `suspended`). */
export async function assertNotSuspended(db: Db, tenantId: string, memberId: string): Promise<void> {
  const [m] = await db
    .select({ suspendedUntil: forumMembers.suspendedUntil, sanctionReason: forumMembers.sanctionReason })
    .from(forumMembers)
    .where(and(eq(forumMembers.tenantId, tenantId), eq(forumMembers.id, memberId)))
    .limit(1);
  if (m && isSuspended(m)) throw suspendedProblem(m);
}
