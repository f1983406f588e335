/**
 * The shapes of the sales API (docs/sales.md; snake_case of schema/sales*.ts, times as ISO strings),
 * and the labels the pages show for them.
 */
export const LEAD_STATUSES = ["new", "contacted", "engaged", "qualified", "unqualified", "customer"] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
export const SIZE_BANDS = ["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"] as const;

export interface ScoreLine {
  trait: string;
  label: string;
  points: number;
}

export interface Lead {
  id: string;
  /** Display name from the API (first + last, else the email). */
  name?: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  phone: string | null;
  company_id: string | null;
  company_name: string | null;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  country: string | null;
  region: string | null;
  city: string | null;
  timezone: string | null;
  linkedin_url: string | null;
  source: string | null;
  owner_id: string | null;
  status: LeadStatus;
  tags: string[];
  custom_fields: Record<string, string | number | boolean | null>;
  score: number | null;
  score_lines: ScoreLine[] | null;
  scored_at: string | null;
  emails_sent: number;
  opens: number;
  replies: number;
  site_visits: number;
  last_contacted_at: string | null;
  unsubscribed_at: string | null;
  bounced_at: string | null;
  merged_into: string | null;
  created_at: string;
  updated_at: string;
}
/** The editable fields of a lead (create / PATCH bodies). */
export type LeadInput = Partial<
  Pick<
    Lead,
    | "email"
    | "first_name"
    | "last_name"
    | "title"
    | "phone"
    | "company_name"
    | "domain"
    | "industry"
    | "employees"
    | "country"
    | "city"
    | "timezone"
    | "linkedin_url"
    | "source"
    | "status"
    | "tags"
  >
>;

export interface Company {
  id: string;
  name: string;
  domain: string | null;
  industry: string | null;
  employees: number | null;
  country: string | null;
  city: string | null;
  enriched_by: string | null;
}

export interface Activity {
  id: string;
  kind: string;
  summary: string;
  actor_id: string | null;
  data: Record<string, unknown>;
  occurred_at: string | number;
}

export interface Stage {
  id: string;
  name: string;
  position: number;
  probability: number;
  outcome: "open" | "won" | "lost";
}
/** GET /sales/stages?deals=true: a board column. */
export interface BoardColumn extends Stage {
  count: number;
  amount_minor: number;
  deals: Deal[];
}

export interface Deal {
  id: string;
  name: string;
  lead_id: string | null;
  company_id: string | null;
  stage_id: string;
  position: number;
  amount_minor: number;
  currency: string;
  owner_id: string | null;
  expected_close_at: string | null;
  outcome: "open" | "won" | "lost";
  created_at: string;
}

export interface Task {
  id: string;
  title: string;
  notes: string;
  kind: string;
  lead_id: string | null;
  deal_id: string | null;
  owner_id: string | null;
  due_at: string | null;
  done: boolean;
  done_at: string | null;
  overdue?: boolean;
  origin: string | null;
}

export interface ImportRowError {
  row: number;
  field: string | null;
  message: string;
}
export interface SalesImport {
  id: string;
  file_name: string;
  status: "uploaded" | "running" | "done" | "failed";
  headers: string[];
  mapping: Record<string, string>;
  /** Suggested mapping (CSV column → lead field) when the upload is first read. */
  suggested_mapping?: Record<string, string>;
  duplicates: "skip" | "update" | "merge";
  total_rows: number;
  processed_rows: number;
  created: number;
  updated: number;
  skipped: number;
  failed: number;
  errors: ImportRowError[];
  created_at: string;
  finished_at: string | null;
}
export interface ImportPreviewRow {
  row: number;
  values: Record<string, string>;
  errors: { field: string | null; message: string }[];
  duplicate_of?: string | null;
}
export interface ImportPreview {
  rows: ImportPreviewRow[];
  total_rows?: number;
}

export interface DuplicateGroup {
  key: string;
  reason: "email" | "name_domain";
  leads: Lead[];
}

export interface IcpDefinition {
  industries: string[];
  sizes: string[];
  titles: string[];
  regions: string[];
  required: string[];
  excluded: string[];
}
/** GET /sales/icp (scoring.schemas.ts SalesIcp): the definition's lists at the top level. */
export interface Icp extends IcpDefinition {
  weights: Record<string, number>;
  traits?: { key: string; label: string; weight: number; per: "trait" | "each"; cap: number; max_points: number }[];
  version: number;
  is_default?: boolean;
  updated_at?: string | null;
  rescoring?: { stale: number; total: number; pending: boolean };
}
export interface ScoreModel {
  id: string;
  status: "proposed" | "active" | "superseded" | "rejected" | "reverted";
  weights: Record<string, number>;
  previous_weights: Record<string, number>;
  wins: number;
  losses: number;
  metrics: {
    data?: string;
    log_loss_before: number;
    log_loss_after: number;
    accuracy_before: number;
    accuracy_after: number;
    held_out?: { folds: number; log_loss_before: number; log_loss_after: number; accuracy_before: number; accuracy_after: number } | null;
    kept?: string[];
  };
  created_at: string;
  decided_at: string | null;
}

export const STATUS_LABEL: Record<LeadStatus, string> = {
  new: "New",
  contacted: "Contacted",
  engaged: "Engaged",
  qualified: "Qualified",
  unqualified: "Unqualified",
  customer: "Customer",
};
export const STATUS_TONE: Record<LeadStatus, "neutral" | "accent" | "success" | "warning" | "danger"> = {
  new: "neutral",
  contacted: "accent",
  engaged: "warning",
  qualified: "success",
  unqualified: "danger",
  customer: "success",
};

export const leadName = (l: Pick<Lead, "first_name" | "last_name" | "email" | "name">) =>
  l.name || [l.first_name, l.last_name].filter(Boolean).join(" ") || l.email || "Unnamed lead";

/** Lead fields an import column can map to (the crm part's CSV fields). */
export const IMPORT_FIELDS = [
  "email",
  "first_name",
  "last_name",
  "title",
  "phone",
  "company_name",
  "domain",
  "industry",
  "employees",
  "country",
  "region",
  "city",
  "timezone",
  "linkedin_url",
  "source",
  "tags",
] as const;

export const fieldLabel = (f: string) => f.replace(/_/g, " ").replace(/^\w/, (c) => c.toUpperCase());

/** Minor units → "$1,200". */
export function money(minor: number, currency: string) {
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency, maximumFractionDigits: 0 }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(0)} ${currency}`;
  }
}

/** Activity times may come as ISO strings or epoch ms. */
export const isoOf = (t: string | number | null | undefined) =>
  t === null || t === undefined ? null : typeof t === "number" ? new Date(t).toISOString() : t;
