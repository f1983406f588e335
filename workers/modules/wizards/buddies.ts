/**
 * The team wizard's buddies (`team_buddies`): saved when the invitations go out, shown on the Team
 * page, and announced to the buddy — in-app and by email — when the newcomer accepts (the
 * `member.joined` workspace event, wired in workers/compose.ts). Notified once per invitation.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { env as workerEnv } from "cloudflare:workers";
import { teamBuddies } from "../../../schema/wizards";
import { users } from "../../../schema/identity";
import { tenantScope, type Db } from "../../platform/db";
import { getTenant, getUserProfile } from "../../platform/directory";
import type { Env } from "../../platform/env";
import { iso } from "../../platform/request";
import type { WorkspaceEvent } from "../../platform/workspace-events";
import { send } from "../messaging";

export async function saveBuddies(
  db: Db,
  tenantId: string,
  createdBy: string,
  rows: { invitationId: string; email: string; buddyUserId: string }[],
): Promise<void> {
  const at = Date.now();
  const [first, ...rest] = rows.map((r) =>
    db
      .insert(teamBuddies)
      .values({ tenantId, invitationId: r.invitationId, email: r.email, buddyUserId: r.buddyUserId, createdBy, createdAt: at })
      .onConflictDoUpdate({ target: [teamBuddies.tenantId, teamBuddies.invitationId], set: { buddyUserId: r.buddyUserId } }),
  );
  if (first) await db.batch([first, ...rest]);
}

/** The workspace's buddies, newest first (the Team page shows them next to the newcomer). */
export async function listBuddies(db: Db, tenantId: string) {
  const rows = await db
    .select({
      invitationId: teamBuddies.invitationId,
      email: teamBuddies.email,
      buddyUserId: teamBuddies.buddyUserId,
      buddyName: users.name,
      buddyEmail: users.email,
      newcomerUserId: teamBuddies.newcomerUserId,
      notifiedAt: teamBuddies.notifiedAt,
      createdAt: teamBuddies.createdAt,
    })
    .from(teamBuddies)
    .leftJoin(users, eq(users.id, teamBuddies.buddyUserId))
    .where(tenantScope(db, tenantId).where(teamBuddies))
    .orderBy(sql`${teamBuddies.createdAt} desc`)
    .limit(200);
  return rows.map((r) => ({
    invitation_id: r.invitationId,
    email: r.email,
    buddy: { user_id: r.buddyUserId, name: r.buddyName ?? "", email: r.buddyEmail ?? "" },
    newcomer_user_id: r.newcomerUserId,
    notified_at: iso(r.notifiedAt),
    created_at: iso(r.createdAt)!,
  }));
}

/** member.joined: tells the newcomer's buddy (once), in-app and by email. */
export async function notifyBuddy(db: Db, e: WorkspaceEvent, env: Env = workerEnv as Env): Promise<void> {
  if (e.type !== "member.joined") return;
  const userId = typeof e.data.user_id === "string" ? e.data.user_id : null;
  if (!userId) return;
  const newcomer = await getUserProfile(db, userId);
  if (!newcomer) return;
  const at = Date.now();
  // The claim: only the request that fills newcomer_user_id sends, so a redelivered event sends nothing.
  const claimed = await db
    .update(teamBuddies)
    .set({ newcomerUserId: userId, notifiedAt: at })
    .where(and(eq(teamBuddies.tenantId, e.tenantId), eq(teamBuddies.email, newcomer.email.toLowerCase()), isNull(teamBuddies.notifiedAt)))
    .returning();
  if (!claimed.length) return;
  const [tenant, buddy] = await Promise.all([getTenant(db, e.tenantId), getUserProfile(db, claimed[0]!.buddyUserId)]);
  if (!buddy) return;
  const origin = env.APP_URL.replace(/\/$/, "");
  const data = {
    title: `${newcomer.name || newcomer.email} joined ${tenant.name}`,
    body: `You are ${newcomer.name || newcomer.email}'s buddy: say hello and help with their first questions.`,
    link: `${origin}/team`,
  };
  const base = { tenantId: e.tenantId, template: "notifications.generic", category: "transactional" as const, data };
  await send(db, env.OUTBOX, { ...base, to: { userId: buddy.id }, channels: ["in_app"], idempotencyKey: `buddy:${claimed[0]!.invitationId}:in_app` });
  await send(db, env.OUTBOX, { ...base, to: { email: buddy.email }, channels: ["email"], idempotencyKey: `buddy:${claimed[0]!.invitationId}:email` });
}
