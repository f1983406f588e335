import { useNavigate, useSearch } from "@tanstack/react-router";
import { cx } from "../ui/cx";
import { RANGES, type RangeDays, rangeOf } from "./client";

/** The range in the URL (`?days=7|30|90`, default 30), shared by the analytics pages. */
export function useRange(): { days: RangeDays; from: string; to: string; setDays: (d: RangeDays) => void } {
  const { days = 30 } = useSearch({ from: "/_app/analytics" });
  const navigate = useNavigate();
  const r = rangeOf(days);
  return {
    days,
    ...r,
    setDays: (d) =>
      void navigate({ to: ".", search: (prev: Record<string, unknown>) => ({ ...prev, days: d === 30 ? undefined : d }), replace: true }),
  };
}

/** Last 7 / 30 / 90 days as a radio group of buttons (arrow keys move, like native radios). */
export function RangePicker({ className }: { className?: string }) {
  const { days, setDays } = useRange();
  return (
    <fieldset className={cx("inline-flex rounded-lg border border-line bg-surface p-0.5 shadow-sm", className)}>
      <legend className="sr-only">Date range</legend>
      {RANGES.map((d) => (
        <label
          key={d}
          className={cx(
            "cursor-pointer rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent",
            d === days ? "bg-accent-soft text-accent" : "text-muted hover:text-fg",
          )}
        >
          <input type="radio" name="analytics-range" className="sr-only" checked={d === days} onChange={() => setDays(d)} />
          <span className="max-sm:sr-only">Last </span>
          {d} days
        </label>
      ))}
    </fieldset>
  );
}
