import { z } from "zod";

/** Messages on the `weft-knowledge` queue (validated on receipt). */
export const knowledgeMessageSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("index"), tenantId: z.string().min(1), sourceId: z.string().min(1), version: z.number().int().positive() }),
]);
export type KnowledgeMessage = z.infer<typeof knowledgeMessageSchema>;
