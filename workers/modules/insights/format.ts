import type { MetricDef } from "./metrics";

/** A metric value as people read it: money metrics are kept in minor units and shown in major ones. */
export function formatValue(m: Pick<MetricDef, "unit">, v: number): string {
  if (m.unit === "cents") return (v / 100).toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return Math.round(v * 10) / 10 === Math.round(v) ? String(Math.round(v)) : (Math.round(v * 10) / 10).toString();
}

export const unitLabel = (m: Pick<MetricDef, "unit">) => (m.unit === "cents" ? "in currency units" : m.unit);
