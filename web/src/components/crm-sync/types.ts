import type { CrmConnection, CrmProvider, CrmSyncRun } from "../../lib/api-types";

/** The integration hub's API shapes are the generated OpenAPI types (workers/modules/crmsync/schemas.ts). */
export type { CrmConnection, CrmProvider, CrmSyncRun };
export type Mapping = CrmConnection["lead_mapping"];

export const PROVIDER_BLURB: Record<CrmProvider["id"], string> = {
  hubspot: "Contacts and deals through the CRM v3 objects API (private-app token or OAuth).",
  salesforce: "Contacts and opportunities through the REST API and SOQL (OAuth or an access token + instance URL).",
  pipedrive: "Persons and deals through the v1 API (personal API token or OAuth).",
};
export const DIRECTION_LABEL: Record<CrmConnection["direction"], string> = {
  two_way: "Two-way",
  pull: "Pull only (CRM → Weft)",
  push: "Push only (Weft → CRM)",
};
export const RULE_LABEL: Record<CrmConnection["conflict_rule"], string> = {
  last_modified: "Last modified wins",
  weft_wins: "Weft wins",
  crm_wins: "CRM wins",
};
export const SCHEDULES: { value: number | null; label: string }[] = [
  { value: null, label: "Only when I press Sync now" },
  { value: 15, label: "Every 15 minutes" },
  { value: 60, label: "Hourly" },
  { value: 360, label: "Every 6 hours" },
  { value: 1440, label: "Daily" },
];
export const RUN_TONE = {
  queued: "neutral",
  running: "accent",
  succeeded: "success",
  partial: "warning",
  failed: "danger",
} as const;
export const LEAD_FIELDS = [
  "email",
  "first_name",
  "last_name",
  "title",
  "phone",
  "company_name",
  "industry",
  "city",
  "region",
  "country",
  "linkedin_url",
  "timezone",
  "employees",
];
export const DEAL_FIELDS = ["name", "amount", "currency", "stage", "expected_close_at"];
export const providerName = (id: CrmProvider["id"]) => ({ hubspot: "HubSpot", salesforce: "Salesforce", pipedrive: "Pipedrive" })[id];
