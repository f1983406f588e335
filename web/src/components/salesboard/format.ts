/** Formatting for the salesboard (amounts in minor units, rates 0–1 or null). */
import type { Salesboard, SalesboardInsight } from "../../lib/api-types";

export type Board = Salesboard;
export type Insight = SalesboardInsight;
export type Rep = Board["reps"][number];
export type Step = Board["steps"][number];

export const PERIODS = [
  { value: "7d", label: "Last 7 days" },
  { value: "30d", label: "Last 30 days" },
  { value: "56d", label: "Last 8 weeks" },
  { value: "90d", label: "Last 90 days" },
  { value: "365d", label: "Last 12 months" },
] as const;
export type Period = (typeof PERIODS)[number]["value"];

export function money(minor: number, currency: string): string {
  try {
    return new Intl.NumberFormat(undefined, { style: "currency", currency, maximumFractionDigits: 0 }).format(minor / 100);
  } catch {
    return `${(minor / 100).toFixed(0)} ${currency}`;
  }
}
export const pct = (x: number | null | undefined, digits = 1) => (x === null || x === undefined ? "–" : `${(x * 100).toFixed(digits)} %`);
export const num = (n: number) => n.toLocaleString();

/** "just now", "2 min ago", "3 h ago" (the board is cached for minutes, so that is the scale that matters). */
export function ago(iso: string, now = Date.now()): string {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 45) return "just now";
  const m = Math.round(s / 60);
  if (m < 60) return `${m} min ago`;
  const h = Math.round(m / 60);
  return h < 48 ? `${h} h ago` : `${Math.round(h / 24)} days ago`;
}

export const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
export const SEVERITY_TONE: Record<Insight["severity"], "neutral" | "warning" | "danger"> = {
  info: "neutral",
  warning: "warning",
  critical: "danger",
};

/** One number of an insight, as the text shows it: "9.1 % (22/241)", "19 days", "2.0×". */
export function insightValue(n: Insight["numbers"][number]): string {
  if (n.value === null) return "–";
  if (n.unit === "percent") return `${pct(n.value)}${n.denominator !== undefined ? ` (${n.numerator ?? 0}/${n.denominator})` : ""}`;
  if (n.unit === "days") return `${n.value} days${n.denominator !== undefined ? ` (${n.denominator} deals)` : ""}`;
  if (n.unit === "ratio") return `${n.value.toFixed(1)}×`;
  return num(n.value);
}
