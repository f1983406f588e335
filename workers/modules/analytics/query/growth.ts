/**
 * Growth metrics for a workspace's own users, from its analytics events:
 * - active people (DAU / WAU / MAU as of a time, the daily series, stickiness = mean DAU ÷ MAU);
 * - activation: people who did the sign-up event in a range, and the share reaching each milestone
 *   (an event within N days of their sign-up) and all of them;
 * - churn risk: identified people whose activity fell (last 14 days against the 14 before), scored
 *   0–100: 60 points for the drop, 40 for idleness (days since last seen, from the third day), with
 *   the signals behind it.
 * `$identify` is bookkeeping, not activity, and bots never count.
 */
import { sql } from "drizzle-orm";
import type { ActivationConfig } from "../../../../schema/analytics";
import type { Db } from "../../../platform/db";
import { DAY_MS } from "./filters";

const ACTIVITY = sql`e.is_bot = 0 AND e.name <> '$identify'`;

export async function activePeople(db: Db, tenantId: string, at: number) {
  const from = at - 30 * DAY_MS;
  const day = sql.raw(String(DAY_MS));
  const [head, daily] = await Promise.all([
    db.get<{ dau: number; wau: number; mau: number }>(sql`
      SELECT count(DISTINCT CASE WHEN e.ts >= ${at - DAY_MS} THEN e.person_id END) AS dau,
        count(DISTINCT CASE WHEN e.ts >= ${at - 7 * DAY_MS} THEN e.person_id END) AS wau,
        count(DISTINCT e.person_id) AS mau
      FROM analytics_events e WHERE e.tenant_id = ${tenantId} AND ${ACTIVITY} AND e.ts >= ${from} AND e.ts < ${at}`),
    db.all<{ d: number; n: number }>(sql`
      SELECT (e.ts - ${sql.raw(String(at % DAY_MS))}) / ${day} AS d, count(DISTINCT e.person_id) AS n
      FROM analytics_events e WHERE e.tenant_id = ${tenantId} AND ${ACTIVITY} AND e.ts >= ${from} AND e.ts < ${at} GROUP BY 1`),
  ]);
  const firstDay = Math.floor((from - (at % DAY_MS)) / DAY_MS);
  const series = Array.from({ length: 30 }, (_, i) => ({
    date: new Date((firstDay + i) * DAY_MS + (at % DAY_MS)).toISOString(),
    dau: daily.find((r) => r.d === firstDay + i)?.n ?? 0,
  }));
  const mau = head?.mau ?? 0;
  const meanDau = series.reduce((a, r) => a + r.dau, 0) / series.length;
  return { dau: head?.dau ?? 0, wau: head?.wau ?? 0, mau, stickiness: mau ? meanDau / mau : 0, daily: series };
}

export async function activation(db: Db, tenantId: string, cfg: ActivationConfig, from: number, to: number) {
  const ms = cfg.milestones;
  const reached = (m: ActivationConfig["milestones"][number]) => sql`EXISTS (SELECT 1 FROM analytics_events x
      WHERE x.tenant_id = ${tenantId} AND x.person_id = s.p AND x.ts >= s.t0 AND x.ts <= s.t0 + ${m.within_days * DAY_MS}
        AND x.name = ${m.event} AND x.is_bot = 0)`;
  const flags = ms.length
    ? sql.join(
        ms.map((m, i) => sql`${reached(m)} AS r${sql.raw(String(i))}`),
        sql`, `,
      )
    : sql`1 AS r_none`;
  const sums = ms.map((_, i) => sql.raw(`coalesce(sum(r${i}), 0) AS m${i}`));
  const all = ms.length ? sql.raw(`coalesce(sum(${ms.map((_, i) => `r${i}`).join(" AND ")}), 0)`) : sql`0`;
  const row = await db.get<Record<string, number>>(sql`
    WITH s AS (
      SELECT e.person_id AS p, min(e.ts) AS t0 FROM analytics_events e
      WHERE e.tenant_id = ${tenantId} AND e.name = ${cfg.signup_event} AND e.is_bot = 0 AND e.ts >= ${from} AND e.ts < ${to}
      GROUP BY e.person_id
    ),
    f AS (SELECT p, ${flags} FROM s)
    SELECT count(*) AS cohort, ${all} AS activated ${ms.length ? sql`, ${sql.join(sums, sql`, `)}` : sql``} FROM f`);
  const cohort = row?.cohort ?? 0;
  return {
    signup_event: cfg.signup_event,
    cohort_size: cohort,
    activated: ms.length ? (row?.activated ?? 0) : 0,
    activation_rate: ms.length && cohort ? (row?.activated ?? 0) / cohort : 0,
    milestones: ms.map((m, i) => {
      const n = row?.[`m${i}`] ?? 0;
      return { ...m, reached: n, share: cohort ? n / cohort : 0 };
    }),
  };
}

export interface ChurnRisk {
  person_id: string;
  traits: Record<string, unknown>;
  score: number;
  last_seen: string;
  events_recent: number;
  events_previous: number;
  signals: string[];
}

/**
 * Identified people with an established habit (≥ 3 events on ≥ 2 days in the earlier fortnight: a
 * single visit is not a habit to lose), most at risk first.
 */
export async function churnRisk(db: Db, tenantId: string, at: number, limit = 50): Promise<ChurnRisk[]> {
  const mid = at - 14 * DAY_MS;
  const rows = await db.all<{ p: string; traits: string; recent: number; previous: number; last: number }>(sql`
    SELECT e.person_id AS p, pr.traits AS traits, sum(e.ts >= ${mid}) AS recent, sum(e.ts < ${mid}) AS previous, max(e.ts) AS last,
      count(DISTINCT CASE WHEN e.ts < ${mid} THEN e.ts / ${sql.raw(String(DAY_MS))} END) AS previous_days
    FROM analytics_events e JOIN analytics_persons pr ON pr.tenant_id = e.tenant_id AND pr.id = e.person_id
    WHERE e.tenant_id = ${tenantId} AND ${ACTIVITY} AND e.ts >= ${at - 28 * DAY_MS} AND e.ts < ${at}
    GROUP BY e.person_id HAVING previous >= 3 AND previous_days >= 2`);
  return rows
    .map((r) => {
      const drop = Math.max(0, 1 - r.recent / r.previous);
      const idleDays = Math.floor((at - r.last) / DAY_MS);
      // A couple of quiet days is normal; from the third on, idleness adds up to 40 points by day 14.
      const score = Math.round(100 * (0.6 * drop + 0.4 * Math.min(1, Math.max(0, idleDays - 2) / 12)));
      const signals: string[] = [];
      if (drop > 0) signals.push(`activity fell ${Math.round(drop * 100)}% (${r.previous} → ${r.recent} events, fortnight on fortnight)`);
      if (idleDays >= 3) signals.push(`last seen ${idleDays} days ago`);
      let traits: Record<string, unknown> = {};
      try {
        traits = JSON.parse(r.traits) as Record<string, unknown>;
      } catch {
        /* traits are written as JSON by the consumer; keep the row even if not */
      }
      return {
        person_id: r.p,
        traits,
        score,
        last_seen: new Date(r.last).toISOString(),
        events_recent: r.recent,
        events_previous: r.previous,
        signals,
      };
    })
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || a.person_id.localeCompare(b.person_id))
    .slice(0, limit);
}
