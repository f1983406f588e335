import { Skeleton } from "../ui/Skeleton";
import { cx } from "../ui/cx";
import { change, fmtNumber, fmtPercent, type Overview } from "./client";

const KPIS = [
  { key: "pageviews", label: "Page views" },
  { key: "visitors", label: "Unique visitors" },
  { key: "sessions", label: "Sessions" },
  { key: "events", label: "Events" },
] as const;

/** Headline numbers with the change against the previous period of the same length. */
export function KpiCards({ data, days }: { data: Overview | undefined; days: number }) {
  return (
    <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
      {KPIS.map((k) => {
        const cur = data?.current[k.key] ?? 0;
        const prev = data?.previous[k.key] ?? 0;
        const c = change(cur, prev);
        return (
          <div key={k.key} className="rounded-xl border border-line bg-surface p-4 shadow-sm">
            <dt className="text-sm text-muted">{k.label}</dt>
            {data ? (
              <dd className="mt-1">
                <span className="text-2xl font-semibold tabular-nums">{fmtNumber(cur)}</span>
                <span
                  className={cx(
                    "mt-1 block text-xs font-medium tabular-nums",
                    c === null || c === 0 ? "text-muted" : c > 0 ? "text-success" : "text-danger",
                  )}
                >
                  {c === null ? (
                    "New this period"
                  ) : c === 0 ? (
                    <>No change vs previous {days} days</>
                  ) : (
                    <>
                      <span aria-hidden="true">{c > 0 ? "▲" : "▼"}</span>
                      <span className="sr-only">{c > 0 ? "Up" : "Down"}</span> {fmtPercent(Math.abs(c))}{" "}
                      <span className="font-normal text-muted">
                        vs previous {days} days ({fmtNumber(prev)})
                      </span>
                    </>
                  )}
                </span>
              </dd>
            ) : (
              <dd>
                <Skeleton className="mt-2 h-8 w-24" />
                <Skeleton className="mt-2 h-3 w-32" />
              </dd>
            )}
          </div>
        );
      })}
    </dl>
  );
}
