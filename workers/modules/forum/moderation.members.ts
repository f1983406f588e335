import { and, eq } from "drizzle-orm";
import { forumMembers } from "../../../schema/forum";
import type { ForumModAction } from "../../../schema/forum-moderation";
import type { Db } from "../../platform/db";
import { badRequest, conflict, forbidden, notFound } from "../../platform/errors";
import { type ModActionRow, type Moderator, movedOn, recordAction, runBatch } from "./moderation.core";
import type { Stmt } from "./posting";

type MemberRow = typeof forumMembers.$inferSelect;

export const MEMBER_ACTIONS = ["suspend", "unsuspend", "silence", "unsilence", "set_trust", "promote", "demote"] as const;
export type MemberAction = (typeof MEMBER_ACTIONS)[number];

export interface MemberActionInput {
  until?: number;
  reason?: string | null;
  level?: number;
  locked?: boolean;
}

/** The member columns each action changes, as they are written in before/after (snake_case). */
const FIELDS = {
  suspend: ["suspended_until", "sanction_reason"],
  unsuspend: ["suspended_until", "sanction_reason"],
  silence: ["silenced_until", "sanction_reason"],
  unsilence: ["silenced_until", "sanction_reason"],
  set_trust: ["trust_level", "trust_locked"],
  promote: ["moderator"],
  demote: ["moderator"],
} as const satisfies Record<MemberAction, readonly string[]>;

const COLUMN = {
  suspended_until: "suspendedUntil",
  silenced_until: "silencedUntil",
  sanction_reason: "sanctionReason",
  trust_level: "trustLevel",
  trust_locked: "trustLocked",
  moderator: "moderator",
} as const satisfies Record<string, keyof MemberRow>;
type Field = keyof typeof COLUMN;

const snapshot = (m: MemberRow, fields: readonly Field[]) => Object.fromEntries(fields.map((f) => [f, m[COLUMN[f]]]));
const toColumns = (state: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(state).map(([k, v]) => [COLUMN[k as Field], v])) as Partial<MemberRow>;

async function loadMember(db: Db, tenantId: string, memberId: string): Promise<MemberRow> {
  const m = await db
    .select()
    .from(forumMembers)
    .where(and(eq(forumMembers.tenantId, tenantId), eq(forumMembers.id, memberId)))
    .get();
  if (!m) throw notFound("Member");
  return m;
}

const setMember = (db: Db, tenantId: string, id: string, set: Partial<MemberRow>, now: number): Stmt =>
  db
    .update(forumMembers)
    .set({ ...set, updatedAt: now })
    .where(and(eq(forumMembers.tenantId, tenantId), eq(forumMembers.id, id)));

/**
 * suspend/silence {until, reason} (end at `until` by themselves), unsuspend/unsilence, set_trust
 * {level, locked}, promote/demote (moderator; needs `forum:manage`). Staff members are not
 * sanctioned or promoted (their role decides what they may do).
 */
export async function memberAction(
  db: Db,
  tenantId: string,
  by: Moderator,
  memberId: string,
  action: MemberAction,
  input: MemberActionInput = {},
) {
  if ((action === "promote" || action === "demote") && !by.canManage)
    throw forbidden("Promoting or demoting moderators needs `forum:manage`.");
  const m = await loadMember(db, tenantId, memberId);
  if (m.kind === "staff" && action !== "set_trust")
    throw conflict("Staff members are moderated by their workspace role, not here.", "staff-member");
  if (m.id === by.id) throw conflict("Moderators do not act on their own account.", "own-account");
  if (by.kind === "enduser" && m.moderator && action !== "set_trust")
    throw forbidden("Moderators do not sanction other moderators; staff do.");
  const now = Date.now();
  let next: Partial<MemberRow>;
  switch (action) {
    case "suspend":
    case "silence": {
      if (!input.until || input.until <= now)
        throw badRequest("`until` must be in the future.", { errors: [{ path: "until", message: "Must be in the future" }] });
      next = action === "suspend" ? { suspendedUntil: input.until } : { silencedUntil: input.until };
      next.sanctionReason = input.reason ?? null;
      break;
    }
    case "unsuspend":
      if (!m.suspendedUntil || m.suspendedUntil <= now) throw conflict("This member is not suspended.", "invalid-state");
      next = { suspendedUntil: null, sanctionReason: m.silencedUntil && m.silencedUntil > now ? m.sanctionReason : null };
      break;
    case "unsilence":
      if (!m.silencedUntil || m.silencedUntil <= now) throw conflict("This member is not silenced.", "invalid-state");
      next = { silencedUntil: null, sanctionReason: m.suspendedUntil && m.suspendedUntil > now ? m.sanctionReason : null };
      break;
    case "set_trust":
      if (input.level === undefined || input.level < 0 || input.level > 4 || !Number.isInteger(input.level))
        throw badRequest("`level` must be 0–4.", { errors: [{ path: "level", message: "0–4" }] });
      next = { trustLevel: input.level, trustLocked: input.locked ?? true };
      break;
    case "promote":
    case "demote":
      if (m.moderator === (action === "promote"))
        throw conflict(`This member is already ${action === "promote" ? "a moderator" : "not a moderator"}.`, "invalid-state");
      next = { moderator: action === "promote" };
      break;
  }
  const fields = FIELDS[action];
  const before = snapshot(m, fields);
  const after = snapshot({ ...m, ...next }, fields);
  const rec = recordAction(
    db,
    tenantId,
    by,
    { action, targetKind: "member", targetId: m.id, reason: input.reason ?? null, before, after },
    now,
  );
  await runBatch(db, [setMember(db, tenantId, m.id, next, now), ...rec.stmts]);
  return { action_id: rec.id, member_id: m.id, ...after };
}

/** Reversal of a member action: its `before` columns back, when they still hold what it wrote. */
export async function reverseMemberAction(
  db: Db,
  tenantId: string,
  by: Moderator,
  a: ModActionRow,
  action: ForumModAction,
  reason: string,
  now: number,
) {
  const m = await loadMember(db, tenantId, a.targetId);
  const before = a.before as Record<string, unknown>;
  const after = a.after as Record<string, unknown>;
  const fields = Object.keys(before).filter((k): k is Field => k in COLUMN);
  for (const f of fields) if ((m[COLUMN[f]] ?? null) !== (after[f] ?? null)) throw movedOn("member");
  const rec = recordAction(
    db,
    tenantId,
    by,
    { action, targetKind: "member", targetId: m.id, reason, before: snapshot(m, fields), after: before },
    now,
  );
  return { stmts: [setMember(db, tenantId, m.id, toColumns(before), now), ...rec.stmts], id: rec.id };
}
