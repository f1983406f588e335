import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import { salesLeads } from "../../../schema/sales";
import { releaseQuota } from "../billing";
import { auditInsert, type Actor } from "../../platform/audit";
import { type Db, tenantScope } from "../../platform/db";
import type { Env } from "../../platform/env";
import { validationFailed } from "../../platform/errors";
import { recordActivity } from "./activities.service";
import { leadName } from "./leads.shapes";
import { type LeadRow, rawStmt, type Stmt } from "./types";

/**
 * Duplicates and merging. A merge keeps the survivor, moves the merged leads' activities, deals and
 * tasks to it, and marks them `merged_into` (their rows stay so links resolve; their email is
 * cleared so the survivor may take it). Sequence enrolments stay where they are: outreach treats
 * a merged lead as gone. Each merged lead gives its unit of the `leads` meter back.
 */

/** Fields a merge may take from any of the leads (`fields: { title: "lead_…" }`). */
export const MERGE_FIELDS = [
  "email",
  "firstName",
  "lastName",
  "title",
  "phone",
  "companyId",
  "companyName",
  "domain",
  "industry",
  "employees",
  "country",
  "region",
  "city",
  "timezone",
  "linkedinUrl",
  "source",
  "ownerId",
  "status",
] as const satisfies readonly (keyof LeadRow)[];
type MergeField = (typeof MERGE_FIELDS)[number];
const snake = (f: string) => f.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const BY_SNAKE = new Map<string, MergeField>(MERGE_FIELDS.map((f) => [snake(f), f]));

export async function mergeLeads(
  env: Env,
  db: Db,
  tenantId: string,
  input: { survivor_id: string; merged_ids: string[]; fields: Record<string, string> },
  actor: Actor,
): Promise<LeadRow> {
  const mergedIds = [...new Set(input.merged_ids)].filter((id) => id !== input.survivor_id);
  if (!mergedIds.length) throw validationFailed([{ path: "merged_ids", message: "name at least one lead other than the survivor" }]);
  const all = await db
    .select()
    .from(salesLeads)
    .where(
      tenantScope(db, tenantId).where(salesLeads, inArray(salesLeads.id, [input.survivor_id, ...mergedIds]), isNull(salesLeads.mergedInto)),
    );
  const byId = new Map(all.map((l) => [l.id, l]));
  const survivor = byId.get(input.survivor_id);
  const errors: { path: string; message: string }[] = [];
  if (!survivor) errors.push({ path: "survivor_id", message: "is not a lead of this workspace (or was merged already)" });
  mergedIds.forEach((id, i) => {
    if (!byId.has(id)) errors.push({ path: `merged_ids.${i}`, message: "is not a lead of this workspace (or was merged already)" });
  });
  for (const [field, from] of Object.entries(input.fields)) {
    if (!BY_SNAKE.has(field))
      errors.push({ path: `fields.${field}`, message: `is not a field a merge can choose (${[...BY_SNAKE.keys()].join(", ")})` });
    else if (!byId.has(from)) errors.push({ path: `fields.${field}`, message: "must name the survivor or one of the merged leads" });
  }
  if (errors.length || !survivor) throw validationFailed(errors);
  const merged = mergedIds.map((id) => byId.get(id) as LeadRow);

  // Each field: the chosen lead's value; else the survivor's; else the first merged lead that has one.
  const next: LeadRow = { ...survivor };
  const rec = next as unknown as Record<MergeField, unknown>;
  for (const f of MERGE_FIELDS) {
    const chosen = input.fields[snake(f)];
    if (chosen) rec[f] = (byId.get(chosen) as LeadRow)[f];
    else if (rec[f] === null || rec[f] === undefined) rec[f] = merged.find((m) => m[f] !== null && m[f] !== undefined)?.[f] ?? null;
  }
  next.tags = [...new Set([survivor, ...merged].flatMap((l) => l.tags))];
  next.customFields = Object.assign({}, ...[...merged].reverse().map((m) => m.customFields), survivor.customFields);
  next.emailsSent = survivor.emailsSent + merged.reduce((a, m) => a + m.emailsSent, 0);
  next.opens = survivor.opens + merged.reduce((a, m) => a + m.opens, 0);
  next.replies = survivor.replies + merged.reduce((a, m) => a + m.replies, 0);
  next.siteVisits = survivor.siteVisits + merged.reduce((a, m) => a + m.siteVisits, 0);
  const latest = (k: "lastContactedAt" | "lastRepliedAt" | "unsubscribedAt" | "bouncedAt") =>
    [survivor, ...merged].map((l) => l[k]).reduce<number | null>((a, v) => (v !== null && (a === null || v > a) ? v : a), null);
  next.lastContactedAt = latest("lastContactedAt");
  next.lastRepliedAt = latest("lastRepliedAt");
  next.unsubscribedAt = latest("unsubscribedAt"); // an unsubscribe on any of them holds for the person
  next.bouncedAt = survivor.email === next.email ? survivor.bouncedAt : (merged.find((m) => m.email === next.email)?.bouncedAt ?? null);
  next.scoredAt = null; // the scoring cron re-scores it
  next.updatedAt = Date.now();

  const ids = JSON.stringify(mergedIds);
  const inMerged = sql`(select value from json_each(${ids}))`;
  const { tenantId: _t, id: _i, createdAt: _c, ...set } = next;
  const stmts: Stmt[] = [
    // Free the merged leads' emails first (unique per workspace) so the survivor may take one.
    db
      .update(salesLeads)
      .set({ mergedInto: survivor.id, email: null, updatedAt: next.updatedAt })
      .where(and(eq(salesLeads.tenantId, tenantId), inArray(salesLeads.id, mergedIds))),
    db
      .update(salesLeads)
      .set(set)
      .where(and(eq(salesLeads.tenantId, tenantId), eq(salesLeads.id, survivor.id))),
    rawStmt(db, sql`update sales_activities set lead_id = ${survivor.id} where tenant_id = ${tenantId} and lead_id in ${inMerged}`),
    rawStmt(db, sql`update sales_deals set lead_id = ${survivor.id} where tenant_id = ${tenantId} and lead_id in ${inMerged}`),
    rawStmt(db, sql`update sales_tasks set lead_id = ${survivor.id} where tenant_id = ${tenantId} and lead_id in ${inMerged}`),
    recordActivity(db, tenantId, {
      leadId: survivor.id,
      kind: "merged",
      actorId: actor.id,
      summary: `Merged ${merged.map((m) => leadName(m)).join(", ")} into this lead`,
      data: { merged: merged.map((m) => ({ id: m.id, email: m.email, name: leadName(m) })), fields: input.fields },
    }),
    auditInsert(db, actor, {
      tenantId,
      action: "sales.lead.merged",
      target: { type: "sales_lead", id: survivor.id },
      metadata: { merged_ids: mergedIds, fields: input.fields },
    }),
  ];
  await db.batch(stmts as [Stmt, ...Stmt[]]);
  await releaseQuota(env, tenantId, "leads", merged.length, `lead-merged:${survivor.id}:${mergedIds.join(",")}`.slice(0, 200));
  return next;
}

/**
 * Groups of live leads that look like one person: the same email (case-insensitively, for rows
 * written before emails were normalised) or, without email, the same name at the same domain.
 */
export async function findDuplicates(db: Db, tenantId: string, limit = 50) {
  const nameKey = sql`lower(trim(coalesce(${salesLeads.firstName}, '') || ' ' || coalesce(${salesLeads.lastName}, '')))`;
  const byEmail = await db.all<{ k: string }>(sql`select lower(trim(email)) as k from sales_leads
      where tenant_id = ${tenantId} and merged_into is null and email is not null
      group by lower(trim(email)) having count(*) > 1 limit ${limit}`);
  const byName = await db
    .select({ k: sql<string>`${nameKey} || '|' || ${salesLeads.domain}` })
    .from(salesLeads)
    .where(
      tenantScope(db, tenantId).where(
        salesLeads,
        isNull(salesLeads.mergedInto),
        sql`${salesLeads.domain} is not null`,
        sql`${nameKey} <> ''`,
      ),
    )
    .groupBy(nameKey, salesLeads.domain)
    .having(sql`count(*) > 1`)
    .limit(limit);
  const groups: { key: string; reason: "email" | "name_domain"; leads: LeadRow[] }[] = [];
  if (byEmail.length) {
    const rows = await db
      .select()
      .from(salesLeads)
      .where(
        tenantScope(db, tenantId).where(
          salesLeads,
          isNull(salesLeads.mergedInto),
          sql`lower(trim(${salesLeads.email})) in (select value from json_each(${JSON.stringify(byEmail.map((r) => r.k))}))`,
        ),
      );
    for (const { k } of byEmail) groups.push({ key: k, reason: "email", leads: rows.filter((r) => r.email?.trim().toLowerCase() === k) });
  }
  if (byName.length) {
    const keys = byName.map((r) => r.k);
    const rows = await db
      .select()
      .from(salesLeads)
      .where(
        tenantScope(db, tenantId).where(
          salesLeads,
          isNull(salesLeads.mergedInto),
          sql`${nameKey} || '|' || ${salesLeads.domain} in (select value from json_each(${JSON.stringify(keys)}))`,
        ),
      );
    const keyOf = (r: LeadRow) =>
      `${[r.firstName, r.lastName]
        .map((x) => x ?? "")
        .join(" ")
        .trim()
        .toLowerCase()}|${r.domain}`;
    for (const k of keys) groups.push({ key: k, reason: "name_domain", leads: rows.filter((r) => keyOf(r) === k) });
  }
  return groups.filter((g) => g.leads.length > 1).slice(0, limit);
}
