/**
 * Tells a newcomer's buddy (team set-up wizard, `team_buddies`) — in-app and by email — when the
 * newcomer accepts the invitation: the `member.joined` workspace event, wired in workers/compose.ts.
 * Once per invitation. Kept apart from buddies.ts because it reads the Worker's env from
 * `cloudflare:workers` (the listener gets only the database), which the routes must not import.
 */
import { and, eq, isNull } from "drizzle-orm";
import { env as workerEnv } from "cloudflare:workers";
import { teamBuddies } from "../../../schema/wizards";
import type { Db } from "../../platform/db";
import { getTenant, getUserProfile } from "../../platform/directory";
import type { Env } from "../../platform/env";
import type { WorkspaceEvent } from "../../platform/workspace-events";
import { send } from "../messaging";

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
  const claim = claimed[0];
  if (!claim) return;
  const [tenant, buddy] = await Promise.all([getTenant(db, e.tenantId), getUserProfile(db, claim.buddyUserId)]);
  if (!buddy) return;
  const origin = env.APP_URL.replace(/\/$/, "");
  const data = {
    title: `${newcomer.name || newcomer.email} joined ${tenant.name}`,
    body: `You are ${newcomer.name || newcomer.email}'s buddy: say hello and help with their first questions.`,
    link: `${origin}/team`,
  };
  const base = { tenantId: e.tenantId, template: "notifications.generic", category: "transactional" as const, data };
  await send(db, env.OUTBOX, {
    ...base,
    to: { userId: buddy.id },
    channels: ["in_app"],
    idempotencyKey: `buddy:${claim.invitationId}:in_app`,
  });
  await send(db, env.OUTBOX, {
    ...base,
    to: { email: buddy.email },
    channels: ["email"],
    idempotencyKey: `buddy:${claim.invitationId}:email`,
  });
}
