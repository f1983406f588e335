/** UTC calendar days as `YYYY-MM-DD` (the snapshots' grain). */
export const DAY_MS = 86_400_000;
export const dayKey = (ms: number) => new Date(ms).toISOString().slice(0, 10);
export const dayStart = (key: string) => Date.parse(`${key}T00:00:00Z`);
export const addDays = (key: string, n: number) => dayKey(dayStart(key) + n * DAY_MS);
/** The days from `first` to `last` inclusive, oldest first. */
export function daysBetween(first: string, last: string): string[] {
  const out: string[] = [];
  for (let d = first; d <= last; d = addDays(d, 1)) out.push(d);
  return out;
}
