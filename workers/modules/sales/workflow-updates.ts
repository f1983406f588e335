import type { Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { badRequest } from "../../platform/errors";
import { LEAD_STATUSES } from "../../../schema/sales";
import { localDomainEnricher } from "./enrich";
import { getLeadRow, updateLead } from "./leads.service";

/**
 * A lead change asked for by an automation workflow's update_record step (modules/workflows): status,
 * owner and tags, through the same updateLead as the dashboard (audit row, status activity, owner
 * must be a member). The lead is read within `tenantId`, so another workspace's id is a 404.
 */
export async function updateLeadFromWorkflow(
  db: Db,
  tenantId: string,
  leadId: string,
  changes: { status?: unknown; owner_id?: unknown; add_tags?: unknown; remove_tags?: unknown },
  actor: Actor,
) {
  const cur = await getLeadRow(db, tenantId, leadId);
  const input: { status?: (typeof LEAD_STATUSES)[number]; owner_id?: string | null; tags?: string[] } = {};
  if (changes.status !== undefined) {
    if (!LEAD_STATUSES.includes(changes.status as never)) throw badRequest(`Lead status must be one of ${LEAD_STATUSES.join(", ")}.`);
    input.status = changes.status as (typeof LEAD_STATUSES)[number];
  }
  if (changes.owner_id !== undefined) input.owner_id = changes.owner_id ? String(changes.owner_id) : null;
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : v ? [String(v)] : []);
  if (changes.add_tags !== undefined || changes.remove_tags !== undefined) {
    const remove = new Set(list(changes.remove_tags));
    input.tags = [...new Set([...cur.tags, ...list(changes.add_tags)])].filter((t) => !remove.has(t));
  }
  const next = await updateLead(db, tenantId, leadId, input, actor, localDomainEnricher);
  return { id: next.id, status: next.status, owner_id: next.ownerId, tags: next.tags };
}
