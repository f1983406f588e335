import { LEAD_STATUSES, type CustomFieldValues, type ImportRowError, type LeadStatus } from "../../../../schema/sales";
import { isValidEmail, leadDomain, normalizeEmail } from "../domains";
import { coerceFieldValue, type FieldDefRow } from "../fields.service";
import type { MappedRow } from "../import.rows";

/**
 * The CSV import's row mapping as it was before import.rows.ts worked out the per-file parts once
 * (rowMapper): kept verbatim as the reference the tests compare the mapper with, row by row.
 */

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
export function referenceMapRow(
  rowNumber: number,
  cells: string[],
  columns: Map<string, number>,
  mapping: Record<string, string>,
  defs: Map<string, FieldDefRow>,
  extraTags: string[],
  source = "import",
): MappedRow {
  const values: Record<string, string> = {};
  for (const [header, field] of Object.entries(mapping)) {
    const idx = columns.get(header);
    if (idx === undefined || !field) continue;
    const v = (cells[idx] ?? "").trim();
    if (v !== "") values[field] = values[field] ? `${values[field]} ${v}` : v;
  }
  const errors: ImportRowError[] = [];
  const err = (field: string | null, message: string) => errors.push({ row: rowNumber, field, message });
  const email = normalizeEmail(values.email);
  if (email && !isValidEmail(email)) err("email", `"${values.email}" is not a valid email address`);
  let firstName: string | undefined = values.first_name;
  let lastName: string | undefined = values.last_name;
  if (values.name && !firstName && !lastName) {
    const parts = values.name.split(/\s+/);
    firstName = parts[0];
    lastName = parts.slice(1).join(" ") || undefined;
  }
  if (!email && !firstName && !lastName) err("email", "a lead needs an email or a name");
  let employees: number | undefined;
  if (values.employees) {
    const n = parseEmployees(values.employees);
    if (n === null) err("employees", `"${values.employees}" is not a number of employees`);
    else employees = n;
  }
  let country: string | undefined;
  if (values.country) {
    if (/^[a-z]{2}$/i.test(values.country)) country = values.country.toUpperCase();
    else err("country", `"${values.country}" is not a two-letter country code (ISO 3166-1)`);
  }
  let status: LeadStatus | undefined;
  if (values.status) {
    const s = values.status.toLowerCase() as LeadStatus;
    if ((LEAD_STATUSES as readonly string[]).includes(s)) status = s;
    else err("status", `"${values.status}" is not a status (${LEAD_STATUSES.join(", ")})`);
  }
  const customFields: CustomFieldValues = {};
  for (const [field, raw] of Object.entries(values)) {
    if (!field.startsWith("custom.")) continue;
    const key = field.slice(7);
    const def = defs.get(key);
    if (!def) {
      err(field, `"${key}" is not a custom field of this workspace`);
      continue;
    }
    const r = coerceFieldValue(def.type, raw);
    if ("error" in r) err(field, `"${raw}" ${r.error}`);
    else customFields[key] = r.value;
  }
  const tags = [
    ...new Set([...(values.tags ? values.tags.split(/[;,|]/) : []), ...extraTags].map((t) => t.trim().toLowerCase()).filter(Boolean)),
  ].slice(0, 50);
  if (errors.length) return { row: rowNumber, lead: null, errors, values };
  const opt = (v: string | undefined, max: number) => (v ? v.slice(0, max) : undefined);
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
      domain: leadDomain(email, values.domain),
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
}
