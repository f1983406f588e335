import { and, asc, eq, lte, sql } from "drizzle-orm";
import { salesDrafts, salesEnrollments, salesSequences, salesStepVariants } from "../../../schema/sales-sequences";
import { getDb, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import { send } from "../messaging";
import { getLeadContext, recordActivity, recordEngagement } from "../sales";
import type { DraftRow } from "./drafts.service";
import { stopEnrollment, windowFor } from "./enrol.service";
import { advancePast, contactStop, stopForContact } from "./engine";
import { getMailboxRow } from "./mailboxes.service";
import { openPixelHtml, openPixelUrl } from "./opens";
import { stepsOf } from "./sequences.service";

/**
 * Sending scheduled drafts through messaging (category `marketing`: its unsubscribe link and RFC 8058
 * one-click headers). A draft is claimed (scheduled → sent) by a conditional UPDATE before anything
 * goes out, and messaging's idempotency key is the draft id: a tick that runs twice sends once.
 */

const log = createLogger({ module: "outreach" });

/** Where replies go: `reply+<draft id>@<domain>` (Mailgun's inbound route forwards that domain to /webhooks/outreach/mailgun). */
export function replyDomain(env: Env): string {
  const configured = (env as { OUTREACH_REPLY_DOMAIN?: string }).OUTREACH_REPLY_DOMAIN;
  if (configured) return configured.trim().toLowerCase();
  try {
    return `reply.${new URL(env.APP_URL).hostname}`;
  } catch {
    return "reply.weft.local";
  }
}
export const replyAddress = (env: Env, draftId: string) => `reply+${draftId}@${replyDomain(env)}`;
/** The RFC 5322 Message-ID of a draft's email: replies quote it in In-Reply-To/References. */
export const messageIdOf = (env: Env, draftId: string) => `<${draftId}@${replyDomain(env)}>`;
/** The draft id inside a reply address or a Message-ID we minted, if any. */
export function draftIdIn(s: string | null | undefined): string | null {
  const m = s?.match(/(?:reply\+|<)(drf_[0-9a-z]{10,40})@/i);
  return m?.[1] ? m[1].toLowerCase() : null;
}

const quoteName = (name: string) => `"${name.replace(/["\\\r\n]/g, "")}"`;

/** Sends one claimed draft; returns whether it went to messaging. */
async function sendDraft(env: Env, db: Db, d: DraftRow, now: number): Promise<boolean> {
  const cancel = () =>
    db
      .update(salesDrafts)
      .set({ status: "cancelled", sentAt: null, updatedAt: now })
      .where(and(eq(salesDrafts.tenantId, d.tenantId), eq(salesDrafts.id, d.id)));
  const row = await db
    .select({
      e: salesEnrollments,
      mailboxId: salesSequences.mailboxId,
      seqStatus: salesSequences.status,
      trackOpens: salesSequences.trackOpens,
    })
    .from(salesEnrollments)
    .innerJoin(
      salesSequences,
      and(eq(salesSequences.tenantId, salesEnrollments.tenantId), eq(salesSequences.id, salesEnrollments.sequenceId)),
    )
    .where(and(eq(salesEnrollments.tenantId, d.tenantId), eq(salesEnrollments.id, d.enrollmentId)))
    .get();
  if (!row || row.e.status === "finished" || row.seqStatus === "archived") {
    await cancel();
    return false;
  }
  const ctx = await getLeadContext(db, d.tenantId, d.leadId);
  if (!ctx?.lead.email) {
    await cancel();
    await stopEnrollment(db, d.tenantId, d.enrollmentId, "lead_deleted", { at: now });
    return false;
  }
  const stop = await contactStop(db, d.tenantId, ctx.lead);
  if (stop) {
    await cancel();
    await stopForContact(db, d.tenantId, d.enrollmentId, ctx.lead, stop, now);
    return false;
  }
  if (!row.mailboxId) {
    // The sequence lost its mailbox after scheduling: back to approved, the scheduler waits for one.
    await db.update(salesDrafts).set({ status: "approved", sentAt: null, sendAt: null, updatedAt: now }).where(eq(salesDrafts.id, d.id));
    return false;
  }
  const mailbox = await getMailboxRow(db, d.tenantId, row.mailboxId);
  const messageId = messageIdOf(env, d.id);
  const thread = row.e.threadId;
  const body = mailbox.signature ? `${d.body}\n\n${mailbox.signature}` : d.body;
  let outboxId: string | null = null;
  try {
    const ids = await send(db, env.OUTBOX, {
      tenantId: d.tenantId,
      to: { email: ctx.lead.email },
      channels: ["email"],
      template: "outreach.email",
      category: "marketing",
      data: {
        subject: d.subject,
        body,
        // The mailbox's own From (name + address), not the provider account's workspace default.
        email_from: `${quoteName(mailbox.fromName)} <${mailbox.fromEmail}>`,
        email_headers: {
          "Message-ID": messageId,
          "Reply-To": `${quoteName(mailbox.fromName)} <${replyAddress(env, d.id)}>`,
          ...(thread ? { "In-Reply-To": thread, References: thread } : {}),
        },
        outreach: { draft_id: d.id, sequence_id: d.sequenceId, from_email: mailbox.fromEmail },
        // Open tracking (opens.ts; the sequence's track_opens): the template appends this 1×1 image raw at the end of the HTML part.
        ...(row.trackOpens ? { tracking_pixel: openPixelHtml(await openPixelUrl(env, d.tenantId, d.id)) } : {}),
      },
      idempotencyKey: `outreach:${d.id}`,
    });
    outboxId = ids[0] ?? null;
  } catch (err) {
    log.error("outreach_send_failed", { tenant_id: d.tenantId, draft_id: d.id, error: String(err) });
    await db.update(salesDrafts).set({ status: "failed", sentAt: null, updatedAt: now }).where(eq(salesDrafts.id, d.id));
    return false;
  }
  await db.batch([
    db
      .update(salesDrafts)
      .set({ messageId: outboxId, updatedAt: now })
      .where(and(eq(salesDrafts.tenantId, d.tenantId), eq(salesDrafts.id, d.id))),
    db
      .update(salesEnrollments)
      .set({ lastSentAt: now, threadId: sql`coalesce(${salesEnrollments.threadId}, ${messageId})`, updatedAt: now })
      .where(and(eq(salesEnrollments.tenantId, d.tenantId), eq(salesEnrollments.id, d.enrollmentId))),
    db
      .update(salesStepVariants)
      .set({ sent: sql`${salesStepVariants.sent} + 1` })
      .where(and(eq(salesStepVariants.tenantId, d.tenantId), eq(salesStepVariants.id, d.variantId))),
    recordActivity(db, d.tenantId, {
      leadId: d.leadId,
      kind: "email_sent",
      summary: `Email sent: ${d.subject}`,
      data: { draft_id: d.id, sequence_id: d.sequenceId, variant_id: d.variantId, message_id: outboxId, from: mailbox.fromEmail },
      occurredAt: now,
      dedupeKey: `email_sent:${d.id}`,
    }),
    ...recordEngagement(db, d.tenantId, d.leadId, "sent", now),
  ]);
  // The step is done: the next one is due after its delay, in the lead's window.
  const { steps } = await stepsOf(db, d.tenantId, [d.sequenceId]);
  const step = steps.find((s) => s.id === d.stepId);
  if (step) await advancePast(db, row.e, steps, step.position, now, windowFor(mailbox, ctx.lead.timezone));
  return true;
}

/** Due scheduled drafts (send_at ≤ now), at most `limit`, each claimed before it is sent. */
export async function sendDueDrafts(env: Env, now: number, limit = 50, tenantId?: string): Promise<number> {
  const db = getDb(env.DB);
  const due = await db
    .select()
    .from(salesDrafts)
    .where(
      and(eq(salesDrafts.status, "scheduled"), lte(salesDrafts.sendAt, now), tenantId ? eq(salesDrafts.tenantId, tenantId) : undefined),
    )
    .orderBy(asc(salesDrafts.sendAt))
    .limit(limit);
  let sent = 0;
  for (const d of due) {
    const claimed = await db
      .update(salesDrafts)
      .set({ status: "sent", sentAt: now, updatedAt: now })
      .where(and(eq(salesDrafts.tenantId, d.tenantId), eq(salesDrafts.id, d.id), eq(salesDrafts.status, "scheduled")))
      .returning({ id: salesDrafts.id });
    if (!claimed.length) continue;
    try {
      if (await sendDraft(env, db, d, now)) sent++;
    } catch (err) {
      log.error("outreach_send_failed", { tenant_id: d.tenantId, draft_id: d.id, error: String(err) });
    }
  }
  return sent;
}
