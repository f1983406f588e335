import { and, eq } from "drizzle-orm";
import { aiHolds } from "../../../schema/ai-safety";
import type { Db } from "../../platform/db";

/**
 * For the writer's drafts (modules/outreach): withdraws the pending holds of something that changed
 * before anyone decided them — an edited draft's old text is no longer what would be sent, so its
 * hold leaves the approval queue (deciding it would approve or reject the new text unseen). The
 * caller checks the new text again and holds it anew when a rule fires. Decided holds stay as the
 * record of their decision. Returns how many were withdrawn.
 */
export async function withdrawPendingHolds(db: Db, tenantId: string, refType: string, refId: string): Promise<number> {
  const gone = await db
    .delete(aiHolds)
    .where(and(eq(aiHolds.tenantId, tenantId), eq(aiHolds.refType, refType), eq(aiHolds.refId, refId), eq(aiHolds.status, "pending")))
    .returning({ id: aiHolds.id });
  return gone.length;
}
