import { and, desc, eq, gte, inArray } from "drizzle-orm";
import { salesCalls } from "../../../schema/voice";
import { tenantScope, type Db } from "../../platform/db";
import { notFound } from "../../platform/errors";

/**
 * Transcripts as text for other modules (knowledge fusion reads calls through these, never the
 * table). Only calls that have a transcript count: a recording still pending or failed has none.
 */

export interface TranscriptForFusion {
  id: string;
  title: string;
  leadId: string | null;
  occurredAt: number;
  text: string;
}

const WITH_TRANSCRIPT = ["transcribed", "analysed"] as const;

/** The workspace's transcribed calls, newest first; `since` (epoch ms) keeps calls that happened at or after it. */
export async function listTranscriptsForFusion(
  db: Db,
  tenantId: string,
  o: { since?: number; limit: number },
): Promise<TranscriptForFusion[]> {
  const limit = Math.max(1, Math.min(500, Math.floor(o.limit)));
  const rows = await db
    .select({
      id: salesCalls.id,
      title: salesCalls.title,
      leadId: salesCalls.leadId,
      occurredAt: salesCalls.occurredAt,
      text: salesCalls.transcriptText,
    })
    .from(salesCalls)
    .where(
      tenantScope(db, tenantId).where(
        salesCalls,
        inArray(salesCalls.status, [...WITH_TRANSCRIPT]),
        o.since === undefined ? undefined : gte(salesCalls.occurredAt, o.since),
      ),
    )
    .orderBy(desc(salesCalls.occurredAt), desc(salesCalls.id))
    .limit(limit);
  return rows;
}

/** One call's transcript as "Speaker: line" text; 404 for another workspace's id or a call without a transcript yet. */
export async function getTranscriptText(db: Db, tenantId: string, id: string): Promise<string> {
  const row = await db
    .select({ text: salesCalls.transcriptText })
    .from(salesCalls)
    .where(and(tenantScope(db, tenantId).where(salesCalls, eq(salesCalls.id, id)), inArray(salesCalls.status, [...WITH_TRANSCRIPT])))
    .get();
  if (!row) throw notFound("Call transcript");
  return row.text;
}
