import { z } from "@hono/zod-openapi";
import { LEAD_STATUSES } from "../../../schema/sales";
import { pageQuerySchema } from "../../platform/pagination";

/** Leads, companies and custom fields: request and response schemas (OpenAPI). */

const text = (max: number) => z.string().trim().max(max);
const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const scoreLine = z.object({ trait: z.string(), label: z.string(), points: z.number() });

export const leadSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    first_name: z.string().nullable(),
    last_name: z.string().nullable(),
    title: z.string().nullable(),
    phone: z.string().nullable(),
    company_id: z.string().nullable(),
    company_name: z.string().nullable(),
    domain: z.string().nullable(),
    industry: z.string().nullable(),
    employees: z.number().nullable(),
    country: z.string().nullable(),
    region: z.string().nullable(),
    city: z.string().nullable(),
    timezone: z.string().nullable(),
    linkedin_url: z.string().nullable(),
    source: z.string().nullable(),
    owner_id: z.string().nullable(),
    status: z.enum(LEAD_STATUSES),
    tags: z.array(z.string()),
    custom_fields: z.record(z.string(), fieldValue),
    score: z.number().nullable(),
    score_lines: z.array(scoreLine).nullable(),
    scored_at: z.string().nullable(),
    emails_sent: z.number(),
    opens: z.number(),
    replies: z.number(),
    site_visits: z.number(),
    last_contacted_at: z.string().nullable(),
    last_replied_at: z.string().nullable(),
    unsubscribed_at: z.string().nullable(),
    bounced_at: z.string().nullable(),
    merged_into: z.string().nullable().openapi({ description: "Set when this lead was merged into another" }),
    import_id: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("SalesLead");

export const leadInput = z
  .object({
    email: z.email().max(254).nullable().optional(),
    first_name: text(100).nullable().optional(),
    last_name: text(100).nullable().optional(),
    title: text(200).nullable().optional(),
    phone: text(50).nullable().optional(),
    company_id: z
      .string()
      .max(64)
      .nullable()
      .optional()
      .openapi({ description: "Default: the company of the lead's business domain (created when new)" }),
    company_name: text(200).nullable().optional(),
    domain: text(253).nullable().optional().openapi({ description: "Default: the email's domain unless it is a free-mail provider" }),
    industry: text(100).nullable().optional(),
    employees: z.number().int().min(0).max(10_000_000).nullable().optional(),
    country: z.string().length(2).nullable().optional().openapi({ description: "ISO 3166-1 alpha-2" }),
    region: text(100).nullable().optional(),
    city: text(100).nullable().optional(),
    timezone: text(64).nullable().optional().openapi({ description: "IANA time zone, e.g. Europe/Berlin" }),
    linkedin_url: z.url().max(500).nullable().optional(),
    source: text(50).nullable().optional(),
    owner_id: z.string().max(64).nullable().optional().openapi({ description: "A member of the workspace (422 otherwise)" }),
    status: z.enum(LEAD_STATUSES).optional(),
    tags: z.array(text(50)).max(50).optional(),
    custom_fields: z.record(z.string().max(64), fieldValue).optional().openapi({ description: "Keys defined under /sales/fields" }),
  })
  .openapi("SalesLeadInput");

const csv = (s: string | undefined) =>
  s
    ? s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean)
    : undefined;

/** Filters shared by the list and the CSV export. */
export const leadFilterQuery = z.object({
  q: z.string().max(200).optional().openapi({ description: "Search in name, email, company and title" }),
  status: z
    .string()
    .max(200)
    .optional()
    .transform(csv)
    .pipe(z.array(z.enum(LEAD_STATUSES)).optional())
    .openapi({ description: "One status or several, comma-separated" }),
  tag: z.string().max(200).optional().transform(csv).openapi({ description: "Leads with any of these tags (comma-separated)" }),
  owner_id: z.string().max(64).optional(),
  company_id: z.string().max(64).optional(),
  source: z.string().max(50).optional(),
  min_score: z.coerce.number().int().min(0).max(100).optional(),
  max_score: z.coerce.number().int().min(0).max(100).optional(),
  include_merged: z
    .enum(["true", "false"])
    .optional()
    .transform((v) => v === "true"),
});
export const leadListQuery = pageQuerySchema.extend(leadFilterQuery.shape).extend({
  sort: z
    .enum(["created", "-created", "score", "-score", "name", "-name"])
    .default("-created")
    .openapi({ description: "'-' = descending" }),
});

export const noteInput = z.object({ body: z.string().trim().min(1).max(10_000) }).openapi("SalesNoteInput");
export const callInput = z
  .object({
    outcome: z.enum(["connected", "left_voicemail", "no_answer", "busy", "wrong_number", "meeting_booked"]),
    duration_s: z.number().int().min(0).max(86_400).default(0),
    notes: z.string().max(10_000).default(""),
    occurred_at: z.iso.datetime({ offset: true }).optional(),
  })
  .openapi("SalesCallInput");
export const meetingInput = z
  .object({
    title: z.string().trim().min(1).max(200),
    notes: z.string().max(10_000).default(""),
    occurred_at: z.iso.datetime({ offset: true }).optional(),
  })
  .openapi("SalesMeetingInput");

export const activitySchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    summary: z.string(),
    data: z.record(z.string(), z.unknown()),
    lead_id: z.string().nullable(),
    company_id: z.string().nullable(),
    deal_id: z.string().nullable(),
    actor_id: z.string().nullable(),
    occurred_at: z.string(),
    created_at: z.string(),
  })
  .openapi("SalesActivity");
export const activityQuery = pageQuerySchema.extend({ kind: z.string().max(40).optional() });

export const mergeInput = z
  .object({
    survivor_id: z.string().min(1).max(64),
    merged_ids: z.array(z.string().min(1).max(64)).min(1).max(20),
    fields: z.record(z.string().max(64), z.string().max(64)).default({}).openapi({
      description: "field → id of the lead to take it from (default: the survivor's value, else the first merged lead that has one)",
    }),
  })
  .openapi("SalesMergeInput");

export const duplicateGroupSchema = z
  .object({ key: z.string(), reason: z.enum(["email", "name_domain"]), leads: z.array(leadSchema) })
  .openapi("SalesDuplicateGroup");

export const companySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    domain: z.string().nullable(),
    industry: z.string().nullable(),
    employees: z.number().nullable(),
    country: z.string().nullable(),
    region: z.string().nullable(),
    city: z.string().nullable(),
    owner_id: z.string().nullable(),
    source: z.string().nullable(),
    tags: z.array(z.string()),
    custom_fields: z.record(z.string(), fieldValue),
    enriched_by: z.string().nullable().openapi({ description: "The enrichment adapter that filled it (local-domain, clearbit)" }),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi("SalesCompany");
export const companyDetailSchema = companySchema.extend({ lead_count: z.number() }).openapi("SalesCompanyDetail");
export const companyInput = z
  .object({
    name: text(200).min(1).optional(),
    domain: text(253).nullable().optional(),
    industry: text(100).nullable().optional(),
    employees: z.number().int().min(0).max(10_000_000).nullable().optional(),
    country: z.string().length(2).nullable().optional(),
    region: text(100).nullable().optional(),
    city: text(100).nullable().optional(),
    owner_id: z.string().max(64).nullable().optional(),
    source: text(50).nullable().optional(),
    tags: z.array(text(50)).max(50).optional(),
    custom_fields: z.record(z.string().max(64), fieldValue).optional(),
  })
  .openapi("SalesCompanyInput");
export const companyListQuery = pageQuerySchema.extend({
  q: z.string().max(200).optional(),
  owner_id: z.string().max(64).optional(),
  tag: z.string().max(50).optional(),
  industry: z.string().max(100).optional(),
});

export const fieldDefSchema = z
  .object({
    id: z.string(),
    entity: z.enum(["lead", "company"]),
    key: z.string(),
    label: z.string(),
    type: z.enum(["text", "number", "date", "boolean", "url"]),
    position: z.number(),
    created_at: z.string(),
  })
  .openapi("SalesFieldDef");
export const fieldDefInput = z
  .object({
    entity: z.enum(["lead", "company"]),
    key: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "snake_case: a lower-case letter, then letters, digits or _ (at most 40)"),
    label: text(100).min(1),
    type: z.enum(["text", "number", "date", "boolean", "url"]),
    position: z.number().int().min(0).max(1000).optional(),
  })
  .openapi("SalesFieldDefInput");
export const fieldDefPatch = z.object({ label: text(100).min(1).optional(), position: z.number().int().min(0).max(1000).optional() });
