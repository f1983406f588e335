import type { board } from "../sales";
import type { SequenceFigureRow } from "../outreach";

/**
 * The salesboard's figures from the CRM and outreach aggregates (pure: the same inputs give the same
 * board). Amounts are minor units; rates are fractions 0–1 (null when there is nothing to divide by);
 * days are UTC day numbers (epoch ms / 86,400,000). This file: the shared input, arithmetic, time buckets
 * and the trend; deal-figures.ts has the pipeline and deal groups, activity-figures.ts people and sequences.
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
export const round1 = (x: number) => Math.round(x * 10) / 10;
export const closedIn = (d: board.BoardDeal, from: number, to: number) => d.closedAt !== null && d.closedAt >= from && d.closedAt <= to;

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
