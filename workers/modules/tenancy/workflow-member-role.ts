import { ROLES, type Role } from "../../../schema/tenancy";
import type { Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { badRequest } from "../../platform/errors";
import { changeMemberRole } from "./members.service";

/**
 * A role change asked for by an automation workflow's update_record step (modules/workflows). It goes
 * through the members route's own `changeMemberRole` — the same guards in the same transaction: the
 * last owner is never demoted (409 last-owner), and `actingRole` (the role of whoever published the
 * workflow's version) caps what may be granted or touched, so an admin's workflow cannot make an
 * owner. Audited as `member.role_changed` by the system actor the workflow passes. Another
 * workspace's user id is a 404.
 */
export async function changeMemberRoleFromWorkflow(
  db: Db,
  tenantId: string,
  userId: string,
  changes: { role?: unknown },
  actingRole: Role,
  actor: Actor,
) {
  if (!ROLES.includes(changes.role as Role)) throw badRequest(`A member's role must be one of ${ROLES.join(", ")}.`);
  const m = await changeMemberRole(db, tenantId, { userId, role: changes.role as Role, callerRole: actingRole }, actor);
  return { user_id: userId, role: m.role };
}
