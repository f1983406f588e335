import { eq } from "drizzle-orm";
import { devMailbox, outboxMessages } from "../../../schema/messaging";
import type { Db } from "../../platform/db";
import { newId } from "../../platform/ids";
import { renderEmail } from "./templates";

type OutboxRow = typeof outboxMessages.$inferSelect;

export interface DeliveryResult { provider: string; providerMessageId: string }

/** Email with no provider configured: the local dev mailbox, labelled as such in the UI. */
async function deliverToDevMailbox(db: Db, row: OutboxRow): Promise<DeliveryResult> {
  const email = renderEmail(row.template, row.data);
  await db
    .insert(devMailbox)
    .values({ id: newId("mbx"), messageId: row.id, toAddress: row.recipient, subject: email.subject, text: email.text, html: email.html, createdAt: Date.now() })
    .onConflictDoNothing();
  return { provider: "dev-mailbox", providerMessageId: row.id };
}

/** Channel dispatch; later issues add providers (Resend/SendGrid/Postmark, Twilio, Web Push, webhooks). */
export async function deliver(db: Db, row: OutboxRow): Promise<DeliveryResult> {
  switch (row.channel) {
    case "email":
      return deliverToDevMailbox(db, row);
    default:
      throw new Error(`Channel ${row.channel} has no adapter configured`);
  }
}

export async function markSent(db: Db, id: string, result: DeliveryResult, attempts: number) {
  await db
    .update(outboxMessages)
    .set({ status: "sent", sentAt: Date.now(), provider: result.provider, providerMessageId: result.providerMessageId, attempts, lastError: null })
    .where(eq(outboxMessages.id, id));
}
