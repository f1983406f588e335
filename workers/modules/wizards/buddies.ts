/**
 * The team wizard's buddies (`team_buddies`): saved when the invitations go out, shown on the Team
 * page; buddy-notice.ts tells the buddy when the newcomer accepts.
 */
import { eq, sql } from "drizzle-orm";
import { teamBuddies } from "../../../schema/wizards";
import { users } from "../../../schema/identity";
import { tenantScope, type Db } from "../../platform/db";
import { iso } from "../../platform/request";

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
    created_at: iso(r.createdAt) ?? "",
  }));
}
