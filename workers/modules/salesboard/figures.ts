import type { board } from "../sales";
import type { SequenceFigureRow } from "../outreach";

/**
 * The salesboard's figures from the CRM and outreach aggregates (pure: the same inputs give the same
 * board). Amounts are minor units; rates are fractions 0–1 (null when there is nothing to divide by);
 * days are UTC day numbers (epoch ms / 86,400,000).
 */
export const DAY_MS = 86_400_000;
export type Interval = "day" | "week" | "month";

export interface BoardInput {
  now: number;
  from: number;
  to: number;
  interval: Interval;
  stages: board.BoardStage[];
  deals: board.BoardDeal[];
  changes: board.BoardStageChange[];
  activity: board.BoardActivityCount[];
  sends: board.BoardSendCount[];
  meetings: board.BoardMeeting[];
  funnel: board.BoardFunnel;
  sequences: SequenceFigureRow[];
  /** Display names of the people in the figures (members and former owners). */
  names: Map<string, string>;
  /** Only this sequence's steps (the `sequence` filter). */
  sequenceId?: string;
}

export const rate = (n: number, d: number): number | null => (d > 0 ? n / d : null);
export function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
const round1 = (x: number) => Math.round(x * 10) / 10;

// ---- Deals: pipeline, stage durations, conversion --------------------------------------------------

export interface StageFigures {
  stage_id: string;
  name: string;
  position: number;
  probability: number;
  count: number;
  value_minor: number;
  weighted_minor: number;
  /** Deals that reached this stage (or a later open stage, or won) in the cohort. */
  reached: number;
  /** reached(next open stage, or won for the last one) / reached(this one). */
  conversion_to_next: number | null;
  /** Median days spent in this stage: finished visits plus the time open deals have been in it so far. */
  median_days: number | null;
  durations: number;
}

/** Each deal's visits to stages: [stageId, days] (open deals' current visit runs to `now`). */
export function stageVisits(deals: board.BoardDeal[], changes: board.BoardStageChange[], now: number) {
  const byDeal = new Map<string, board.BoardStageChange[]>();
  for (const c of changes) {
    const list = byDeal.get(c.dealId) ?? [];
    list.push(c);
    byDeal.set(c.dealId, list);
  }
  const visits: { dealId: string; stageId: string; days: number }[] = [];
  const reachedStages = new Map<string, Set<string>>();
  for (const d of deals) {
    const list = byDeal.get(d.id) ?? [];
    let stage = list[0]?.fromStageId ?? d.stageId;
    let entered = d.createdAt;
    const reached = new Set<string>([stage]);
    for (const c of list) {
      visits.push({ dealId: d.id, stageId: stage, days: Math.max(0, c.at - entered) / DAY_MS });
      stage = c.toStageId ?? stage;
      entered = c.at;
      reached.add(stage);
    }
    reached.add(d.stageId);
    if (d.outcome === "open") visits.push({ dealId: d.id, stageId: d.stageId, days: Math.max(0, now - entered) / DAY_MS });
    reachedStages.set(d.id, reached);
  }
  return { visits, reachedStages };
}

export function pipelineFigures(input: BoardInput): StageFigures[] {
  const open = input.stages.filter((s) => s.outcome === "open");
  const index = new Map(open.map((s, i) => [s.id, i]));
  const { visits, reachedStages } = stageVisits(input.deals, input.changes, input.now);
  // The furthest open stage each deal reached (won deals passed them all).
  const furthest = input.deals.map((d) => {
    if (d.outcome === "won") return open.length;
    let best = -1;
    for (const s of reachedStages.get(d.id) ?? []) best = Math.max(best, index.get(s) ?? -1);
    return best;
  });
  const reachedAt = (k: number) => furthest.filter((f) => f >= k).length;
  return open.map((s, i) => {
    const here = input.deals.filter((d) => d.outcome === "open" && d.stageId === s.id);
    const value = here.reduce((t, d) => t + d.amountMinor, 0);
    const days = visits.filter((v) => v.stageId === s.id).map((v) => v.days);
    const reached = reachedAt(i);
    const med = median(days);
    return {
      stage_id: s.id,
      name: s.name,
      position: s.position,
      probability: s.probability,
      count: here.length,
      value_minor: value,
      weighted_minor: Math.round((value * s.probability) / 100),
      reached,
      conversion_to_next: rate(reachedAt(i + 1), reached),
      median_days: med === null ? null : round1(med),
      durations: days.length,
    };
  });
}

export interface DealGroupFigures {
  open_count: number;
  open_value_minor: number;
  won_count: number;
  won_value_minor: number;
  lost_count: number;
  win_rate: number | null;
}
const closedIn = (d: board.BoardDeal, from: number, to: number) => d.closedAt !== null && d.closedAt >= from && d.closedAt <= to;

export function dealGroup(deals: board.BoardDeal[], from: number, to: number): DealGroupFigures {
  const open = deals.filter((d) => d.outcome === "open");
  const won = deals.filter((d) => d.outcome === "won" && closedIn(d, from, to));
  const lost = deals.filter((d) => d.outcome === "lost" && closedIn(d, from, to)).length;
  return {
    open_count: open.length,
    open_value_minor: open.reduce((t, d) => t + d.amountMinor, 0),
    won_count: won.length,
    won_value_minor: won.reduce((t, d) => t + d.amountMinor, 0),
    lost_count: lost,
    win_rate: rate(won.length, won.length + lost),
  };
}

export function groupDeals<K extends string>(deals: board.BoardDeal[], keyOf: (d: board.BoardDeal) => K, from: number, to: number) {
  const groups = new Map<K, board.BoardDeal[]>();
  for (const d of deals) {
    const k = keyOf(d);
    groups.set(k, [...(groups.get(k) ?? []), d]);
  }
  return [...groups].map(([key, list]) => ({ key, ...dealGroup(list, from, to) }));
}

/** Mean days from creation to a win, for deals won in [from, to]. */
export function cycleDays(deals: board.BoardDeal[], from: number, to: number): number | null {
  const won = deals.filter((d) => d.outcome === "won" && closedIn(d, from, to));
  if (won.length === 0) return null;
  return round1(won.reduce((t, d) => t + ((d.closedAt as number) - d.createdAt) / DAY_MS, 0) / won.length);
}

// ---- Time buckets -----------------------------------------------------------------------------------

/** The first UTC day of the bucket that holds `day` (weeks start on Monday). */
export function bucketStart(day: number, interval: Interval): number {
  if (interval === "day") return day;
  if (interval === "week") return day - ((day + 3) % 7); // day 0 (1970-01-01) was a Thursday
  const d = new Date(day * DAY_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / DAY_MS;
}
export const weekdayOf = (day: number) => (day + 4) % 7; // 0 = Sunday

export interface TrendPoint {
  start: string; // YYYY-MM-DD, the bucket's first day
  deals_created: number;
  won_count: number;
  won_value_minor: number;
  lost_count: number;
  emails_sent: number;
  replies: number;
  calls: number;
  meetings: number;
}
export function trend(input: BoardInput): TrendPoint[] {
  const first = bucketStart(Math.floor(input.from / DAY_MS), input.interval);
  const last = bucketStart(Math.floor(input.to / DAY_MS), input.interval);
  const points = new Map<number, TrendPoint>();
  for (let day = first; day <= last; day++) {
    const b = bucketStart(day, input.interval);
    if (!points.has(b))
      points.set(b, {
        start: new Date(b * DAY_MS).toISOString().slice(0, 10),
        deals_created: 0,
        won_count: 0,
        won_value_minor: 0,
        lost_count: 0,
        emails_sent: 0,
        replies: 0,
        calls: 0,
        meetings: 0,
      });
  }
  const at = (ms: number) => points.get(bucketStart(Math.floor(ms / DAY_MS), input.interval));
  for (const d of input.deals) {
    if (d.createdAt >= input.from && d.createdAt <= input.to) {
      const p = at(d.createdAt);
      if (p) p.deals_created++;
    }
    if (d.closedAt !== null && closedIn(d, input.from, input.to)) {
      const p = at(d.closedAt);
      if (p && d.outcome === "won") {
        p.won_count++;
        p.won_value_minor += d.amountMinor;
      } else if (p && d.outcome === "lost") p.lost_count++;
    }
  }
  const field = { email_sent: "emails_sent", email_replied: "replies", call: "calls", meeting: "meetings" } as const;
  for (const a of input.activity) {
    const f = field[a.kind as keyof typeof field];
    const p = points.get(bucketStart(a.day, input.interval));
    if (f && p) p[f] += a.n;
  }
  return [...points.values()];
}

// ---- People -------------------------------------------------------------------------------------------

export interface RepFigures {
  user_id: string | null;
  name: string;
  emails_sent: number;
  replies: number;
  calls: number;
  meetings: number;
  notes: number;
  tasks_done: number;
  meetings_per_email: number | null;
}
export function reps(input: BoardInput): RepFigures[] {
  const byUser = new Map<string | null, RepFigures>();
  const field = {
    email_sent: "emails_sent",
    email_replied: "replies",
    call: "calls",
    meeting: "meetings",
    note: "notes",
    task_done: "tasks_done",
  } as const;
  for (const a of input.activity) {
    let r = byUser.get(a.userId);
    if (!r) {
      r = {
        user_id: a.userId,
        name: a.userId ? (input.names.get(a.userId) ?? "Former member") : "Unassigned",
        emails_sent: 0,
        replies: 0,
        calls: 0,
        meetings: 0,
        notes: 0,
        tasks_done: 0,
        meetings_per_email: null,
      };
      byUser.set(a.userId, r);
    }
    r[field[a.kind]] += a.n;
  }
  const list = [...byUser.values()];
  for (const r of list) r.meetings_per_email = rate(r.meetings, r.emails_sent);
  return list.sort((a, b) => b.emails_sent + b.calls + b.meetings - (a.emails_sent + a.calls + a.meetings) || a.name.localeCompare(b.name));
}

// ---- Sequences ------------------------------------------------------------------------------------------

export interface StepFigures {
  sequence_id: string;
  sequence_name: string;
  step_id: string;
  position: number;
  sends: number;
  replies: number;
  positive_replies: number;
  meetings: number;
  reply_rate: number | null;
  positive_rate: number | null;
  meeting_rate: number | null;
}
/** Per email step: sends in the period, how many got a reply, and meetings that followed one of its emails. */
export function steps(input: BoardInput): StepFigures[] {
  const stepOfVariant = new Map<string, string>();
  const byStep = new Map<string, StepFigures>();
  for (const r of input.sequences) {
    if (r.kind !== "email") continue;
    if (input.sequenceId && r.sequenceId !== input.sequenceId) continue;
    if (r.variantId) stepOfVariant.set(r.variantId, r.stepId);
    if (!byStep.has(r.stepId))
      byStep.set(r.stepId, {
        sequence_id: r.sequenceId,
        sequence_name: r.sequenceName,
        step_id: r.stepId,
        position: r.position,
        sends: 0,
        replies: 0,
        positive_replies: 0,
        meetings: 0,
        reply_rate: null,
        positive_rate: null,
        meeting_rate: null,
      });
  }
  for (const s of input.sends) {
    const f = byStep.get(stepOfVariant.get(s.variantId) ?? "");
    if (!f) continue;
    f.sends += s.sends;
    f.replies += s.replies;
    f.positive_replies += s.positive;
  }
  for (const m of input.meetings) {
    const f = m.variantId ? byStep.get(stepOfVariant.get(m.variantId) ?? "") : undefined;
    if (f) f.meetings++;
  }
  const all = [...byStep.values()];
  for (const f of all) {
    f.reply_rate = rate(f.replies, f.sends);
    f.positive_rate = rate(f.positive_replies, f.sends);
    f.meeting_rate = rate(f.meetings, f.sends);
  }
  // A sequence with no sends in the period is left out unless it is the one asked for.
  const active = new Set(all.filter((f) => f.sends > 0).map((f) => f.sequence_id));
  return all.filter((f) => input.sequenceId || active.has(f.sequence_id));
}

export interface WeekdayFigures {
  weekday: number; // 0 = Sunday (UTC)
  sends: number;
  replies: number;
  reply_rate: number | null;
}
export function weekdays(sends: board.BoardSendCount[]): WeekdayFigures[] {
  const w = Array.from({ length: 7 }, (_, weekday) => ({ weekday, sends: 0, replies: 0, reply_rate: null as number | null }));
  for (const s of sends) {
    const d = w[weekdayOf(s.day)];
    if (!d) continue;
    d.sends += s.sends;
    d.replies += s.replies;
  }
  for (const d of w) d.reply_rate = rate(d.replies, d.sends);
  return w;
}
