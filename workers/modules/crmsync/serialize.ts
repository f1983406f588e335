import type { crmSyncRuns } from "../../../schema/crm-sync";
import { iso } from "../../platform/request";
import type { StageRow } from "../sales";
import type { ConnectionRow } from "./adapters";

/** API shapes of a connection and of a sync run (snake_case, ISO times). */
export type RunRow = typeof crmSyncRuns.$inferSelect;

export const serializeRun = (r: RunRow) => ({
  id: r.id,
  connection_id: r.connectionId,
  trigger: r.trigger,
  status: r.status,
  phase: r.phase,
  counts: {
    pulled: r.pulled,
    pushed: r.pushed,
    created: r.created,
    updated: r.updated,
    unchanged: r.unchanged,
    conflicts: r.conflicts,
    errors: r.errors,
  },
  records: r.records,
  error: r.error,
  started_at: iso(r.startedAt),
  finished_at: iso(r.finishedAt),
  created_at: new Date(r.createdAt).toISOString(),
});

export const serializeConnection = (c: ConnectionRow, lastRun: RunRow | null, stages: StageRow[]) => ({
  id: c.id,
  provider: c.provider,
  auth_kind: c.authKind,
  credentials_hint: c.credentialsHint,
  account_label: c.accountLabel,
  status: c.status,
  last_error: c.lastError,
  direction: c.direction,
  conflict_rule: c.conflictRule,
  interval_minutes: c.intervalMinutes,
  lead_mapping: c.leadMapping,
  deal_mapping: c.dealMapping,
  stage_map: c.stageMap,
  remote_stages: c.remoteStages,
  local_stages: stages.map((s) => ({ id: s.id, name: s.name })),
  last_sync_at: iso(c.lastSyncAt),
  next_sync_at: iso(c.nextSyncAt),
  last_run: lastRun ? serializeRun(lastRun) : null,
  created_at: new Date(c.createdAt).toISOString(),
  updated_at: new Date(c.updatedAt).toISOString(),
});
