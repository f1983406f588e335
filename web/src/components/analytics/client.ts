/** Shared types, ranges, formatters and query factories for the analytics pages. */
import { keepPreviousData, queryOptions } from "@tanstack/react-query";
import { api, type Endpoints, type Res } from "../../lib/api";
import type { FunnelDefinition, FunnelResult, PropertyFilter } from "../../lib/api-types";
import { tkey } from "../../lib/workspace";

export type { AnalyticsEvent, AnalyticsSettings, FunnelDefinition, FunnelResult, PropertyFilter, SavedFunnel } from "../../lib/api-types";
export type Overview = Res<"GET /api/v1/analytics/overview">;
export type TopDimension = Endpoints["GET /api/v1/analytics/top"]["query"]["dimension"];
export type TrendsResult = Res<"POST /api/v1/analytics/trends/query">;
export type RetentionResult = Res<"POST /api/v1/analytics/retention/query">;
export type FunnelStepResult = FunnelResult["steps"][number];
export type FilterOp = NonNullable<PropertyFilter["op"]>;

/** The range picker's choices (days, ending today inclusive, UTC). */
export const RANGES = [7, 30, 90] as const;
export type RangeDays = (typeof RANGES)[number];
const DAY_MS = 86_400_000;

export function parseDays(v: unknown): RangeDays | undefined {
  const n = Number(v);
  return (RANGES as readonly number[]).includes(n) ? (n as RangeDays) : undefined;
}

/** [from, to) as ISO strings: the last `days` UTC days, today included. */
export function rangeOf(days: number, now = Date.now()): { from: string; to: string } {
  const to = (Math.floor(now / DAY_MS) + 1) * DAY_MS;
  return { from: new Date(to - days * DAY_MS).toISOString(), to: new Date(to).toISOString() };
}

/** The enrichment columns a filter or breakdown can use; anything else is `props.<key>`. */
export const COLUMN_PROPERTIES: { value: string; label: string }[] = [
  { value: "path", label: "Page path" },
  { value: "referrer_host", label: "Referrer" },
  { value: "utm_source", label: "UTM source" },
  { value: "utm_medium", label: "UTM medium" },
  { value: "utm_campaign", label: "UTM campaign" },
  { value: "country", label: "Country" },
  { value: "device", label: "Device" },
  { value: "browser", label: "Browser" },
  { value: "os", label: "OS" },
];
export const propertyLabel = (p: string) => COLUMN_PROPERTIES.find((c) => c.value === p)?.label ?? p;
/** What the API accepts as a property: a known column or props.<key> (letters, digits, _ $ -). */
export const validProperty = (p: string) => COLUMN_PROPERTIES.some((c) => c.value === p) || /^props\.[\w$-]{1,100}$/.test(p);

export const FILTER_OPS: { value: FilterOp; label: string }[] = [
  { value: "eq", label: "equals" },
  { value: "neq", label: "does not equal" },
  { value: "contains", label: "contains" },
  { value: "not_contains", label: "does not contain" },
  { value: "gt", label: "greater than" },
  { value: "lt", label: "less than" },
  { value: "is_set", label: "is set" },
  { value: "is_not_set", label: "is not set" },
];
export const opNeedsValue = (op: FilterOp) => op !== "is_set" && op !== "is_not_set";

/** A filter row as edited (value as text); `toFilters` drops incomplete rows and types numbers for gt/lt. */
export interface FilterDraft {
  id: string;
  property: string;
  op: FilterOp;
  value: string;
}
let seq = 0;
export const draftId = () => `d${++seq}`;
export const newFilter = (): FilterDraft => ({ id: draftId(), property: "path", op: "eq", value: "" });

export function toFilters(drafts: FilterDraft[]): PropertyFilter[] {
  return drafts
    .filter((d) => validProperty(d.property) && (!opNeedsValue(d.op) || d.value !== ""))
    .map((d) => {
      if (!opNeedsValue(d.op)) return { property: d.property, op: d.op };
      const n = Number(d.value);
      const numeric = (d.op === "gt" || d.op === "lt") && d.value.trim() !== "" && Number.isFinite(n);
      return { property: d.property, op: d.op, value: numeric ? n : d.value };
    });
}
export function fromFilters(filters: PropertyFilter[] | undefined): FilterDraft[] {
  return (filters ?? []).map((f) => ({
    id: draftId(),
    property: f.property,
    op: f.op ?? "eq",
    value: f.value === undefined ? "" : String(f.value),
  }));
}

const nf = new Intl.NumberFormat();
const compact = new Intl.NumberFormat(undefined, { notation: "compact", maximumFractionDigits: 1 });
const pct = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 1 });
export const fmtNumber = (n: number) => nf.format(n);
export const fmtCompact = (n: number) => compact.format(n);
/** A ratio (0..1) as a percentage. */
export const fmtPercent = (r: number) => pct.format(r);

/** Seconds as "45 s", "2 min", "3 h", "1.5 d". */
export function fmtDuration(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return "—";
  const one = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
  if (s < 60) return `${Math.round(s)} s`;
  if (s < 3600) return `${one.format(Math.round(s / 6) / 10)} min`;
  if (s < 86_400) return `${one.format(Math.round(s / 360) / 10)} h`;
  return `${one.format(Math.round(s / 8640) / 10)} d`;
}

/** Change against the previous period: null when there was nothing before. */
export function change(current: number, previous: number): number | null {
  if (previous === 0) return current === 0 ? 0 : null;
  return (current - previous) / previous;
}

const dayFmt = new Intl.DateTimeFormat(undefined, { month: "short", day: "numeric", timeZone: "UTC" });
const monthFmt = new Intl.DateTimeFormat(undefined, { month: "short", year: "numeric", timeZone: "UTC" });
/** A period start (ISO or YYYY-MM-DD, UTC) as a short label for the interval. */
export function fmtPeriod(iso: string, interval: string = "day"): string {
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (interval === "month") return monthFmt.format(d);
  return interval === "week" ? `Wk of ${dayFmt.format(d)}` : dayFmt.format(d);
}

/** Chart series colours: theme accent first, then hues readable on light and dark surfaces. */
export const SERIES_COLORS = [
  "var(--accent)",
  "#f59e0b",
  "#10b981",
  "#ef4444",
  "#8b5cf6",
  "#06b6d4",
  "#ec4899",
  "#84cc16",
  "#f97316",
  "#64748b",
];

/** Tooltip styling shared by the charts (theme variables, so it follows light/dark). */
export const tooltipStyle = {
  background: "var(--surface)",
  border: "1px solid var(--line)",
  borderRadius: 8,
  color: "var(--fg)",
  fontSize: 12,
} as const;

/** Query factories; keys start ["t", tenantId, "analytics"] so a workspace switch drops them. */
export const aq = {
  overview: (t: string, r: { from: string; to: string }) =>
    queryOptions({
      queryKey: tkey(t, "analytics", "overview", r),
      queryFn: () => api("GET /api/v1/analytics/overview", { query: r }),
      placeholderData: keepPreviousData,
    }),
  top: (t: string, r: { from: string; to: string }, dimension: TopDimension) =>
    queryOptions({
      queryKey: tkey(t, "analytics", "top", dimension, r),
      queryFn: () => api("GET /api/v1/analytics/top", { query: { ...r, dimension, limit: 10 } }),
      placeholderData: keepPreviousData,
    }),
  eventNames: (t: string) =>
    queryOptions({
      queryKey: tkey(t, "analytics", "event-names"),
      queryFn: () => api("GET /api/v1/analytics/event-names"),
      staleTime: 60_000,
    }),
  settings: (t: string) =>
    queryOptions({ queryKey: tkey(t, "analytics", "settings"), queryFn: () => api("GET /api/v1/analytics/settings") }),
  funnels: (t: string) =>
    queryOptions({
      queryKey: tkey(t, "analytics", "funnels"),
      queryFn: () => api("GET /api/v1/analytics/funnels", { query: { limit: 100 } }),
    }),
  templates: (t: string) =>
    queryOptions({
      queryKey: tkey(t, "analytics", "funnel-templates"),
      queryFn: () => api("GET /api/v1/analytics/funnel-templates"),
      staleTime: Number.POSITIVE_INFINITY,
    }),
};

/** A definition with defaults filled in (the API's defaults). */
export const normalizeDefinition = (d: FunnelDefinition): Required<Omit<FunnelDefinition, "breakdown">> & { breakdown?: string } => ({
  steps: d.steps,
  window_seconds: d.window_seconds ?? 14 * 86_400,
  order: d.order ?? "sequential",
  breakdown: d.breakdown,
});
