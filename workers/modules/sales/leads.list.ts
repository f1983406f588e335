import { and, asc, desc, gt, lt, or, sql, type SQL } from "drizzle-orm";
import { salesLeads } from "../../../schema/sales";
import { tenantScope, type Db } from "../../platform/db";
import { badRequest } from "../../platform/errors";
import { type LeadFilter, leadConditions } from "./leads.filters";
import { serializeLead } from "./leads.shapes";

/** The lead list: search and filters (leads.filters.ts), any of the sorts, keyset pages (the export walks the same order). */

export type LeadSort = "created" | "-created" | "score" | "-score" | "name" | "-name";

export interface LeadListQuery extends LeadFilter {
  limit: number;
  cursor?: string;
  sort?: LeadSort;
}

const sortExpr = (sort: LeadSort): SQL =>
  sort.endsWith("score")
    ? sql`coalesce(${salesLeads.score}, -1)`
    : sort.endsWith("name")
      ? sql`lower(coalesce(${salesLeads.firstName}, '') || ' ' || coalesce(${salesLeads.lastName}, '') || coalesce(${salesLeads.email}, ''))`
      : sql`${salesLeads.createdAt}`;

export const encodeLeadCursor = (v: unknown) =>
  btoa(String.fromCharCode(...new TextEncoder().encode(JSON.stringify(v))))
    .replace(/=+$/, "")
    .replace(/\+/g, "-")
    .replace(/\//g, "_");
function decode(cursor: string): [string | number, string] {
  try {
    const bin = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const v = JSON.parse(new TextDecoder().decode(Uint8Array.from(bin, (ch) => ch.charCodeAt(0)))) as unknown;
    if (Array.isArray(v) && v.length === 2 && (typeof v[0] === "string" || typeof v[0] === "number") && typeof v[1] === "string")
      return v as [string | number, string];
  } catch {}
  throw badRequest("The cursor is not valid; pass `next_cursor` from a previous page unchanged.");
}

/** Keyset pages over any of the sorts: the cursor carries the last row's sort value and id. "-x" = descending (default "-created"). */
export function leadOrder(sort: LeadSort, cursor?: string) {
  const e = sortExpr(sort);
  const descending = sort.startsWith("-");
  let where: SQL | undefined;
  if (cursor) {
    const [v, id] = decode(cursor);
    where = descending
      ? or(sql`${e} < ${v}`, and(sql`${e} = ${v}`, lt(salesLeads.id, id)))
      : or(sql`${e} > ${v}`, and(sql`${e} = ${v}`, gt(salesLeads.id, id)));
  }
  const orderBy = descending ? [desc(e), desc(salesLeads.id)] : [asc(e), asc(salesLeads.id)];
  return { where, orderBy, valueOf: e };
}

export async function listLeads(db: Db, tenantId: string, q: LeadListQuery) {
  const sort = q.sort ?? "-created";
  const o = leadOrder(sort, q.cursor);
  const rows = await db
    .select({ lead: salesLeads, k: sql<string | number>`${o.valueOf}` })
    .from(salesLeads)
    .where(tenantScope(db, tenantId).where(salesLeads, ...leadConditions(q), o.where))
    .orderBy(...o.orderBy)
    .limit(q.limit + 1);
  const hasMore = rows.length > q.limit;
  const page = hasMore ? rows.slice(0, q.limit) : rows;
  const last = page[page.length - 1];
  return { data: page.map((r) => serializeLead(r.lead)), next_cursor: hasMore && last ? encodeLeadCursor([last.k, last.lead.id]) : null };
}
