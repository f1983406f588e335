/** A trend series' label: its breakdown value, "(none)" for a missing one, or "All" without a breakdown. Kept
 * out of TrendsChart.tsx so the page can use it without pulling the lazily loaded chart (recharts) in. */
export const seriesName = (v: string | null, breakdown: boolean) => (breakdown ? (v ?? "(none)") : "All");
