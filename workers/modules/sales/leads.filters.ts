import { eq, gte, inArray, isNull, lte, sql, type SQL } from "drizzle-orm";
import { type LeadStatus, salesLeads } from "../../../schema/sales";
import type { EnrolFilter } from "../../../schema/sales-sequences";
import { containsPattern } from "../../platform/db";

/**
 * Which leads a list, an export or an enrolment means: one set of conditions built here, so the
 * list, the CSV export and `listLeadIdsMatching` (outreach's enrolment) agree.
 */
export interface LeadFilter {
  q?: string; // name, email, company, title
  status?: LeadStatus | LeadStatus[];
  tag?: string | string[]; // any of
  ownerId?: string;
  companyId?: string;
  source?: string;
  minScore?: number;
  maxScore?: number;
  /** Merged-away leads are hidden unless asked for. */
  includeMerged?: boolean;
}

const list = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** Lower-cased LIKE over first + last name, email, company name and title. */
export function leadSearch(term: string): SQL {
  const p = containsPattern(term.trim().toLowerCase());
  return sql`(lower(coalesce(${salesLeads.firstName}, '') || ' ' || coalesce(${salesLeads.lastName}, '')) like ${p} escape '\\'
    or ${salesLeads.email} like ${p} escape '\\'
    or lower(coalesce(${salesLeads.companyName}, '')) like ${p} escape '\\'
    or lower(coalesce(${salesLeads.title}, '')) like ${p} escape '\\')`;
}

export function leadConditions(f: LeadFilter): (SQL | undefined)[] {
  const statuses = list(f.status);
  const tags = list(f.tag).filter(Boolean);
  return [
    f.includeMerged ? undefined : isNull(salesLeads.mergedInto),
    f.q?.trim() ? leadSearch(f.q) : undefined,
    statuses.length ? inArray(salesLeads.status, statuses) : undefined,
    tags.length
      ? sql`exists (select 1 from json_each(${salesLeads.tags}) where json_each.value in (${sql.join(
          tags.map((t) => sql`${t}`),
          sql`, `,
        )}))`
      : undefined,
    f.ownerId ? eq(salesLeads.ownerId, f.ownerId) : undefined,
    f.companyId ? eq(salesLeads.companyId, f.companyId) : undefined,
    f.source ? eq(salesLeads.source, f.source) : undefined,
    f.minScore !== undefined ? gte(salesLeads.score, f.minScore) : undefined,
    f.maxScore !== undefined ? lte(salesLeads.score, f.maxScore) : undefined,
  ];
}

/**
 * An enrolment filter as lead conditions. Enrolment also needs someone to write to: leads without
 * an email, unsubscribed or bounced leads never match.
 */
export function enrolConditions(f: EnrolFilter): (SQL | undefined)[] {
  return [
    ...leadConditions({
      q: f.q,
      status: f.statuses?.length ? (f.statuses as LeadStatus[]) : undefined,
      tag: f.tags,
      ownerId: f.ownerId,
      minScore: f.minScore,
    }),
    sql`${salesLeads.email} is not null`,
    isNull(salesLeads.unsubscribedAt),
    isNull(salesLeads.bouncedAt),
  ];
}
