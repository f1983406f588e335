/** Sales UI constants and helpers; the API shapes are aliases of the generated types. */
import type {
  SalesActivity,
  SalesBoardColumn,
  SalesCompany,
  SalesDeal,
  SalesDuplicateGroup,
  SalesIcp,
  SalesImport as SalesImportShape,
  SalesImportPreview,
  SalesLead,
  SalesLeadInput,
  SalesScoreModel,
  SalesStage,
  SalesTask,
} from "../../lib/api-types";
export const LEAD_STATUSES = ["new", "contacted", "engaged", "qualified", "unqualified", "customer"] as const;
export type LeadStatus = (typeof LEAD_STATUSES)[number];
export const SIZE_BANDS = ["1-10", "11-50", "51-200", "201-1000", "1001-5000", "5000+"] as const;

// The API's shapes come from the generated OpenAPI types (web/src/lib/api-types.ts), never copied by hand.
export type Lead = SalesLead;
export type ScoreLine = NonNullable<Lead["score_lines"]>[number];
/** The editable fields of a lead (create / PATCH bodies). */
export type LeadInput = SalesLeadInput;
export type Company = SalesCompany;
export type Activity = SalesActivity;
export type Stage = SalesStage;
/** GET /sales/stages?deals=true: a board column. */
export type BoardColumn = SalesBoardColumn;
export type Deal = SalesDeal;
export type Task = SalesTask;
export type SalesImport = SalesImportShape;
export type ImportRowError = SalesImport["errors"][number];
export type ImportPreview = SalesImportPreview;
export type ImportPreviewRow = ImportPreview["rows"][number];
export type DuplicateGroup = SalesDuplicateGroup;
/** GET /sales/icp (scoring.schemas.ts SalesIcp): the definition's lists at the top level. */
export type Icp = SalesIcp;
export type IcpDefinition = Pick<Icp, "industries" | "sizes" | "titles" | "regions" | "required" | "excluded">;
export type ScoreModel = SalesScoreModel;

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
