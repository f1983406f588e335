/**
 * Accepting an invitation: the public preview shown before sign-in, and the single-use accept that
 * turns it into a membership (within the plan's seats).
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { users } from "../../../schema/identity";
import { invitations, memberships, tenants, type Role } from "../../../schema/tenancy";
import { auditInsert, type Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { sha256Hex } from "../../platform/crypto";
import { conflict, forbidden, gone, notFound } from "../../platform/errors";
import { iso } from "../../platform/request";
import { membersSql, seatGate } from "./invitation-seats";
import { invitationStatus, normalizeEmail, type InvitationRow } from "./invitations.service";

/**
 * Accepts an invitation for a signed-in (or just signed-up) user: creates the membership with
 * the invited role, marks the invitation used, audits it, atomically. Single use.
 * Throws 404 (unknown token), 410 (expired or revoked), 409 (already used / already a member),
 * 403 (the invitation was sent to another email address), 402 (the workspace has no free seat:
 * the invitation stays pending and can be accepted once the workspace upgraded).
 */
export async function acceptInvitation(
  db: Db,
  input: { token: string; userId: string; userEmail: string },
  actor: Actor,
  opts: { origin?: string } = {},
): Promise<{ tenantId: string; role: Role }> {
  const inv = await findByToken(db, input.token);
  if (!inv) throw notFound("Invitation");
  const status = invitationStatus(inv);
  if (status === "accepted") throw conflict("This invitation has already been used.", "invitation-used");
  if (status === "revoked") throw gone("This invitation was revoked; ask the workspace admin for a new one.");
  if (status === "expired") throw gone("This invitation has expired; ask the workspace admin to resend it.");
  if (normalizeEmail(input.userEmail) !== normalizeEmail(inv.email)) {
    throw forbidden(`This invitation was sent to ${inv.email}; sign in with that email address to accept it.`);
  }
  const existing = await db
    .select({ role: memberships.role })
    .from(memberships)
    .where(and(eq(memberships.tenantId, inv.tenantId), eq(memberships.userId, input.userId)))
    .get();
  if (existing) throw conflict("You are already a member of this workspace.", "already-member");

  const now = Date.now();
  // Seats: a member needs a free seat (members < the plan's cap). Checked here for a clear answer and
  // again inside the update below, so concurrent accepts cannot overshoot the cap.
  const seats = await seatGate(db, inv.tenantId, now, "accept", opts.origin ?? "");
  const before = await seats.refusal();
  if (before) throw before;
  // Atomic and single use: the update only matches a still-pending invitation, and the membership takes
  // its role from the row that update just marked, so if the update matched nothing the role is NULL,
  // the NOT NULL constraint fails and D1 rolls the whole batch back (as it does for a duplicate membership).
  try {
    await db.batch([
      db
        .update(invitations)
        .set({ acceptedAt: now, acceptedBy: input.userId })
        .where(
          and(
            eq(invitations.id, inv.id),
            isNull(invitations.acceptedAt),
            isNull(invitations.revokedAt),
            seats.limit === null ? undefined : sql`${membersSql(inv.tenantId)} < ${seats.limit}`,
          ),
        ),
      db.insert(memberships).values({
        tenantId: inv.tenantId,
        userId: input.userId,
        role: sql`(select ${invitations.role} from ${invitations} where ${invitations.id} = ${inv.id} and ${invitations.acceptedBy} = ${input.userId} and ${invitations.acceptedAt} = ${now})`,
        createdAt: now,
        updatedAt: now,
      }),
      auditInsert(
        db,
        { ...actor, id: actor.id ?? input.userId, type: actor.type === "system" ? "user" : actor.type },
        {
          tenantId: inv.tenantId,
          action: "invitation.accepted",
          target: { type: "user", id: input.userId },
          metadata: { invitation_id: inv.id, role: inv.role, email: inv.email },
        },
      ),
    ]);
  } catch (err) {
    const again = await db.select().from(invitations).where(eq(invitations.id, inv.id)).get();
    if (!again || again.acceptedAt) throw conflict("This invitation has already been used.", "invitation-used");
    if (again.revokedAt) throw gone("This invitation was revoked; ask the workspace admin for a new one.");
    const after = await seats.refusal();
    if (after) throw after;
    throw err;
  }
  return { tenantId: inv.tenantId, role: inv.role };
}

async function findByToken(db: Db, token: string): Promise<InvitationRow | undefined> {
  if (!token || token.length > 200) return undefined;
  return db
    .select()
    .from(invitations)
    .where(eq(invitations.tokenHash, await sha256Hex(token)))
    .get();
}

/** Public preview of an invitation, shown on the accept page before sign-in. */
export async function lookupInvitation(db: Db, token: string) {
  const inv = await findByToken(db, token);
  if (!inv) throw notFound("Invitation");
  const [tenant, inviter] = await Promise.all([
    db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, inv.tenantId)).get(),
    db.select({ name: users.name }).from(users).where(eq(users.id, inv.invitedBy)).get(),
  ]);
  return {
    workspace: { name: tenant?.name ?? "" },
    email: inv.email,
    role: inv.role,
    inviter_name: inviter?.name ?? null,
    expires_at: iso(inv.expiresAt)!,
    status: invitationStatus(inv),
  };
}

/** Accept flow for a signed-in user: their stored email decides whether the invitation is theirs. */
export async function acceptInvitationAsUser(db: Db, token: string, userId: string, actor: Actor, opts: { origin?: string } = {}) {
  const user = await db.select({ email: users.email }).from(users).where(eq(users.id, userId)).get();
  if (!user) throw notFound("User");
  const result = await acceptInvitation(db, { token, userId, userEmail: user.email }, actor, opts);
  const tenant = await db
    .select({ id: tenants.id, name: tenants.name, slug: tenants.slug })
    .from(tenants)
    .where(eq(tenants.id, result.tenantId))
    .get();
  return { tenant: tenant!, role: result.role };
}
