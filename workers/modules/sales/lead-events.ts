import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { publishEventSafely } from "../webhooks";
import type { LeadRow } from "./types";

/**
 * `lead.created` (webhook catalogue; workflow event triggers — the lead management template starts
 * on it): a lead added one at a time, after it was scored. Imports and CRM sync add leads in bulk and
 * do not publish it. The event id is the lead's, so a retried publish is one event.
 */
export async function publishLeadCreated(db: Db, env: Pick<Env, "OUTBOX">, lead: LeadRow): Promise<void> {
  const name = [lead.firstName, lead.lastName].filter(Boolean).join(" ");
  await publishEventSafely(db, env.OUTBOX, {
    tenantId: lead.tenantId,
    type: "lead.created",
    eventId: `evt_lead_${lead.id}`,
    data: {
      lead_id: lead.id,
      email: lead.email,
      name: name || lead.email,
      first_name: lead.firstName,
      last_name: lead.lastName,
      company: lead.companyName,
      title: lead.title,
      source: lead.source,
      owner_id: lead.ownerId,
      score: lead.score,
    },
  });
}
