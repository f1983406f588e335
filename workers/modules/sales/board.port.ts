import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../../platform/db";

/**
 * Read-only aggregates over the CRM for the salesboard (modules/salesboard; docs/sales.md): stages,
 * deals, stage changes, activity per person and day, and the lead funnel. Every query starts from
 * `tenant_id` (its indexes); the salesboard caches what it builds from them for a few minutes.
 */

/**
 * Which leads and deals count: `owner` = the lead's / deal's owner, `source` = theirs, `sequenceId` =
 * leads enrolled in that sequence (their `enrolled` timeline entry) and deals of those leads.
 */
export interface BoardScope {
  owner?: string;
  source?: string;
  sequenceId?: string;
}

// Leads enrolled in a sequence: outreach records `enrolled` with the sequence id on the lead's timeline.
const enrolledIn = (tenantId: string, sequenceId: string): SQL =>
  sql`select e.lead_id from sales_activities e where e.tenant_id = ${tenantId} and e.kind = 'enrolled' and json_extract(e.data, '$.sequence_id') = ${sequenceId}`;
const leadFilter = (tenantId: string, alias: string, s: BoardScope): SQL => {
  const parts: SQL[] = [sql.raw(`${alias}.merged_into is null`)];
  if (s.owner) parts.push(sql`${sql.raw(alias)}.owner_id = ${s.owner}`);
  if (s.source) parts.push(sql`${sql.raw(alias)}.source = ${s.source}`);
  if (s.sequenceId) parts.push(sql`${sql.raw(alias)}.id in (${enrolledIn(tenantId, s.sequenceId)})`);
  return sql.join(parts, sql` and `);
};
const dealFilter = (tenantId: string, s: BoardScope): SQL => {
  const parts: SQL[] = [sql`1 = 1`];
  if (s.owner) parts.push(sql`d.owner_id = ${s.owner}`);
  if (s.source) parts.push(sql`d.source = ${s.source}`);
  if (s.sequenceId) parts.push(sql`d.lead_id in (${enrolledIn(tenantId, s.sequenceId)})`);
  return sql.join(parts, sql` and `);
};

export interface BoardStage {
  id: string;
  name: string;
  position: number;
  probability: number;
  outcome: "open" | "won" | "lost";
}
export const boardStages = (db: Db, tenantId: string) =>
  db.all<BoardStage>(sql`select id, name, position, probability, outcome from sales_stages
    where tenant_id = ${tenantId} order by position, id`);

export interface BoardDeal {
  id: string;
  stageId: string;
  amountMinor: number;
  currency: string;
  ownerId: string | null;
  source: string | null;
  outcome: "open" | "won" | "lost";
  createdAt: number;
  closedAt: number | null;
  stageChangedAt: number;
}
/** Deals that were alive at some point of [from, to]: created by `to` and not closed before `from`. */
export const boardDeals = (db: Db, tenantId: string, from: number, to: number, s: BoardScope) =>
  db.all<BoardDeal>(sql`select d.id, d.stage_id as stageId, d.amount_minor as amountMinor, d.currency, d.owner_id as ownerId,
      d.source, d.outcome, d.created_at as createdAt, d.closed_at as closedAt, d.stage_changed_at as stageChangedAt
    from sales_deals d
    where d.tenant_id = ${tenantId} and d.created_at <= ${to} and (d.closed_at is null or d.closed_at >= ${from}) and ${dealFilter(tenantId, s)}`);

export interface BoardStageChange {
  dealId: string;
  fromStageId: string | null;
  toStageId: string | null;
  at: number;
}
/** Every stage change of the given deals, oldest first (the deals' `stage_changed` timeline entries). */
export const boardStageChanges = (db: Db, tenantId: string, dealIds: string[]) =>
  dealIds.length === 0
    ? Promise.resolve([] as BoardStageChange[])
    : db.all<BoardStageChange>(sql`select a.deal_id as dealId, json_extract(a.data, '$.from_stage_id') as fromStageId,
          json_extract(a.data, '$.to_stage_id') as toStageId, a.occurred_at as at
        from sales_activities a
        where a.tenant_id = ${tenantId} and a.kind = 'stage_changed'
          and a.deal_id in (select value from json_each(${JSON.stringify(dealIds)}))
        order by a.occurred_at, a.id`);

export const REP_ACTIVITY_KINDS = ["email_sent", "email_replied", "call", "meeting", "note", "task_done"] as const;
export type RepActivityKind = (typeof REP_ACTIVITY_KINDS)[number];
export interface BoardActivityCount {
  /** The person: who logged it, else (system entries such as a sequence's sends and replies) the lead's owner. */
  userId: string | null;
  kind: RepActivityKind;
  /** UTC day number (epoch ms / 86,400,000). */
  day: number;
  n: number;
}
/** Timeline entries of the rep kinds in [from, to], counted per person, kind and UTC day (`owner`: that person's only). */
export const boardActivityCounts = (db: Db, tenantId: string, from: number, to: number, s: BoardScope) =>
  db.all<BoardActivityCount>(sql`select coalesce(a.actor_id, l.owner_id) as userId, a.kind, cast(a.occurred_at / 86400000 as integer) as day, count(*) as n
    from sales_activities a
    join sales_leads l on l.tenant_id = a.tenant_id and l.id = a.lead_id
    where a.tenant_id = ${tenantId} and a.kind in ('email_sent', 'email_replied', 'call', 'meeting', 'note', 'task_done')
      and a.occurred_at >= ${from} and a.occurred_at <= ${to} and ${leadFilter(tenantId, "l", { ...s, owner: undefined })}
      and ${s.owner ? sql`coalesce(a.actor_id, l.owner_id) = ${s.owner}` : sql`1 = 1`}
    group by 1, 2, 3`);

export interface BoardMeeting {
  leadId: string;
  at: number;
  /** The sequence email the lead got last before the meeting (null: none, e.g. a meeting from a call). */
  sequenceId: string | null;
  variantId: string | null;
}
/** Meetings logged in [from, to], each with the sequence email sent to its lead last before it (its `email_sent` entry). */
export const boardMeetings = (db: Db, tenantId: string, from: number, to: number, s: BoardScope) =>
  db.all<BoardMeeting>(sql`select m.lead_id as leadId, m.occurred_at as at,
      json_extract(prev.data, '$.sequence_id') as sequenceId, json_extract(prev.data, '$.variant_id') as variantId
    from sales_activities m
    join sales_leads l on l.tenant_id = m.tenant_id and l.id = m.lead_id
    left join sales_activities prev on prev.id = (
      select p.id from sales_activities p
      where p.tenant_id = m.tenant_id and p.lead_id = m.lead_id and p.occurred_at <= m.occurred_at and p.kind = 'email_sent'
        and json_extract(p.data, '$.variant_id') is not null
      order by p.occurred_at desc limit 1)
    where m.tenant_id = ${tenantId} and m.kind = 'meeting' and m.occurred_at >= ${from} and m.occurred_at <= ${to}
      and ${leadFilter(tenantId, "l", s)}`);

export interface BoardSendCount {
  sequenceId: string;
  variantId: string;
  /** UTC day number of the send. */
  day: number;
  sends: number;
  /** Sends answered (any time so far) by a reply that is not an auto-reply; `positive`: of those, positive. */
  replies: number;
  positive: number;
}
/**
 * Sequence emails sent in [from, to] (their `email_sent` entries), per sequence, variant and UTC day,
 * with how many of them got a reply (the `email_replied` entry naming the same draft).
 */
export const boardSends = (db: Db, tenantId: string, from: number, to: number, s: BoardScope) =>
  db.all<BoardSendCount>(sql`with sent as (
      select a.lead_id, json_extract(a.data, '$.draft_id') as draft_id, json_extract(a.data, '$.sequence_id') as sequence_id,
        json_extract(a.data, '$.variant_id') as variant_id, cast(a.occurred_at / 86400000 as integer) as day
      from sales_activities a
      join sales_leads l on l.tenant_id = a.tenant_id and l.id = a.lead_id
      where a.tenant_id = ${tenantId} and a.kind = 'email_sent' and a.occurred_at >= ${from} and a.occurred_at <= ${to}
        and json_extract(a.data, '$.variant_id') is not null and ${leadFilter(tenantId, "l", s)}
        ${s.sequenceId ? sql`and json_extract(a.data, '$.sequence_id') = ${s.sequenceId}` : sql``}
    ), answered as (
      select sent.draft_id, max(json_extract(r.data, '$.sentiment') = 'positive') as positive
      from sent join sales_activities r on r.tenant_id = ${tenantId} and r.lead_id = sent.lead_id and r.kind = 'email_replied'
        and json_extract(r.data, '$.draft_id') = sent.draft_id
      group by sent.draft_id
    )
    select sent.sequence_id as sequenceId, sent.variant_id as variantId, sent.day, count(*) as sends,
      count(answered.draft_id) as replies, coalesce(sum(answered.positive), 0) as positive
    from sent left join answered on answered.draft_id = sent.draft_id
    group by 1, 2, 3`);

/** The lead funnel: how many leads in play reached each stage (the furthest one counts for all before it). */
export interface BoardFunnel {
  leads: number;
  contacted: number;
  replied: number;
  meeting: number;
  won: number;
}
/**
 * Leads "in play" in [from, to] — created then, or with a send, call, reply, meeting or won deal then —
 * each at the furthest stage it reached in the period: contacted (an email sent or a call), replied,
 * meeting, won (a deal of the lead won). Nested by construction: a won lead counts in every stage.
 */
export async function boardFunnel(db: Db, tenantId: string, from: number, to: number, s: BoardScope): Promise<BoardFunnel> {
  const row = await db.get<BoardFunnel>(sql`with signals as (
      select a.lead_id as lead_id, max(case a.kind when 'email_replied' then 2 when 'meeting' then 3 else 1 end) as st
        from sales_activities a
        where a.tenant_id = ${tenantId} and a.kind in ('email_sent', 'call', 'email_replied', 'meeting')
          and a.occurred_at >= ${from} and a.occurred_at <= ${to} and a.lead_id is not null
        group by a.lead_id
      union all
      select d.lead_id, 4 from sales_deals d
        where d.tenant_id = ${tenantId} and d.outcome = 'won' and d.closed_at >= ${from} and d.closed_at <= ${to} and d.lead_id is not null
      union all
      select l.id, 0 from sales_leads l where l.tenant_id = ${tenantId} and l.created_at >= ${from} and l.created_at <= ${to}
    ), per as (select lead_id, max(st) as st from signals group by lead_id)
    select count(*) as leads, coalesce(sum(per.st >= 1), 0) as contacted, coalesce(sum(per.st >= 2), 0) as replied,
      coalesce(sum(per.st >= 3), 0) as meeting, coalesce(sum(per.st >= 4), 0) as won
    from per join sales_leads l on l.tenant_id = ${tenantId} and l.id = per.lead_id
    where ${leadFilter(tenantId, "l", s)}`);
  return row ?? { leads: 0, contacted: 0, replied: 0, meeting: 0, won: 0 };
}

/** The sources leads and deals carry (for the filter), most used first. */
export const boardSources = async (db: Db, tenantId: string): Promise<string[]> =>
  (
    await db.all<{ source: string }>(sql`select source from (
        select source from sales_leads where tenant_id = ${tenantId} and source is not null and merged_into is null
        union all select source from sales_deals where tenant_id = ${tenantId} and source is not null)
      group by source order by count(*) desc, source limit 50`)
  ).map((r) => r.source);
