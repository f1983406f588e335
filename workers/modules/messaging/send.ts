import { outboxMessages } from "../../../schema/messaging";
import type { Db } from "../../platform/db";
import { newId } from "../../platform/ids";
import type { Channel, OutboxMessage } from "./message";
import { isTemplate } from "./templates";

export interface SendRequest {
  tenantId: string | null;
  to: { email?: string };
  channels: Channel[];
  template: string;
  data: Record<string, unknown>;
  category: "transactional" | "security" | "marketing";
  sendAt?: number;
  idempotencyKey?: string;
}

function recipientFor(channel: Channel, to: SendRequest["to"]): string {
  if (channel === "email" && to.email) return to.email;
  throw new Error(`No recipient for channel ${channel}`);
}

/**
 * Records one outbox row per channel and enqueues it. With an idempotency key, a repeated
 * send() finds the existing row and enqueues nothing.
 */
export async function send(db: Db, queue: Queue<OutboxMessage>, req: SendRequest): Promise<string[]> {
  if (!isTemplate(req.template)) throw new Error(`Unknown template ${req.template}`);
  const ids: string[] = [];
  for (const channel of req.channels) {
    const id = newId("msg");
    const inserted = await db
      .insert(outboxMessages)
      .values({
        id,
        tenantId: req.tenantId,
        channel,
        recipient: recipientFor(channel, req.to),
        template: req.template,
        data: req.data,
        category: req.category,
        idempotencyKey: req.idempotencyKey ? `${req.idempotencyKey}:${channel}` : null,
        status: "queued",
        sendAt: req.sendAt ?? null,
        createdAt: Date.now(),
      })
      .onConflictDoNothing()
      .returning({ id: outboxMessages.id });
    if (inserted.length === 0) continue;
    const delaySeconds = req.sendAt ? Math.max(0, Math.ceil((req.sendAt - Date.now()) / 1000)) : 0;
    await queue.send({ v: 1, outboxId: id }, delaySeconds ? { delaySeconds } : undefined);
    ids.push(id);
  }
  return ids;
}
