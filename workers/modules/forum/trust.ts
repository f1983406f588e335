import type { ForumRules, ForumTrustThresholds, forumMembers } from "../../../schema/forum";

type ForumMemberRow = typeof forumMembers.$inferSelect;

/** Names of the levels (Discourse's): 0 new · 1 basic · 2 member · 3 regular · 4 leader (staff-granted only). */
export const TRUST_LEVEL_NAMES = ["new", "basic", "member", "regular", "leader"] as const;

/** Flag weight by the flagger's trust level; staff and moderators weigh the whole hide threshold alone. */
export const FLAG_WEIGHT_BY_LEVEL = [1, 1, 2, 3, 4] as const;

export function flagWeight(
  m: Pick<ForumMemberRow, "kind" | "moderator" | "trustLevel">,
  rules: Pick<ForumRules, "flagHideThreshold">,
): number {
  if (m.kind === "staff" || m.moderator) return Math.max(1, rules.flagHideThreshold);
  return FLAG_WEIGHT_BY_LEVEL[Math.min(4, Math.max(0, m.trustLevel))] ?? 1;
}

type Activity = Pick<
  ForumMemberRow,
  "topicsEntered" | "postsRead" | "readSeconds" | "daysVisited" | "likesReceived" | "likesGiven" | "postCount"
>;

/**
 * The level a member's activity earns (0–3; 4 is only granted by staff). Each level requires the
 * one below it. `readMinutes` is read time in whole minutes; posts created count visible posts.
 */
export function earnedTrustLevel(a: Activity, t: ForumTrustThresholds): number {
  const minutes = Math.floor(a.readSeconds / 60);
  const basic = a.topicsEntered >= t.basic.topicsEntered && a.postsRead >= t.basic.postsRead && minutes >= t.basic.readMinutes;
  if (!basic) return 0;
  const member =
    a.daysVisited >= t.member.daysVisited &&
    a.postsRead >= t.member.postsRead &&
    minutes >= t.member.readMinutes &&
    a.likesReceived >= t.member.likesReceived &&
    a.postCount >= t.member.postsCreated;
  if (!member) return 1;
  const regular =
    a.daysVisited >= t.regular.daysVisited &&
    a.postsRead >= t.regular.postsRead &&
    a.likesReceived >= t.regular.likesReceived &&
    a.likesGiven >= t.regular.likesGiven &&
    a.postCount >= t.regular.postsCreated;
  return regular ? 3 : 2;
}

/**
 * The level `refreshStanding` writes: unchanged when staff locked it; otherwise the higher of the
 * current and the earned level (levels are not taken away automatically — staff demote with a lock).
 */
export function nextTrustLevel(m: Activity & Pick<ForumMemberRow, "trustLevel" | "trustLocked">, t: ForumTrustThresholds): number {
  if (m.trustLocked) return m.trustLevel;
  return Math.max(m.trustLevel, earnedTrustLevel(m, t));
}
