import { and, eq, gt, isNotNull, isNull, lte, sql, type SQL } from "drizzle-orm";
import { users } from "../../../schema/identity";
import { apiKeys, invitations, memberships, tenants, type Role } from "../../../schema/tenancy";
import type { Principal } from "../../platform/context";
import { auditInsert, type Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { tenantScope } from "../../platform/db";
import { sha256Hex } from "../../platform/crypto";
import { conflict, forbidden, gone, notFound } from "../../platform/errors";
import { newId, randomToken } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { ROLE_RANK } from "../../platform/rbac";
import { send } from "../messaging/send";
import type { OutboxMessage } from "../messaging/message";
import { publishEventSafely } from "../webhooks/publish";
import { seatLimitReached, seatPolicy } from "../billing/seats";

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000;
export const INVITATION_STATUSES = ["pending", "accepted", "revoked", "expired"] as const;
export type InvitationStatus = (typeof INVITATION_STATUSES)[number];
type InvitationRow = typeof invitations.$inferSelect;

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

/** Members of the workspace, as a SQL expression (evaluated inside the writing statement). */
const membersSql = (tenantId: string) => sql`(select count(*) from ${memberships} where ${memberships.tenantId} = ${tenantId})`;
/** Members plus pending invitations: the seats an invitation would have to fit into. */
const seatsTakenSql = (tenantId: string, at: number) =>
  sql`(${membersSql(tenantId)} + (select count(*) from ${invitations} where ${invitations.tenantId} = ${tenantId} and ${invitations.acceptedAt} is null and ${invitations.revokedAt} is null and ${invitations.expiresAt} > ${at}))`;

async function seatUse(db: Db, tenantId: string, at: number): Promise<{ members: number; pending: number }> {
  const row = await db.get<{ members: number; pending: number }>(
    sql`select ${membersSql(tenantId)} as members, (select count(*) from ${invitations} where ${invitations.tenantId} = ${tenantId} and ${invitations.acceptedAt} is null and ${invitations.revokedAt} is null and ${invitations.expiresAt} > ${at}) as pending`,
  );
  return { members: Number(row?.members ?? 0), pending: Number(row?.pending ?? 0) };
}

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
  const seats = await seatPolicy(db, inv.tenantId, now);
  const full = async () => {
    if (seats.limit === null) return null;
    const use = await seatUse(db, inv.tenantId, now);
    return use.members >= seats.limit ? seatLimitReached(seats, { members: use.members, pending: 0, action: "accept" }, opts.origin ?? "") : null;
  };
  const before = await full();
  if (before) throw before;
  // Atomic and single use: the update only matches a still-pending invitation, and the membership takes
  // its role from the row that update just marked, so if the update matched nothing the role is NULL,
  // the NOT NULL constraint fails and D1 rolls the whole batch back (as it does for a duplicate membership).
  try {
    await db.batch([
      db
        .update(invitations)
        .set({ acceptedAt: now, acceptedBy: input.userId })
        .where(and(eq(invitations.id, inv.id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), seats.limit === null ? undefined : sql`${membersSql(inv.tenantId)} < ${seats.limit}`)),
      db.insert(memberships).values({
        tenantId: inv.tenantId,
        userId: input.userId,
        role: sql`(select ${invitations.role} from ${invitations} where ${invitations.id} = ${inv.id} and ${invitations.acceptedBy} = ${input.userId} and ${invitations.acceptedAt} = ${now})`,
        createdAt: now,
        updatedAt: now,
      }),
      auditInsert(db, { ...actor, id: actor.id ?? input.userId, type: actor.type === "system" ? "user" : actor.type }, {
        tenantId: inv.tenantId,
        action: "invitation.accepted",
        target: { type: "user", id: input.userId },
        metadata: { invitation_id: inv.id, role: inv.role, email: inv.email },
      }),
    ]);
  } catch (err) {
    const again = await db.select().from(invitations).where(eq(invitations.id, inv.id)).get();
    if (!again || again.acceptedAt) throw conflict("This invitation has already been used.", "invitation-used");
    if (again.revokedAt) throw gone("This invitation was revoked; ask the workspace admin for a new one.");
    const after = await full();
    if (after) throw after;
    throw err;
  }
  return { tenantId: inv.tenantId, role: inv.role };
}

async function findByToken(db: Db, token: string): Promise<InvitationRow | undefined> {
  if (!token || token.length > 200) return undefined;
  return db.select().from(invitations).where(eq(invitations.tokenHash, await sha256Hex(token))).get();
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

/** Accept flow for a signed-in user: their stored email decides whether the invitation is theirs. */
export async function acceptInvitationAsUser(db: Db, token: string, userId: string, actor: Actor, opts: { origin?: string } = {}) {
  const user = await db.select({ email: users.email }).from(users).where(eq(users.id, userId)).get();
  if (!user) throw notFound("User");
  const result = await acceptInvitation(db, { token, userId, userEmail: user.email }, actor, opts);
  const tenant = await db.select({ id: tenants.id, name: tenants.name, slug: tenants.slug }).from(tenants).where(eq(tenants.id, result.tenantId)).get();
  return { tenant: tenant!, role: result.role };
}

async function sendInvitationEmail(db: Db, ctx: InviteContext, inv: { email: string; role: Role }, token: string) {
  const tenant = await db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, ctx.tenantId)).get();
  await send(db, ctx.outbox, {
    tenantId: ctx.tenantId,
    to: { email: inv.email },
    channels: ["email"],
    template: "tenancy.invitation",
    data: { inviter: ctx.inviterName, workspace: tenant?.name ?? "a workspace", role: inv.role, link: `${ctx.origin}/invite?token=${token}` },
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
    db.select({ id: invitations.id }).from(invitations).where(scope.where(invitations, eq(invitations.email, email), statusWhere("pending", now))).get(),
  ]);
  if (member) throw conflict(`${email} is already a member of this workspace.`, "already-member");
  if (pending) throw conflict(`${email} already has a pending invitation; resend it instead.`, "invitation-pending");

  // Seats: members + pending invitations must stay within the plan's cap. Checked first for a clear
  // answer, then again inside the insert (the role is NULL when the seats are taken, so the NOT NULL
  // constraint rolls the batch back): concurrent invitations cannot overshoot.
  const seats = await seatPolicy(db, ctx.tenantId, now);
  const full = async () => {
    if (seats.limit === null) return null;
    const use = await seatUse(db, ctx.tenantId, now);
    return use.members + use.pending >= seats.limit ? seatLimitReached(seats, { ...use, action: "invite" }, ctx.origin) : null;
  };
  const before = await full();
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
      db.insert(invitations).values({ ...row, role: seats.limit === null ? row.role : sql`(select ${row.role} where ${seatsTakenSql(ctx.tenantId, now)} < ${seats.limit})` }),
      auditInsert(db, actor, { tenantId: ctx.tenantId, action: "invitation.created", target: { type: "invitation", id: row.id }, metadata: { email, role: input.role } }),
    ]);
  } catch (err) {
    const after = await full();
    if (after) throw after;
    throw err;
  }
  await sendInvitationEmail(db, ctx, row, token);
  await publishEventSafely(db, ctx.outbox, { tenantId: ctx.tenantId, type: "member.invited", data: { invitation_id: row.id, email, role: row.role, invited_by: ctx.inviterId } });
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
  return toPage(rows, q.limit, (r) => r, (r) => serializeInvitation(r, now));
}

async function getInvitation(db: Db, tenantId: string, id: string): Promise<InvitationRow> {
  const inv = await db.select().from(invitations).where(tenantScope(db, tenantId).where(invitations, eq(invitations.id, id))).get();
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
  if (ROLE_RANK[inv.role] > ROLE_RANK[ctx.maxRole]) throw forbidden(`Your role (${ctx.maxRole}) cannot resend an invitation as ${inv.role}.`);
  const token = randomToken();
  const now = Date.now();
  // An expired invitation holds no seat; resending it claims one again, within the plan's seats.
  const seats = status === "expired" ? await seatPolicy(db, ctx.tenantId, now) : null;
  const full = async () => {
    if (!seats || seats.limit === null) return null;
    const use = await seatUse(db, ctx.tenantId, now);
    return use.members + use.pending >= seats.limit ? seatLimitReached(seats, { ...use, action: "invite" }, ctx.origin) : null;
  };
  const before = await full();
  if (before) throw before;
  const seatGuard = seats?.limit != null ? sql`(${invitations.expiresAt} > ${now} or ${seatsTakenSql(ctx.tenantId, now)} < ${seats.limit})` : undefined;
  const patch = { tokenHash: await sha256Hex(token), expiresAt: now + INVITATION_TTL_MS, lastSentAt: now, sendCount: inv.sendCount + 1 };
  const [updated] = await db.batch([
    db
      .update(invitations)
      .set(patch)
      .where(and(eq(invitations.tenantId, ctx.tenantId), eq(invitations.id, id), isNull(invitations.acceptedAt), isNull(invitations.revokedAt), seatGuard))
      .returning(),
    auditInsert(db, actor, { tenantId: ctx.tenantId, action: "invitation.resent", target: { type: "invitation", id }, metadata: { email: inv.email, send_count: patch.sendCount } }),
  ]);
  const row = updated[0];
  if (!row) {
    const after = await full();
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
