// Public entry of the sales module (CRM and scoring; docs/sales.md): what other modules (outreach) use.
export { recordActivity } from "./activities.service";
export type { ActivityInput } from "./activities.service";
export { getLeadContext, listLeadIdsMatching, recordEngagement } from "./leads.context";
export type { EngagementKind, LeadContext } from "./leads.context";
export { createTask, openTasksOf } from "./tasks.service";
export type { NewTask } from "./tasks.service";
export type { ActivityRow, CompanyRow, DealRow, LeadRow, StageRow, TaskRow } from "./types";
// Scoring (docs/sales.md): re-score one lead now; flag a workspace's leads for the cron (after an import).
export { loadIcp, markLeadsForRescore, scoreLeadNow } from "./scoring.service";
export type { Icp } from "./scoring.service";
// CRM sync (modules/crmsync): rows changed since a time, and writes of remote records through the services' rules.
export {
  checkLeadCustomFields,
  createDealFromSync,
  createLeadFromSync,
  dealsByIds,
  dealsChangedSince,
  findLeadForSync,
  LeadLimitReached,
  leadsByIds,
  leadsChangedSince,
  rescoreAfterSync,
  stagesForSync,
  SYNC_ACTOR,
  updateDealFromSync,
  updateLeadFromSync,
} from "./sync.port";
export type { SyncDealInput } from "./sync.port";
export type { LeadInput } from "./leads.service";
// Voice-to-action (modules/voice): the deal a call is linked to, lead names for the list of calls.
export { getDealRef, leadLabels } from "./voice-links";
export type { DealRef, LeadLabel } from "./voice-links";
// Automation (modules/workflows): the update_record step's lead updater.
export { updateLeadFromWorkflow } from "./workflow-updates";
// The salesboard's read-only aggregates (deals, stage changes, activity per person and day, sends, the funnel).
export * as board from "./board.port";
// Wizards (modules/wizards, the marketing campaign): ICP traits, a tagged CSV import, lead counts for a filter.
export { countLeadsMatching, icpTraits, importProgress, saveIcpTraits, startTaggedImport } from "./campaign-setup";
export type { IcpTraits } from "./campaign-setup";
export { leadReplies } from "./daily-figures";
