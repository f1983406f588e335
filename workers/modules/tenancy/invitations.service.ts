import { and, eq, gt, isNotNull, isNull, lte, sql, type SQL } from "drizzle-orm";
import { users } from "../../../schema/identity";
import { apiKeys, invitations, memberships, tenants, type Role } from "../../../schema/tenancy";
import type { Principal } from "../../platform/context";
import { auditInsert, type Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { tenantScope } from "../../platform/db";
import { sha256Hex } from "../../platform/crypto";
import { conflict, forbidden, notFound } from "../../platform/errors";
import { newId, randomToken } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { ROLE_RANK } from "../../platform/rbac";
import { type OutboxMessage, send } from "../messaging";
import { publishEventSafely } from "../webhooks";
import { seatGate, seatsTakenSql } from "./invitation-seats";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const INVITATION_STATUSES = ["pending", "accepted", "revoked", "expired"] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];
export type InvitationRow = typeof invitations.$inferSelect;

export function invitationStatus(inv: InvitationRow, at = Date.now()): InvitationStatus {
  if (inv.acceptedAt) return "accepted";
  if (inv.revokedAt) return "revoked";
  if (inv.expiresAt <= at) return "expired";
  return "pending";
}

function statusWhere(status: InvitationStatus, at: number): SQL | undefined {
  switch (status) {
    case "accepted":
      return isNotNull(invitations.acceptedAt);
    case "revoked":
      return and(isNull(invitations.acceptedAt), isNotNull(invitations.revokedAt));
    case "expired":
      return and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), lte(invitations.expiresAt, at));
    case "pending":
      return and(isNull(invitations.acceptedAt), isNull(invitations.revokedAt), gt(invitations.expiresAt, at));
  }
}

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

/** API shape of an invitation (never the token). */
export function serializeInvitation(inv: InvitationRow, at = Date.now()) {
  return {
    id: inv.id,
    email: inv.email,
    role: inv.role,
    status: invitationStatus(inv, at),
    invited_by: inv.invitedBy,
    expires_at: iso(inv.expiresAt)!,
    last_sent_at: iso(inv.lastSentAt)!,
    send_count: inv.sendCount,
    accepted_at: iso(inv.acceptedAt),
    accepted_by: inv.acceptedBy,
    revoked_at: iso(inv.revokedAt),
    created_at: iso(inv.createdAt)!,
  };
}

export interface InviteContext {
  tenantId: string;
  /** The highest role the caller may hand out (their own rank; API keys count as admin). */
  maxRole: Role;
  /** Who shows as the inviter: a user id (or API key id) and a display name. */
  inviterId: string;
  inviterName: string;
  /** Origin used to build the accept link. */
  origin: string;
  outbox: Queue<OutboxMessage>;
}

/** Who shows as the inviter in the email: the user's name, or the API key's name. */
export async function describeInviter(db: Db, principal: Principal): Promise<{ id: string; name: string }> {
  if (principal.kind === "api_key") {
    const key = await db.select({ name: apiKeys.name }).from(apiKeys).where(eq(apiKeys.id, principal.keyId)).get();
    return { id: principal.keyId, name: key ? `API key "${key.name}"` : "An API key" };
  }
  const user = await db.select({ name: users.name, email: users.email }).from(users).where(eq(users.id, principal.userId)).get();
  return { id: principal.userId, name: user?.name || user?.email || "A teammate" };
}

async function sendInvitationEmail(db: Db, ctx: InviteContext, inv: { email: string; role: Role }, token: string) {
  const tenant = await db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, ctx.tenantId)).get();
  await send(db, ctx.outbox, {
    tenantId: ctx.tenantId,
    to: { email: inv.email },
    channels: ["email"],
    template: "tenancy.invitation",
    data: {
      inviter: ctx.inviterName,
      workspace: tenant?.name ?? "a workspace",
      role: inv.role,
      link: `${ctx.origin}/invite?token=${token}`,
    },
    category: "transactional",
  });
}

export async function createInvitation(db: Db, ctx: InviteContext, input: { email: string; role: Role }, actor: Actor) {
  const email = normalizeEmail(input.email);
  if (ROLE_RANK[input.role] > ROLE_RANK[ctx.maxRole]) {
    throw forbidden(`Your role (${ctx.maxRole}) cannot invite someone as ${input.role}.`);
  }
  const scope = tenantScope(db, ctx.tenantId);
  const now = Date.now();
  const [member, pending] = await Promise.all([
    db
      .select({ userId: memberships.userId })
      .from(memberships)
      .innerJoin(users, eq(users.id, memberships.userId))
      .where(and(eq(memberships.tenantId, ctx.tenantId), eq(users.email, email)))
      .get(),
    db
      .select({ id: invitations.id })
      .from(invitations)
      .where(scope.where(invitations, eq(invitations.email, email), statusWhere("pending", now)))
      .get(),
  ]);
  if (member) throw conflict(`${email} is already a member of this workspace.`, "already-member");
  if (pending) throw conflict(`${email} already has a pending invitation; resend it instead.`, "invitation-pending");

  // Seats: members + pending invitations must stay within the plan's cap. Checked first for a clear
  // answer, then again inside the insert (the role is NULL when the seats are taken, so the NOT NULL
  // constraint rolls the batch back): concurrent invitations cannot overshoot.
  const seats = await seatGate(db, ctx.tenantId, now, "invite", ctx.origin);
  const before = await seats.refusal();
  if (before) throw before;

  const token = randomToken();
  const row: InvitationRow = {
    tenantId: ctx.tenantId,
    id: newId("inv"),
    email,
    role: input.role,
    tokenHash: await sha256Hex(token),
    invitedBy: ctx.inviterId,
    expiresAt: now + INVITATION_TTL_MS,
    lastSentAt: now,
    sendCount: 1,
    acceptedAt: null,
    acceptedBy: null,
    revokedAt: null,
    createdAt: now,
  };
  try {
    await db.batch([
      db.insert(invitations).values({
        ...row,
        role: seats.limit === null ? row.role : sql`(select ${row.role} where ${seatsTakenSql(ctx.tenantId, now)} < ${seats.limit})`,
      }),
      auditInsert(db, actor, {
        tenantId: ctx.tenantId,
        action: "invitation.created",
        target: { type: "invitation", id: row.id },
        metadata: { email, role: input.role },
      }),
    ]);
  } catch (err) {
    const after = await seats.refusal();
    if (after) throw after;
    throw err;
  }
  await sendInvitationEmail(db, ctx, row, token);
  await publishEventSafely(db, ctx.outbox, {
    tenantId: ctx.tenantId,
    type: "member.invited",
    data: { invitation_id: row.id, email, role: row.role, invited_by: ctx.inviterId },
  });
  return serializeInvitation(row, now);
}

export async function listInvitations(db: Db, tenantId: string, q: PageQuery & { status?: InvitationStatus }) {
  const scope = tenantScope(db, tenantId);
  const page = keyset(invitations.createdAt, invitations.id, q.cursor);
  const now = Date.now();
  const rows = await db
    .select()
    .from(invitations)
    .where(scope.where(invitations, q.status ? statusWhere(q.status, now) : undefined, page.where))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(
    rows,
    q.limit,
    (r) => r,
    (r) => serializeInvitation(r, now),
  );
}

async function getInvitation(db: Db, tenantId: string, id: string): Promise<InvitationRow> {
  const inv = await db
    .select()
    .from(invitations)
    .where(tenantScope(db, tenantId).where(invitations, eq(invitations.id, id)))
    .get();
  if (!inv) throw notFound("Invitation");
  return inv;
}

/** Rotates the token (the old link stops working), extends the expiry and sends the email again. */
export async function resendInvitation(db: Db, ctx: InviteContext, id: string, actor: Actor) {
  const inv = await getInvitation(db, ctx.tenantId, id);
  const status = invitationStatus(inv);
  if (status === "accepted" || status === "revoked") {
    throw conflict(`Only pending invitations can be resent; this one is ${status}.`, "invitation-not-pending");
  }
  if (ROLE_RANK[inv.role] > ROLE_RANK[ctx.maxRole])
    throw forbidden(`Your role (${ctx.maxRole}) cannot resend an invitation as ${inv.role}.`);
  const token = randomToken();
  const now = Date.now();
  // An expired invitation holds no seat; resending it claims one again, within the plan's seats.
  const seats = status === "expired" ? await seatGate(db, ctx.tenantId, now, "invite", ctx.origin) : null;
  const before = await seats?.refusal();
  if (before) throw before;
  const seatGuard =
    seats?.limit != null ? sql`(${invitations.expiresAt} > ${now} or ${seatsTakenSql(ctx.tenantId, now)} < ${seats.limit})` : undefined;
  const patch = { tokenHash: await sha256Hex(token), expiresAt: now + INVITATION_TTL_MS, lastSentAt: now, sendCount: inv.sendCount + 1 };
  const [updated] = await db.batch([
    db
      .update(invitations)
      .set(patch)
      .where(
        and(
          eq(invitations.tenantId, ctx.tenantId),
          eq(invitations.id, id),
          isNull(invitations.acceptedAt),
          isNull(invitations.revokedAt),
          seatGuard,
        ),
      )
      .returning(),
    auditInsert(db, actor, {
      tenantId: ctx.tenantId,
      action: "invitation.resent",
      target: { type: "invitation", id },
      metadata: { email: inv.email, send_count: patch.sendCount },
    }),
  ]);
  const row = updated[0];
  if (!row) {
    const after = await seats?.refusal();
    if (after) throw after;
    throw conflict("This invitation is no longer pending.", "invitation-not-pending");
  }
  await sendInvitationEmail(db, ctx, row, token);
  return serializeInvitation(row, now);
}

export async function revokeInvitation(db: Db, tenantId: string, id: string, actor: Actor) {
  const inv = await getInvitation(db, tenantId, id);
  if (inv.acceptedAt) throw conflict("This invitation was already accepted; remove the member instead.", "invitation-not-pending");
  if (inv.revokedAt) return serializeInvitation(inv);
  const now = Date.now();
  const [updated] = await db.batch([
    db
      .update(invitations)
      .set({ revokedAt: now })
      .where(and(eq(invitations.tenantId, tenantId), eq(invitations.id, id), isNull(invitations.acceptedAt)))
      .returning(),
    auditInsert(db, actor, { tenantId, action: "invitation.revoked", target: { type: "invitation", id }, metadata: { email: inv.email } }),
  ]);
  return serializeInvitation(updated[0] ?? { ...inv, revokedAt: now });
}
