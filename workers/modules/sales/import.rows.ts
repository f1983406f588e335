import { LEAD_STATUSES, type CustomFieldValues, type ImportRowError, type LeadStatus } from "../../../schema/sales";
import { isFreeMail, isValidEmail, normalizeDomain, normalizeEmail } from "./domains";
import { coerceFieldValue, type FieldDefRow } from "./fields.service";

/**
 * Pure: CSV columns → lead fields. The suggested mapping from header names, and one row turned
 * into the lead it would write, with its errors. Custom fields map as `custom.<key>`.
 */

export const IMPORT_FIELDS = [
  "email",
  "first_name",
  "last_name",
  "name",
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
  "status",
  "tags",
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

const SYNONYMS: Record<string, ImportField> = {
  email: "email",
  emailaddress: "email",
  mail: "email",
  workemail: "email",
  firstname: "first_name",
  givenname: "first_name",
  first: "first_name",
  lastname: "last_name",
  surname: "last_name",
  familyname: "last_name",
  last: "last_name",
  name: "name",
  fullname: "name",
  contactname: "name",
  title: "title",
  jobtitle: "title",
  position: "title",
  role: "title",
  phone: "phone",
  phonenumber: "phone",
  mobile: "phone",
  telephone: "phone",
  company: "company_name",
  companyname: "company_name",
  organization: "company_name",
  organisation: "company_name",
  account: "company_name",
  domain: "domain",
  website: "domain",
  companydomain: "domain",
  url: "domain",
  industry: "industry",
  sector: "industry",
  employees: "employees",
  companysize: "employees",
  headcount: "employees",
  numberofemployees: "employees",
  size: "employees",
  country: "country",
  countrycode: "country",
  region: "region",
  state: "region",
  city: "city",
  town: "city",
  timezone: "timezone",
  tz: "timezone",
  linkedin: "linkedin_url",
  linkedinurl: "linkedin_url",
  linkedinprofile: "linkedin_url",
  source: "source",
  leadsource: "source",
  status: "status",
  leadstatus: "status",
  tags: "tags",
  labels: "tags",
};

const squash = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Header → field for the headers we recognise (each field once; custom fields by key or label). */
export function suggestMapping(headers: string[], defs: FieldDefRow[]): Record<string, string> {
  const out: Record<string, string> = {};
  const used = new Set<string>();
  const custom = new Map<string, string>();
  for (const d of defs.filter((d) => d.entity === "lead")) {
    custom.set(squash(d.key), `custom.${d.key}`);
    custom.set(squash(d.label), `custom.${d.key}`);
  }
  for (const h of headers) {
    const k = squash(h);
    const field = SYNONYMS[k] ?? custom.get(k);
    if (field && !used.has(field)) {
      out[h] = field;
      used.add(field);
    }
  }
  return out;
}

/** What a mapped row writes (only the fields the mapping provides and the row fills). */
export interface MappedLead {
  email: string | null;
  firstName?: string;
  lastName?: string;
  title?: string;
  phone?: string;
  companyName?: string;
  domain: string | null;
  industry?: string;
  employees?: number;
  country?: string;
  region?: string;
  city?: string;
  timezone?: string;
  linkedinUrl?: string;
  source?: string;
  status?: LeadStatus;
  tags: string[];
  customFields: CustomFieldValues;
}

export interface MappedRow {
  row: number; // 1-based data row
  lead: MappedLead | null; // null when the row has errors
  errors: ImportRowError[];
  values: Record<string, string>; // field → raw value (the preview shows these)
}

const EMPLOYEE_RANGE = /^(\d[\d,]*)\s*(?:-|–|to)\s*(\d[\d,]*)$/;

function parseEmployees(v: string): number | null {
  const s = v.trim().replace(/\+$/, "");
  const range = EMPLOYEE_RANGE.exec(s);
  if (range?.[1] && range[2]) return Math.round((Number(range[1].replace(/,/g, "")) + Number(range[2].replace(/,/g, ""))) / 2);
  const n = Number(s.replace(/,/g, ""));
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/**
 * One CSV row → the lead it would write. `mapping` is header → field; `columns` the header
 * positions. Errors: a bad email, an unknown status, a custom value of the wrong type, a row with
 * neither email nor name.
 */
export function mapRow(
  rowNumber: number,
  cells: string[],
  columns: Map<string, number>,
  mapping: Record<string, string>,
  defs: Map<string, FieldDefRow>,
  extraTags: string[],
  source = "import",
): MappedRow {
  return rowMapper(columns, mapping, defs, extraTags, source)(rowNumber, cells);
}

const opt = (v: string | undefined, max: number) => (v ? v.slice(0, max) : undefined);
const normalizeTags = (tags: string[]) => [...new Set(tags.map((t) => t.trim().toLowerCase()).filter(Boolean))].slice(0, 50);

/** A pure function of its argument, remembered (the same domains and sizes repeat through a file). */
function memo<T>(fn: (s: string) => T): (s: string) => T {
  const seen = new Map<string, T>();
  return (s) => {
    if (seen.has(s)) return seen.get(s) as T;
    const v = fn(s);
    if (seen.size < 20_000) seen.set(s, v);
    return v;
  };
}

/**
 * mapRow for the rows of one file: what is the same for every row (the mapped columns in mapping
 * order, the import's tags, whether any custom field is mapped) is worked out once, and domain and
 * employee parsing is remembered per distinct value. The consumer maps a step's rows with one.
 */
export function rowMapper(
  columns: Map<string, number>,
  mapping: Record<string, string>,
  defs: Map<string, FieldDefRow>,
  extraTags: string[],
  source = "import",
): (rowNumber: number, cells: string[]) => MappedRow {
  const mapped: [number, string][] = [];
  for (const [header, field] of Object.entries(mapping)) {
    const idx = columns.get(header);
    if (idx === undefined || !field) continue;
    mapped.push([idx, field]);
  }
  const anyCustom = mapped.some(([, field]) => field.startsWith("custom."));
  const importTags = normalizeTags(extraTags);
  const domain = memo(normalizeDomain);
  const employeesOf = memo(parseEmployees);
  const leadDomainOf = (email: string | null, given: string | undefined) => {
    const g = given ? domain(given) : null;
    if (g) return g;
    const part = email ? email.split("@")[1] : undefined;
    const d = part === undefined ? null : domain(part);
    return d && !isFreeMail(d) ? d : null;
  };

  return (rowNumber, cells) => {
    const values: Record<string, string> = {};
    for (const [idx, field] of mapped) {
      const v = (cells[idx] ?? "").trim();
      if (v !== "") values[field] = values[field] ? `${values[field]} ${v}` : v;
    }
    const errors: ImportRowError[] = [];
    const email = normalizeEmail(values.email);
    if (email && !isValidEmail(email))
      errors.push({ row: rowNumber, field: "email", message: `"${values.email}" is not a valid email address` });
    let firstName: string | undefined = values.first_name;
    let lastName: string | undefined = values.last_name;
    if (values.name && !firstName && !lastName) {
      const parts = values.name.split(/\s+/);
      firstName = parts[0];
      lastName = parts.slice(1).join(" ") || undefined;
    }
    if (!email && !firstName && !lastName) errors.push({ row: rowNumber, field: "email", message: "a lead needs an email or a name" });
    let employees: number | undefined;
    if (values.employees) {
      const n = employeesOf(values.employees);
      if (n === null) errors.push({ row: rowNumber, field: "employees", message: `"${values.employees}" is not a number of employees` });
      else employees = n;
    }
    let country: string | undefined;
    if (values.country) {
      if (/^[a-z]{2}$/i.test(values.country)) country = values.country.toUpperCase();
      else errors.push({ row: rowNumber, field: "country", message: `"${values.country}" is not a two-letter country code (ISO 3166-1)` });
    }
    let status: LeadStatus | undefined;
    if (values.status) {
      const s = values.status.toLowerCase() as LeadStatus;
      if ((LEAD_STATUSES as readonly string[]).includes(s)) status = s;
      else errors.push({ row: rowNumber, field: "status", message: `"${values.status}" is not a status (${LEAD_STATUSES.join(", ")})` });
    }
    const customFields: CustomFieldValues = {};
    if (anyCustom)
      for (const [field, raw] of Object.entries(values)) {
        if (!field.startsWith("custom.")) continue;
        const key = field.slice(7);
        const def = defs.get(key);
        if (!def) {
          errors.push({ row: rowNumber, field, message: `"${key}" is not a custom field of this workspace` });
          continue;
        }
        const r = coerceFieldValue(def.type, raw);
        if ("error" in r) errors.push({ row: rowNumber, field, message: `"${raw}" ${r.error}` });
        else customFields[key] = r.value;
      }
    const tags = values.tags ? normalizeTags([...values.tags.split(/[;,|]/), ...extraTags]) : importTags.slice();
    if (errors.length) return { row: rowNumber, lead: null, errors, values };
    return {
      row: rowNumber,
      errors,
      values,
      lead: {
        email,
        firstName: opt(firstName, 100),
        lastName: opt(lastName, 100),
        title: opt(values.title, 200),
        phone: opt(values.phone, 50),
        companyName: opt(values.company_name, 200),
        domain: leadDomainOf(email, values.domain),
        industry: opt(values.industry, 100),
        employees,
        country,
        region: opt(values.region, 100),
        city: opt(values.city, 100),
        timezone: opt(values.timezone, 64),
        linkedinUrl: opt(values.linkedin_url, 500),
        source: opt(values.source, 50) ?? source,
        status,
        tags,
        customFields,
      },
    };
  };
}

/** The de-duplication key of a lead: its email, else lower-cased name + domain (null when neither identifies it). */
export function dedupeKey(l: Pick<MappedLead, "email" | "firstName" | "lastName" | "domain">): string | null {
  if (l.email) return `e:${l.email}`;
  const name = [l.firstName, l.lastName].filter(Boolean).join(" ").trim().toLowerCase();
  return name && l.domain ? `n:${name}|${l.domain}` : null;
}

/** Keys `mapping` may use: lead fields and `custom.<key>`; "" ignores the column. */
export function checkMapping(mapping: Record<string, string>, headers: string[], defs: Map<string, FieldDefRow>) {
  const errors: { path: string; message: string }[] = [];
  const hs = new Set(headers);
  for (const [h, f] of Object.entries(mapping)) {
    if (!hs.has(h)) errors.push({ path: `mapping.${h}`, message: "is not a column of the file" });
    else if (f && !(IMPORT_FIELDS as readonly string[]).includes(f) && !(f.startsWith("custom.") && defs.has(f.slice(7))))
      errors.push({ path: `mapping.${h}`, message: `"${f}" is not a lead field or a custom field (custom.<key>)` });
  }
  if (!Object.values(mapping).some((f) => f === "email" || f === "first_name" || f === "last_name" || f === "name"))
    errors.push({ path: "mapping", message: "map at least one of email, name, first_name or last_name" });
  return errors;
}
