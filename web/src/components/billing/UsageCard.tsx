import type { BillingSummary } from "../../lib/api-types";
import { Card } from "../ui/Card";
import { cx } from "../ui/cx";
import { quantity } from "./format";

/** One bar per meter: used / limit, amber from 80%, red at 100%. */
export function UsageCard({ summary, overageToggle }: { summary: BillingSummary; overageToggle?: React.ReactNode }) {
  return (
    <Card title="Usage" description="This month's metered usage and running totals against your plan's limits." actions={overageToggle}>
      <ul className="grid gap-5 sm:grid-cols-2" aria-label="Usage by meter">
        {summary.usage.map((m) => {
          const pct = m.limit === null ? 0 : m.limit === 0 ? 100 : Math.min(100, Math.round((m.used / m.limit) * 100));
          const tone = m.limit === null ? "bg-accent" : pct >= 100 ? "bg-danger" : pct >= 80 ? "bg-warning" : "bg-accent";
          const id = `usage-${m.meter}`;
          return (
            <li key={m.meter} data-testid={id}>
              <div className="mb-1.5 flex items-baseline justify-between gap-2 text-sm">
                <span id={id} className="font-medium">
                  {m.label}
                </span>
                <span className="text-muted tabular-nums">
                  {quantity(m.unit, m.used)} /{" "}
                  <span data-testid={`${id}-limit`}>{m.limit === null ? "Unlimited" : quantity(m.unit, m.limit)}</span>
                </span>
              </div>
              <div
                role="progressbar"
                aria-labelledby={id}
                aria-valuemin={0}
                aria-valuemax={100}
                aria-valuenow={pct}
                aria-valuetext={
                  m.limit === null ? `${quantity(m.unit, m.used)} used, unlimited` : `${pct}% of ${quantity(m.unit, m.limit)}`
                }
                className="h-2 overflow-hidden rounded-full bg-subtle"
              >
                <div
                  className={cx("h-full rounded-full", tone)}
                  style={{ width: `${m.limit === null ? 4 : Math.max(pct, m.used > 0 ? 2 : 0)}%` }}
                />
              </div>
              <p className="mt-1 text-xs text-muted">
                {m.period === "total" ? "Running total" : `Resets monthly · ${m.period}`}
                {m.overage_enabled ? " · overage billed" : ""}
              </p>
            </li>
          );
        })}
      </ul>
    </Card>
  );
}
