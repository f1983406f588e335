import type { CrmEntity, CrmFieldMapping, CrmProvider } from "../../../schema/crm-sync";
import type { DealRow, LeadRow } from "../sales";

/**
 * Field mapping between remote properties and Weft's lead/deal fields: the defaults per provider,
 * the local fields a mapping may name, and the value conversions both ways. A local field is a
 * column (`email`, `first_name`…) or a custom field (`custom:<key>`). On deals `stage` goes
 * through the connection's stage map and `amount` is in major units (Weft keeps minor units).
 */
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
] as const;
export const DEAL_FIELDS = ["name", "amount", "currency", "stage", "expected_close_at"] as const;
export const localFieldsOf = (entity: CrmEntity): readonly string[] => (entity === "lead" ? LEAD_FIELDS : DEAL_FIELDS);
export const isLocalField = (entity: CrmEntity, f: string) => localFieldsOf(entity).includes(f) || /^custom:[a-z][a-z0-9_]{0,49}$/.test(f);

const m = (pairs: [string, string][]): CrmFieldMapping[] => pairs.map(([remote, local]) => ({ remote, local }));
export const DEFAULT_MAPPINGS: Record<CrmProvider, Record<CrmEntity, CrmFieldMapping[]>> = {
  hubspot: {
    lead: m([
      ["email", "email"],
      ["firstname", "first_name"],
      ["lastname", "last_name"],
      ["jobtitle", "title"],
      ["phone", "phone"],
      ["company", "company_name"],
      ["industry", "industry"],
      ["city", "city"],
    ]),
    deal: m([
      ["dealname", "name"],
      ["amount", "amount"],
      ["deal_currency_code", "currency"],
      ["dealstage", "stage"],
      ["closedate", "expected_close_at"],
    ]),
  },
  salesforce: {
    lead: m([
      ["Email", "email"],
      ["FirstName", "first_name"],
      ["LastName", "last_name"],
      ["Title", "title"],
      ["Phone", "phone"],
      ["Department", "company_name"],
      ["MailingCity", "city"],
    ]),
    deal: m([
      ["Name", "name"],
      ["Amount", "amount"],
      ["StageName", "stage"],
      ["CloseDate", "expected_close_at"],
    ]),
  },
  pipedrive: {
    lead: m([
      ["email", "email"],
      ["first_name", "first_name"],
      ["last_name", "last_name"],
      ["job_title", "title"],
      ["phone", "phone"],
      ["org_name", "company_name"],
    ]),
    deal: m([
      ["title", "name"],
      ["value", "amount"],
      ["currency", "currency"],
      ["stage_id", "stage"],
      ["expected_close_date", "expected_close_at"],
    ]),
  },
};

type Scalar = string | number | boolean | null;
const text = (v: unknown): string | null => (v === null || v === undefined ? null : String(v).trim() || null);
const num = (v: unknown): number | null => {
  if (v === null || v === undefined || v === "") return null;
  const n = Number(v);
  return Number.isFinite(n) ? n : null;
};
/** Dates compare and travel as YYYY-MM-DD (HubSpot sends ISO times or epoch ms; Salesforce/Pipedrive dates). */
const day = (v: unknown): string | null => {
  if (v === null || v === undefined || v === "") return null;
  const ms = typeof v === "number" || /^\d{10,}$/.test(String(v)) ? Number(v) : Date.parse(String(v));
  return Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 10) : null;
};

/** A local field's value, normalised, from a remote value (what the sync would write). */
export function fromRemote(entity: CrmEntity, local: string, v: unknown): Scalar {
  if (local.startsWith("custom:"))
    return v === null || v === undefined || typeof v === "number" || typeof v === "boolean" ? (v ?? null) : text(v);
  if (local === "email") return text(v)?.toLowerCase() ?? null;
  if (local === "employees") return num(v);
  if (local === "country") return text(v)?.toUpperCase() ?? null;
  if (entity === "deal" && local === "amount") {
    const n = num(v);
    return n === null ? 0 : Math.round(n * 100);
  }
  if (local === "currency") return text(v)?.toUpperCase() ?? null;
  if (local === "expected_close_at") return day(v);
  if (local === "stage") return text(v);
  return text(v);
}

/** The same local field's current value, normalised the same way. */
export function localValue(entity: CrmEntity, row: LeadRow | DealRow, local: string): Scalar {
  if (local.startsWith("custom:")) return (row.customFields as Record<string, Scalar>)[local.slice(7)] ?? null;
  if (entity === "deal") {
    const d = row as DealRow;
    if (local === "amount") return d.amountMinor;
    if (local === "expected_close_at") return day(d.expectedCloseAt);
    if (local === "stage") return d.stageId;
    if (local === "name") return d.name;
    if (local === "currency") return d.currency;
    return null;
  }
  const l = row as LeadRow;
  const camel = local.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()) as keyof LeadRow;
  const v = l[camel];
  return v === undefined ? null : local === "employees" ? num(v) : text(v);
}

/** A local value → the remote property value (major units for amounts, dates as YYYY-MM-DD). */
export function toRemote(entity: CrmEntity, local: string, v: Scalar): Scalar {
  if (entity === "deal" && local === "amount") return typeof v === "number" ? v / 100 : null;
  return v;
}
