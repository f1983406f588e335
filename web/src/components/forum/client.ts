/** Shared types (from the generated api-types) and formatting of the Community pages. */
import type { Res } from "../../lib/api";

export type Activity = Res<"GET /api/v1/forum/activity">;

const one = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
/** Minutes as "12 min", "3.5 h", "2 d"; "—" for none. */
export function fmtMinutes(m: number | null | undefined): string {
  if (m === null || m === undefined || !Number.isFinite(m)) return "—";
  if (m < 1) return "< 1 min";
  if (m < 60) return `${Math.round(m)} min`;
  if (m < 48 * 60) return `${one.format(Math.round(m / 6) / 10)} h`;
  return `${one.format(Math.round(m / 144) / 10)} d`;
}

export type ForumSettings = Res<"GET /api/v1/forum/settings">;
export type Category = Res<"GET /api/v1/forum/categories">["data"][number];

export const READ_ACCESS = [
  { value: "public", label: "Everyone (public)" },
  { value: "signed_in", label: "Signed-in customers" },
  { value: "staff", label: "Staff and moderators only" },
] as const;
export const POST_ACCESS = [
  { value: "signed_in", label: "Signed-in customers" },
  { value: "staff", label: "Staff and moderators only" },
] as const;
export const TRUST_LEVELS = ["New", "Basic", "Member", "Regular", "Leader"] as const;
export const trustLabel = (n: number) => `${n} · ${TRUST_LEVELS[n] ?? "?"}`;
export const DIGESTS = [
  { value: 0, label: "Off" },
  { value: 24, label: "Daily" },
  { value: 168, label: "Weekly" },
] as const;

export type TopicList = Res<"GET /api/v1/forum/topics">;
export type Topic = TopicList["data"][number];
export type TopicView = Res<"GET /api/v1/forum/topics/{id}">;
export type Post = TopicView["posts"][number];
export type Author = Post["author"];

export const TOPIC_STATUSES = ["visible", "pending", "hidden", "deleted", "merged"] as const;
export const STATUS_TONE = { visible: "success", pending: "warning", hidden: "danger", deleted: "neutral", merged: "neutral" } as const;
export const STATUS_LABEL = { visible: "Visible", pending: "Held", hidden: "Hidden", deleted: "Deleted", merged: "Merged" } as const;

export type QueueKind = "flagged" | "pending" | "ai";
export type QueueItem = Res<"GET /api/v1/forum/moderation/queue">["data"][number];
export type ModAction = Res<"GET /api/v1/forum/moderation/actions">["data"][number];
export type Member = Res<"GET /api/v1/forum/members">["data"][number];

export const FLAG_REASON: Record<string, string> = { spam: "Spam", off_topic: "Off-topic", abusive: "Abusive", other: "Other" };
export const HELD_FOR: Record<string, string> = {
  "new-user": "New member's post",
  silenced: "Member is silenced",
  ai: "Held by the AI check",
};
