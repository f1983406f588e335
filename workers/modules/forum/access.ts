import type { forumCategories, forumMembers, forumTopics } from "../../../schema/forum";
import type { Role } from "../../../schema/tenancy";

/**
 * The forum's permission matrix, in one place (docs/forum.md). Every read and write of the module
 * asks these functions; hosted pages and both APIs share them.
 *
 * | category access | anonymous | end user | moderator (promoted end user) | staff |
 * |---|---|---|---|---|
 * | read `public` | ✓ | ✓ | ✓ | ✓ |
 * | read `signed_in` | – | ✓ | ✓ | ✓ |
 * | read `staff` | – | – | ✓ | ✓ |
 * | topic/reply `signed_in` | – | ✓ (topics: trust ≥ min_trust_to_topic) | ✓ | ✓ |
 * | topic/reply `staff` | – | – | ✓ | ✓ |
 *
 * Nobody writes where they cannot read. Suspended members write nothing; locked topics take replies
 * from moderators only; archived categories take nothing new.
 */

export type ForumMemberRow = typeof forumMembers.$inferSelect;
export type CategoryRow = typeof forumCategories.$inferSelect;
export type TopicRow = typeof forumTopics.$inferSelect;

export type Viewer =
  | { kind: "anonymous" }
  | { kind: "enduser"; id: string; member: ForumMemberRow | null } // member null until first action
  | { kind: "staff"; id: string; member: ForumMemberRow | null; role: Role };

export const ANONYMOUS: Viewer = { kind: "anonymous" };

/** Staff, or an end user the workspace promoted to moderator. */
export function isModerator(v: Viewer): boolean {
  if (v.kind === "staff") return true;
  return v.kind === "enduser" && v.member?.moderator === true;
}

/** The viewer's member id (end user or staff id), null when anonymous. */
export const viewerId = (v: Viewer): string | null => (v.kind === "anonymous" ? null : v.id);

export function isSuspended(v: Viewer, now = Date.now()): boolean {
  return v.kind !== "anonymous" && (v.member?.suspendedUntil ?? 0) > now;
}

export function canRead(cat: CategoryRow, v: Viewer): boolean {
  switch (cat.readAccess) {
    case "public":
      return true;
    case "signed_in":
      return v.kind !== "anonymous";
    case "staff":
      return isModerator(v);
  }
}

function mayWrite(access: CategoryRow["topicAccess"], v: Viewer): boolean {
  if (v.kind === "anonymous") return false;
  return access === "signed_in" || isModerator(v);
}

export function canStartTopic(cat: CategoryRow, v: Viewer): boolean {
  if (cat.archivedAt || !canRead(cat, v) || isSuspended(v) || !mayWrite(cat.topicAccess, v)) return false;
  if (isModerator(v)) return true;
  return (v.kind === "enduser" ? (v.member?.trustLevel ?? 0) : 0) >= cat.minTrustToTopic;
}

export function canReply(cat: CategoryRow, topic: TopicRow, v: Viewer): boolean {
  if (cat.archivedAt || !canRead(cat, v) || isSuspended(v) || !mayWrite(cat.replyAccess, v)) return false;
  if (topic.status !== "visible" && !isModerator(v)) return false;
  return topic.lockedAt === null || isModerator(v);
}

/** Whether the viewer sees a topic (its category readable, and visible — or theirs while pending, or a moderator). */
export function canSeeTopic(cat: CategoryRow, topic: TopicRow, v: Viewer): boolean {
  if (!canRead(cat, v)) return false;
  if (topic.status === "visible") return true;
  if (isModerator(v)) return true;
  return topic.status === "pending" && viewerId(v) === topic.authorId;
}

/** Who may mark an accepted answer: the asker, staff, moderators. */
export function canAccept(topic: TopicRow, v: Viewer): boolean {
  if (topic.kind !== "question" || v.kind === "anonymous" || isSuspended(v)) return false;
  return isModerator(v) || v.id === topic.authorId;
}
