import type { LeadStatus } from "../../../schema/sales";
import { iso } from "../../platform/request";
import type { LeadRow } from "./types";

/** A lead's API shapes: the input of create / edit, and the row as the API answers it. */

export const leadName = (l: Pick<LeadRow, "firstName" | "lastName" | "email">) =>
  [l.firstName, l.lastName].filter(Boolean).join(" ") || l.email || "Unnamed lead";

export const serializeLead = (l: LeadRow) => ({
  id: l.id,
  name: leadName(l),
  email: l.email,
  first_name: l.firstName,
  last_name: l.lastName,
  title: l.title,
  phone: l.phone,
  company_id: l.companyId,
  company_name: l.companyName,
  domain: l.domain,
  industry: l.industry,
  employees: l.employees,
  country: l.country,
  region: l.region,
  city: l.city,
  timezone: l.timezone,
  linkedin_url: l.linkedinUrl,
  source: l.source,
  owner_id: l.ownerId,
  status: l.status,
  tags: l.tags,
  custom_fields: l.customFields,
  score: l.score,
  score_lines: l.scoreLines ?? null,
  scored_at: iso(l.scoredAt),
  emails_sent: l.emailsSent,
  opens: l.opens,
  replies: l.replies,
  site_visits: l.siteVisits,
  last_contacted_at: iso(l.lastContactedAt),
  last_replied_at: iso(l.lastRepliedAt),
  unsubscribed_at: iso(l.unsubscribedAt),
  bounced_at: iso(l.bouncedAt),
  merged_into: l.mergedInto,
  import_id: l.importId,
  created_at: new Date(l.createdAt).toISOString(),
  updated_at: new Date(l.updatedAt).toISOString(),
});

export interface LeadInput {
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  title?: string | null;
  phone?: string | null;
  company_id?: string | null;
  company_name?: string | null;
  domain?: string | null;
  industry?: string | null;
  employees?: number | null;
  country?: string | null;
  region?: string | null;
  city?: string | null;
  timezone?: string | null;
  linkedin_url?: string | null;
  source?: string | null;
  owner_id?: string | null;
  status?: LeadStatus;
  tags?: string[];
  custom_fields?: Record<string, unknown>;
}

export const cleanTags = (tags: string[] | undefined) =>
  [...new Set((tags ?? []).map((t) => t.trim().toLowerCase()).filter(Boolean))].slice(0, 50);
