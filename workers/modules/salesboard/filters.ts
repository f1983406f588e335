import { z } from "@hono/zod-openapi";
import { DAY_MS, type Interval } from "./figures";

/**
 * The board's filters: a period (a relative one, or from/to days, UTC), an owner, a source, a
 * sequence and the trend's bucket size. A relative period is cached under its name ("last 56 days"),
 * so the cache key does not change every millisecond while the window slides.
 */
const dateOnly = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use YYYY-MM-DD")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "Not a calendar date");
export const PERIODS = ["7d", "30d", "56d", "90d", "365d"] as const;
export const MAX_RANGE_DAYS = 731;

export const boardQuery = z
  .object({
    period: z
      .enum(PERIODS)
      .optional()
      .openapi({ description: "A window ending now (default 56d, eight weeks); ignored when from/to are given" }),
    from: dateOnly.optional().openapi({ description: "First day (UTC), YYYY-MM-DD" }),
    to: dateOnly.optional().openapi({ description: "Last day (UTC, inclusive), YYYY-MM-DD; default today" }),
    owner: z.string().min(1).max(64).optional().openapi({ description: "A member's user id: their leads and deals, their activity" }),
    source: z.string().min(1).max(100).optional().openapi({ description: "Leads' and deals' source (e.g. import, referral)" }),
    sequence: z.string().min(1).max(64).optional().openapi({ description: "A sequence id: its enrolled leads, their deals, its steps" }),
    interval: z
      .enum(["day", "week", "month"])
      .optional()
      .openapi({ description: "Trend buckets (default: day up to 31 days, week up to 180, else month)" }),
    fresh: z.enum(["1", "true", "0", "false"]).optional().openapi({ description: "1: recompute now instead of serving the cached board" }),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: "custom", path: ["to"], message: "`to` is before `from`" });
    if (q.from && q.to && (Date.parse(q.to) - Date.parse(q.from)) / DAY_MS > MAX_RANGE_DAYS)
      ctx.addIssue({ code: "custom", path: ["from"], message: `At most ${MAX_RANGE_DAYS} days` });
  });
export type BoardQuery = z.infer<typeof boardQuery>;

export interface BoardFilters {
  from: number;
  to: number;
  owner?: string;
  source?: string;
  sequence?: string;
  interval: Interval;
  /** The period as asked ("56d" or "2026-10-01..2026-11-30"): part of the cache key. */
  period: string;
  intervalAsked?: Interval;
}

export function resolveFilters(q: BoardQuery, now: number): BoardFilters {
  let from: number;
  let to: number;
  let period: string;
  if (q.from || q.to) {
    to = q.to ? Date.parse(`${q.to}T00:00:00Z`) + DAY_MS - 1 : now;
    from = q.from ? Date.parse(`${q.from}T00:00:00Z`) : to - 56 * DAY_MS + 1;
    if (to - from > MAX_RANGE_DAYS * DAY_MS) from = to - MAX_RANGE_DAYS * DAY_MS;
    period = `${q.from ?? ""}..${q.to ?? ""}`;
  } else {
    period = q.period ?? "56d";
    to = now;
    from = now - Number.parseInt(period, 10) * DAY_MS;
  }
  const days = (to - from) / DAY_MS;
  const interval = q.interval ?? (days <= 31 ? "day" : days <= 180 ? "week" : "month");
  return { from, to, owner: q.owner, source: q.source, sequence: q.sequence, interval, period, intervalAsked: q.interval };
}

/** The cache key: everything that changes the answer, in a fixed order. */
export const cacheKey = (f: BoardFilters) =>
  JSON.stringify([f.period, f.owner ?? null, f.source ?? null, f.sequence ?? null, f.intervalAsked ?? null]);
