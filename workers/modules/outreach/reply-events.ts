import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { publishEventSafely } from "../webhooks";

/**
 * `lead.replied` (webhook catalogue; workflow event triggers): published once a reply that is not an
 * auto-reply has been recorded. The event id comes from the stored reply, so a replayed inbound
 * message (already a duplicate before this point) or a retried publish is one event.
 */
export async function publishLeadReplied(
  env: Pick<Env, "OUTBOX">,
  db: Db,
  r: {
    tenantId: string;
    leadId: string;
    email: string;
    sentiment: string;
    subject: string;
    sequenceId: string | null;
    draftId: string;
    inboundId: string;
  },
): Promise<void> {
  await publishEventSafely(db, env.OUTBOX, {
    tenantId: r.tenantId,
    type: "lead.replied",
    eventId: `evt_reply_${r.inboundId}`,
    data: {
      lead_id: r.leadId,
      email: r.email,
      sentiment: r.sentiment,
      subject: r.subject,
      sequence_id: r.sequenceId,
      draft_id: r.draftId,
      inbound_id: r.inboundId,
    },
  });
}
