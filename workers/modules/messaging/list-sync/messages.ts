import { z } from "zod";
import type { OutboxMessage } from "../message";

/**
 * List-sync work travels on messaging's outbox Queue next to outbox messages (the outbox consumer
 * hands these to list-sync/consumer.ts): a run of a connection (`cursor` continues a full sync
 * page by page across messages), a subscriber that changed (incremental sync), or an erased address
 * (GDPR: removed at the providers, erase.ts).
 */
export const listSyncMessageSchema = z.discriminatedUnion("kind", [
  z.object({
    v: z.literal(1),
    kind: z.literal("list_sync.run"),
    tenantId: z.string().min(1),
    runId: z.string().min(1),
    cursor: z.string().max(200).nullable().optional(),
  }),
  z.object({
    v: z.literal(1),
    kind: z.literal("list_sync.change"),
    tenantId: z.string().min(1),
    listId: z.string().min(1),
    email: z.string().min(3).max(254),
  }),
  z.object({
    v: z.literal(1),
    kind: z.literal("list_sync.erase"),
    tenantId: z.string().min(1),
    email: z.string().min(3).max(254),
  }),
]);
export type ListSyncMessage = z.infer<typeof listSyncMessageSchema>;

export const isListSyncMessage = (body: unknown): boolean =>
  typeof body === "object" && body !== null && String((body as { kind?: unknown }).kind ?? "").startsWith("list_sync.");

export async function enqueueListSync(queue: Queue<OutboxMessage>, m: ListSyncMessage, delaySeconds = 0): Promise<void> {
  await (queue as unknown as Queue<ListSyncMessage>).send(m, delaySeconds ? { delaySeconds } : undefined);
}
