import type { board } from "../sales";
import { type BoardInput, closedIn, DAY_MS, median, rate, round1 } from "./figures";

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
