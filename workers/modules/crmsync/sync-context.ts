import { and, eq } from "drizzle-orm";
import { type CrmEntity, type CrmRunRecord, crmSyncRuns } from "../../../schema/crm-sync";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import type { StageRow } from "../sales";
import type { ConnectionRow } from "./adapters";
import type { CrmAdapter } from "./types";

/** The state one sync run carries through its pull and push phases (engine.ts), and the helpers they share. */
const MAX_RECORDS = 200;
export const PAGE = 100;
export type Scalar = string | number | boolean | null;

export interface Ctx {
  env: Env;
  db: Db;
  conn: ConnectionRow;
  runId: string;
  adapter: CrmAdapter;
  stages: StageRow[];
  counts: { pulled: number; pushed: number; created: number; updated: number; unchanged: number; conflicts: number; errors: number };
  records: CrmRunRecord[];
  noMoreLeads: boolean;
  wroteLeads: boolean;
  pulledThrough: Partial<Record<CrmEntity, number>>;
  pushedThrough: Partial<Record<CrmEntity, number>>;
}

export const note = (x: Ctx, r: CrmRunRecord) => {
  if (r.kind === "error") x.counts.errors++;
  if (x.records.length < MAX_RECORDS) x.records.push(r);
};
export const progress = (x: Ctx, phase: string) =>
  x.db
    .update(crmSyncRuns)
    .set({ phase, ...x.counts, records: x.records })
    .where(and(eq(crmSyncRuns.tenantId, x.conn.tenantId), eq(crmSyncRuns.id, x.runId)));
export const mappingOf = (x: Ctx, entity: CrmEntity) => (entity === "lead" ? x.conn.leadMapping : x.conn.dealMapping);

export const messageOf = (e: unknown) => {
  const err = e as { detail?: string; message?: string; errors?: { path: string; message: string }[] };
  if (err?.errors?.length) return err.errors.map((f) => `${f.path} ${f.message}`).join("; ");
  return String(err?.detail ?? err?.message ?? e).slice(0, 500);
};
