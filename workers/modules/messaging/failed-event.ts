import type { outboxMessages } from "../../../schema/messaging";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { messagingHooks } from "./hooks";

/** `message.failed` to the workspace's webhook endpoints, once per message (the event id is derived from it). */
export async function publishMessageFailed(
  db: Db,
  env: Env,
  row: Pick<typeof outboxMessages.$inferSelect, "id" | "tenantId" | "channel" | "recipient" | "template">,
  error: string,
): Promise<void> {
  if (!row.tenantId || row.channel === "webhook") return;
  await messagingHooks().publishEventSafely(db, env.OUTBOX, {
    tenantId: row.tenantId,
    type: "message.failed",
    eventId: `evt_failed_${row.id}`,
    data: { message_id: row.id, channel: row.channel, recipient: row.recipient, template: row.template, error: error.slice(0, 500) },
  });
}
