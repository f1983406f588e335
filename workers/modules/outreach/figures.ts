import { sql } from "drizzle-orm";
import type { Db } from "../../platform/db";

/**
 * Read-only figures the salesboard needs from outreach (docs/sales.md): the workspace's sequences
 * with their steps and each email variant's step, so sends and replies counted on the CRM timeline
 * (by variant) can be shown per sequence step.
 */
export interface SequenceFigureRow {
  sequenceId: string;
  sequenceName: string;
  status: string;
  stepId: string;
  position: number;
  kind: "email" | "task";
  variantId: string | null;
  variantLabel: string | null;
}

/** Every sequence's steps and variants, ordered by sequence, step position and variant label. */
export const sequenceFigureRows = (db: Db, tenantId: string) =>
  db.all<SequenceFigureRow>(sql`select q.id as sequenceId, q.name as sequenceName, q.status, s.id as stepId, s.position, s.kind,
      v.id as variantId, v.label as variantLabel
    from sales_sequences q
    join sales_sequence_steps s on s.tenant_id = q.tenant_id and s.sequence_id = q.id
    left join sales_step_variants v on v.tenant_id = s.tenant_id and v.step_id = s.id
    where q.tenant_id = ${tenantId}
    order by q.created_at, q.id, s.position, v.label`);

/** The workspace's sequences (for the filter): id, name and status; archived ones too (their history counts). */
export const sequenceNames = (db: Db, tenantId: string) =>
  db.all<{ id: string; name: string; status: string }>(sql`select id, name, status from sales_sequences
    where tenant_id = ${tenantId} order by created_at desc, id desc limit 200`);
