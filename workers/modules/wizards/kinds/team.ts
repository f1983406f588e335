/**
 * Team set-up wizard: paste a list of addresses (a role per row), pick a buddy (an existing member)
 * for each newcomer, review, send. Invitations go through tenancy's own service (seats, roles,
 * email, audit, member.invited); the buddies are kept in `team_buddies` (buddies.ts), and the buddy
 * hears about it when the newcomer accepts (member.joined → notifyBuddy).
 */
import { z } from "zod";
import { ROLES } from "../../../../schema/tenancy";
import { getMember, listMembers } from "../../../platform/directory";
import { Problem } from "../../../platform/errors";
import { ROLE_RANK } from "../../../platform/rbac";
import { seatPolicy } from "../../billing";
import { createInvitation, describeInviter, inviteeConflicts, normalizeEmail } from "../../tenancy";
import { saveBuddies } from "../buddies";
import { defineStep, type WizardContext, type WizardDefinition, type WizardState } from "../types";

const inviteRow = z.object({
  email: z.email("Enter an email address").max(254),
  role: z.enum(ROLES.filter((r) => r !== "owner") as ["admin", "member", "viewer"], { message: "Pick admin, member or viewer" }),
});
const invitesStep = z.object({ invites: z.array(inviteRow).min(1, "Add at least one person").max(50, "Invite at most 50 people at once") });
const buddiesStep = z.object({
  buddies: z.array(z.object({ email: z.email(), buddy_user_id: z.string().max(64).nullable() })).max(50),
});
const reviewStep = z.object({ send: z.literal(true, { message: "Confirm to send the invitations" }) });

type Invites = z.infer<typeof invitesStep>;
type Buddies = z.infer<typeof buddiesStep>;
interface SentRow {
  email: string;
  invitation_id: string | null;
  error: string | null;
}

const rowErrors = (errors: { path: string; message: string }[]) =>
  new Problem(422, "validation-failed", "Check the highlighted rows", errors.map((e) => `${e.path}: ${e.message}`).join("; "), { errors });

/** Per-row checks before anything is sent: duplicates, members, pending invitations, roles above the caller's, seats. */
async function checkInvites(ctx: WizardContext, input: Invites): Promise<void> {
  const role = ctx.c.get("tenant").role ?? "viewer";
  const emails = input.invites.map((r) => normalizeEmail(r.email));
  const [known, seats] = await Promise.all([inviteeConflicts(ctx.db, ctx.tenantId, emails), seatPolicy(ctx.db, ctx.tenantId)]);
  const errors: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  emails.forEach((email, i) => {
    const path = `invites.${i}.email`;
    if (seen.has(email)) errors.push({ path, message: "This address is in the list twice" });
    else if (known.members.has(email)) errors.push({ path, message: "Already a member of this workspace" });
    else if (known.pending.has(email)) errors.push({ path, message: "Already has a pending invitation" });
    seen.add(email);
    const wanted = input.invites[i]?.role ?? "viewer";
    if (ROLE_RANK[wanted] > ROLE_RANK[role])
      errors.push({ path: `invites.${i}.role`, message: `Your role (${role}) cannot invite an ${wanted}` });
  });
  if (seats.limit !== null) {
    // Only rows that would be sent take a seat; those past the free seats get the error, so the person sees which ones do not fit.
    const flagged = new Set(errors.map((e) => e.path.split(".")[1]));
    const sendable = emails.map((_, i) => i).filter((i) => !flagged.has(String(i)));
    const free = Math.max(0, seats.limit - known.seatsTaken);
    for (const i of sendable.slice(free)) {
      errors.push({ path: `invites.${i}.email`, message: `No free seat: the plan allows ${seats.limit} (members + pending invitations)` });
    }
  }
  if (errors.length) throw rowErrors(errors);
}

async function checkBuddies(ctx: WizardContext, input: Buddies, state: WizardState): Promise<void> {
  const invited = new Set(((state.invites as Invites | undefined)?.invites ?? []).map((r) => normalizeEmail(r.email)));
  const errors: { path: string; message: string }[] = [];
  for (const [i, b] of input.buddies.entries()) {
    if (!invited.has(normalizeEmail(b.email))) errors.push({ path: `buddies.${i}.email`, message: "Not in the invitation list" });
    if (b.buddy_user_id) {
      const ok = await getMember(ctx.db, ctx.tenantId, b.buddy_user_id).then(
        () => true,
        () => false,
      );
      if (!ok) errors.push({ path: `buddies.${i}.buddy_user_id`, message: "Pick a member of this workspace" });
    }
  }
  if (errors.length) throw rowErrors(errors);
}

/** Sends every invitation not sent yet (a retried Send creates nothing twice); a row's failure is kept with the row. */
async function sendInvites(ctx: WizardContext, state: WizardState): Promise<WizardState> {
  const rows = (state.invites as Invites).invites;
  const buddies = new Map(((state.buddies as Buddies | undefined)?.buddies ?? []).map((b) => [normalizeEmail(b.email), b.buddy_user_id]));
  const before = new Map(((state.sent as SentRow[] | undefined) ?? []).map((s) => [s.email, s]));
  const inviter = await describeInviter(ctx.db, ctx.c.get("principal"));
  const invite = {
    tenantId: ctx.tenantId,
    maxRole: ctx.c.get("tenant").role ?? "viewer",
    inviterId: inviter.id,
    inviterName: inviter.name,
    origin: ctx.origin,
    outbox: ctx.env.OUTBOX,
  };
  const sent: SentRow[] = [];
  for (const r of rows) {
    const email = normalizeEmail(r.email);
    const earlier = before.get(email);
    if (earlier?.invitation_id) {
      sent.push(earlier);
      continue;
    }
    try {
      const inv = await createInvitation(ctx.db, invite, { email, role: r.role }, ctx.actor);
      sent.push({ email, invitation_id: inv.id, error: null });
    } catch (err) {
      if (!(err instanceof Problem)) throw err;
      sent.push({ email, invitation_id: null, error: err.detail ?? err.title });
    }
  }
  await saveBuddies(
    ctx.db,
    ctx.tenantId,
    ctx.userId,
    sent.flatMap((s) => {
      const buddy = buddies.get(s.email);
      return s.invitation_id && buddy ? [{ invitationId: s.invitation_id, email: s.email, buddyUserId: buddy }] : [];
    }),
  );
  return { sent };
}

export const teamWizard: WizardDefinition = {
  kind: "team",
  title: "Team set-up",
  description: "Invite your team in one go, give each person the right role and a buddy who helps them settle in.",
  permission: "members:invite",
  group: "Settings",
  steps: [
    defineStep({
      id: "invites",
      title: "Who joins",
      description: "Paste addresses (one per line, or separated by commas) and pick each person's role.",
      schema: invitesStep,
      apply: async (ctx, input) => {
        await checkInvites(ctx, input);
        return undefined;
      },
      // Seats for the page to show before the list is checked.
      status: async (ctx) => {
        const [seats, known] = await Promise.all([seatPolicy(ctx.db, ctx.tenantId), inviteeConflicts(ctx.db, ctx.tenantId, [])]);
        return { ready: true, detail: { seat_limit: seats.limit, seats_taken: known.seatsTaken, plan: seats.plan } };
      },
    }),
    defineStep({
      id: "buddies",
      title: "Buddies",
      description: "A buddy is an existing member who answers a newcomer's first questions; they are told when the newcomer joins.",
      schema: buddiesStep,
      apply: async (ctx, input, state) => {
        await checkBuddies(ctx, input, state);
        return undefined;
      },
      status: async (ctx) => {
        const page = await listMembers(ctx.db, ctx.tenantId, { limit: 100 });
        return { ready: true, detail: { members: page.data.map((m) => ({ user_id: m.user_id, name: m.name, email: m.email })) } };
      },
    }),
    defineStep({
      id: "review",
      title: "Review and send",
      description: "Check the list; each person gets an invitation email with a link that works for 7 days.",
      schema: reviewStep,
      apply: (ctx, _input, state) => sendInvites(ctx, state),
    }),
  ],
  complete: async (_ctx, state) =>
    ((state.sent as SentRow[] | undefined) ?? []).flatMap((s) =>
      s.invitation_id ? [{ type: "invitation", id: s.invitation_id, label: `Invitation to ${s.email}`, href: "/team" }] : [],
    ),
};
