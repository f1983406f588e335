/**
 * Expansion for a workspace's own customers, from its events — the same report Weft reads about
 * itself (billing records these events into the house workspace). Event conventions (documented in
 * the README, "Expansion"):
 * - `trial_started`, `subscription_started`, `subscription_changed`, `subscription_canceled`;
 *   props `plan`, `seats`, `mrr_cents` (monthly revenue, integer minor units), and on a change
 *   `from_plan`, `seats_from`, `mrr_from_cents`, `direction` ("upgrade" | "downgrade");
 * - `limit_approached` with `meter`, `used`, `limit`, `percent`: an account near a plan limit.
 * Activity growth compares each person's events in the range with the window of equal length before.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../../../platform/db";
import { DAY_MS } from "./filters";

const ACTIVITY = sql`e.is_bot = 0 AND e.name <> '$identify'`;
const WEEK_MS = 7 * DAY_MS;
const MOVEMENTS = ["subscription_started", "subscription_changed", "subscription_canceled"] as const;
/** A person whose activity moved by at least this share counts as growing or shrinking. */
const GROWTH_BAND = 0.2;

/** A number from a JSON prop (numbers or numeric strings), else null. */
export const num = (v: unknown): number | null =>
  typeof v === "number" && Number.isFinite(v)
    ? v
    : typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))
      ? Number(v)
      : null;

/** A JSON object column (traits, props) as an object; {} when absent or unreadable. */
export function parseTraits(raw: string | null): Record<string, unknown> {
  if (!raw) return {};
  try {
    return JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return {};
  }
}

export async function trialToPaid(db: Db, tenantId: string, from: number, to: number) {
  const rows = await db.all<{ p: string; t0: number; t1: number | null }>(sql`
    WITH t AS (
      SELECT e.person_id AS p, min(e.ts) AS t0 FROM analytics_events e
      WHERE e.tenant_id = ${tenantId} AND e.name = 'trial_started' AND e.is_bot = 0 AND e.ts >= ${from} AND e.ts < ${to}
      GROUP BY e.person_id
    )
    SELECT t.p, t.t0, (SELECT min(x.ts) FROM analytics_events x WHERE x.tenant_id = ${tenantId} AND x.person_id = t.p
      AND x.name = 'subscription_started' AND x.is_bot = 0 AND x.ts >= t.t0) AS t1 FROM t`);
  const days = rows.flatMap((r) => (r.t1 === null ? [] : [(r.t1 - r.t0) / DAY_MS])).sort((a, b) => a - b);
  const mid = days.length
    ? days.length % 2
      ? days[(days.length - 1) / 2]
      : ((days[days.length / 2 - 1] ?? 0) + (days[days.length / 2] ?? 0)) / 2
    : null;
  return {
    trials: rows.length,
    converted: days.length,
    rate: rows.length ? days.length / rows.length : 0,
    median_days_to_convert: mid === null || mid === undefined ? null : Math.round(mid * 10) / 10,
  };
}

type Direction = "upgrade" | "downgrade" | "change";

function directionOf(p: Record<string, unknown>): Direction {
  if (p.direction === "upgrade" || p.direction === "downgrade") return p.direction;
  const pairs: [unknown, unknown][] = [
    [p.mrr_cents, p.mrr_from_cents],
    [p.seats, p.seats_from],
  ];
  for (const [a, b] of pairs) {
    const x = num(a);
    const y = num(b);
    if (x !== null && y !== null && x !== y) return x > y ? "upgrade" : "downgrade";
  }
  return "change";
}

export async function movements(db: Db, tenantId: string, from: number, to: number) {
  const rows = await db.all<{ name: (typeof MOVEMENTS)[number]; ts: number; props: string }>(sql`
    SELECT e.name, e.ts, e.props FROM analytics_events e
    WHERE e.tenant_id = ${tenantId} AND e.name IN ('subscription_started', 'subscription_changed', 'subscription_canceled')
      AND e.is_bot = 0 AND e.ts >= ${from} AND e.ts < ${to}
    ORDER BY e.ts`);
  const weeks = Math.max(1, Math.ceil((to - from) / WEEK_MS));
  const weekly = Array.from({ length: weeks }, (_, i) => ({
    week_start: new Date(from + i * WEEK_MS).toISOString(),
    new: 0,
    upgrades: 0,
    downgrades: 0,
    cancellations: 0,
  }));
  const counts = { new: 0, upgrades: 0, downgrades: 0, cancellations: 0 };
  const mrr = { new_cents: 0, expansion_cents: 0, contraction_cents: 0, churned_cents: 0, net_new_cents: 0, tracked: false };
  const seats = { added: 0, removed: 0, net: 0 };
  for (const r of rows) {
    const p = parseTraits(r.props);
    const w = weekly[Math.min(weeks - 1, Math.floor((r.ts - from) / WEEK_MS))];
    const cur = num(p.mrr_cents);
    if (cur !== null) mrr.tracked = true;
    if (r.name === "subscription_started") {
      counts.new++;
      if (w) w.new++;
      mrr.new_cents += cur ?? 0;
      seats.added += num(p.seats) ?? 0;
    } else if (r.name === "subscription_canceled") {
      counts.cancellations++;
      if (w) w.cancellations++;
      mrr.churned_cents += cur ?? 0;
      seats.removed += num(p.seats) ?? 0;
    } else {
      const dir = directionOf(p);
      if (dir === "upgrade") {
        counts.upgrades++;
        if (w) w.upgrades++;
      } else if (dir === "downgrade") {
        counts.downgrades++;
        if (w) w.downgrades++;
      }
      const before = num(p.mrr_from_cents);
      if (cur !== null && before !== null) {
        if (cur > before) mrr.expansion_cents += cur - before;
        else mrr.contraction_cents += before - cur;
      }
      const s1 = num(p.seats);
      const s0 = num(p.seats_from);
      if (s1 !== null && s0 !== null) {
        if (s1 > s0) seats.added += s1 - s0;
        else seats.removed += s0 - s1;
      }
    }
  }
  mrr.net_new_cents = mrr.new_cents + mrr.expansion_cents - mrr.contraction_cents - mrr.churned_cents;
  seats.net = seats.added - seats.removed;
  return { counts, weekly, mrr, seats };
}

/** Each person's activity in [from, to) against the window of equal length before it. */
export async function activityGrowth(db: Db, tenantId: string, from: number, to: number, top = 10) {
  const prevFrom = from - (to - from);
  const rows = await db.all<{ p: string; cur: number; prev: number }>(sql`
    SELECT e.person_id AS p, sum(e.ts >= ${from}) AS cur, sum(e.ts < ${from}) AS prev
    FROM analytics_events e WHERE e.tenant_id = ${tenantId} AND ${ACTIVITY} AND e.ts >= ${prevFrom} AND e.ts < ${to}
    GROUP BY e.person_id`);
  let growing = 0;
  let shrinking = 0;
  let steady = 0;
  let eventsCurrent = 0;
  let eventsPrevious = 0;
  const grew: { p: string; cur: number; prev: number }[] = [];
  for (const r of rows) {
    eventsCurrent += r.cur;
    eventsPrevious += r.prev;
    if (r.prev === 0) continue; // new people are acquisition, not expansion
    const change = (r.cur - r.prev) / r.prev;
    if (change >= GROWTH_BAND) {
      growing++;
      grew.push(r);
    } else if (change <= -GROWTH_BAND) shrinking++;
    else steady++;
  }
  grew.sort((a, b) => b.cur - b.prev - (a.cur - a.prev) || a.p.localeCompare(b.p));
  const picked = grew.slice(0, top);
  const traits = new Map<string, Record<string, unknown>>();
  if (picked.length) {
    const people = await db.all<{ id: string; traits: string }>(sql`
      SELECT id, traits FROM analytics_persons WHERE tenant_id = ${tenantId}
        AND id IN (${sql.join(
          picked.map((r) => sql`${r.p}`),
          sql`, `,
        )})`);
    for (const p of people) traits.set(p.id, parseTraits(p.traits));
  }
  return {
    accounts_growing: growing,
    accounts_shrinking: shrinking,
    accounts_steady: steady,
    events_current: eventsCurrent,
    events_previous: eventsPrevious,
    top_growing: picked.map((r) => ({ person_id: r.p, traits: traits.get(r.p) ?? {}, previous: r.prev, current: r.cur })),
  };
}

export interface UpsellCandidate {
  account_id: string;
  name: string;
  plan: string | null;
  meter: string;
  used: number | null;
  limit: number | null;
  percent: number;
  at: string;
}

/**
 * People whose newest `limit_approached` (per meter) lies in the 30 days before `to` and who have
 * not upgraded since: they are the ones to offer more.
 */
export async function upsellFromEvents(db: Db, tenantId: string, to: number, limit = 50): Promise<UpsellCandidate[]> {
  const rows = await db.all<{ p: string; ts: number; props: string; traits: string | null }>(sql`
    WITH l AS (
      SELECT e.person_id AS p, e.ts, e.props,
        row_number() OVER (PARTITION BY e.person_id, e.props ->> '$.meter' ORDER BY e.ts DESC) AS rn
      FROM analytics_events e
      WHERE e.tenant_id = ${tenantId} AND e.name = 'limit_approached' AND e.is_bot = 0
        AND e.ts >= ${to - 30 * DAY_MS} AND e.ts < ${to}
    )
    SELECT l.p, l.ts, l.props, pr.traits FROM l
    LEFT JOIN analytics_persons pr ON pr.tenant_id = ${tenantId} AND pr.id = l.p
    WHERE l.rn = 1 AND NOT EXISTS (SELECT 1 FROM analytics_events u WHERE u.tenant_id = ${tenantId} AND u.person_id = l.p
      AND u.name = 'subscription_changed' AND u.ts > l.ts AND u.ts < ${to} AND u.props ->> '$.direction' = 'upgrade')`);
  return rows
    .map((r) => {
      const p = parseTraits(r.props);
      const t = parseTraits(r.traits);
      const used = num(p.used);
      const lim = num(p.limit);
      const pct = num(p.percent) ?? (used !== null && lim ? Math.round((100 * used) / lim) : 0);
      const name = [t.name, t.email, t.company].find((v) => typeof v === "string" && v) as string | undefined;
      return {
        account_id: r.p,
        name: name ?? r.p,
        plan: typeof p.plan === "string" ? p.plan : null,
        meter: typeof p.meter === "string" ? p.meter : "usage",
        used,
        limit: lim,
        percent: pct,
        at: new Date(r.ts).toISOString(),
      };
    })
    .sort((a, b) => b.percent - a.percent || b.at.localeCompare(a.at))
    .slice(0, limit);
}
