import { ScrollRegion } from "./ScrollRegion";
import { fmtDuration, fmtNumber, fmtPercent, type FunnelResult, type FunnelStepResult, propertyLabel } from "./client";

const stepName = (s: FunnelStepResult) => s.label || s.event;

/** People per step as horizontal bars, with conversion from the start and the previous step. */
export function FunnelBars({ steps }: { steps: FunnelStepResult[] }) {
  const first = steps[0]?.count ?? 0;
  const last = steps[steps.length - 1];
  return (
    <div className="space-y-1">
      <p className="text-sm text-muted">
        {fmtNumber(first)} {first === 1 ? "person" : "people"} entered; {fmtNumber(last?.count ?? 0)} converted (
        <strong className="font-semibold text-fg">{fmtPercent(last?.conversion_from_start ?? 0)}</strong>)
        {last?.median_seconds_from_start != null && <>, median {fmtDuration(last.median_seconds_from_start)} from the first step</>}.
      </p>
      <ol className="mt-4 space-y-4">
        {steps.map((s, i) => {
          const w = first ? (s.count / first) * 100 : 0;
          return (
            <li key={s.step}>
              <div className="flex flex-wrap items-baseline justify-between gap-x-4 gap-y-1 text-sm">
                <span className="min-w-0 font-medium">
                  <span className="mr-2 text-muted tabular-nums">{i + 1}.</span>
                  {stepName(s)}
                  {s.label && s.label !== s.event && <code className="ml-2 text-xs text-muted">{s.event}</code>}
                </span>
                <span className="tabular-nums">
                  <strong className="font-semibold">{fmtNumber(s.count)}</strong>{" "}
                  <span className="text-muted">({fmtPercent(s.conversion_from_start)})</span>
                </span>
              </div>
              <div className="mt-1.5 h-7 w-full overflow-hidden rounded-md bg-subtle" aria-hidden="true">
                <div className="h-full rounded-md bg-accent" style={{ width: `${Math.max(w, s.count ? 0.5 : 0)}%` }} />
              </div>
              {i > 0 && (
                <p className="mt-1 flex flex-wrap gap-x-4 gap-y-0.5 text-xs text-muted">
                  <span>{fmtPercent(s.conversion_from_previous)} from the previous step</span>
                  <span className={s.dropped ? "text-danger" : undefined}>{fmtNumber(s.dropped)} dropped</span>
                  <span>median time {fmtDuration(s.median_seconds_from_previous)}</span>
                </p>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}

/** Breakdown values × steps: people and conversion from the start. */
export function FunnelBreakdownTable({ result, breakdown }: { result: FunnelResult; breakdown: string }) {
  const rows = result.breakdown ?? [];
  const steps = result.steps;
  return (
    <ScrollRegion label="Funnel breakdown table" className="rounded-lg border border-line">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Funnel by {propertyLabel(breakdown)}</caption>
        <thead className="border-b border-line text-xs font-medium text-muted">
          <tr>
            <th scope="col" className="sticky left-0 bg-surface px-3 py-2 font-medium">
              {propertyLabel(breakdown)}
            </th>
            {steps.map((s, i) => (
              <th key={s.step} scope="col" className="px-3 py-2 text-right font-medium whitespace-nowrap">
                {i + 1}. {stepName(s)}
              </th>
            ))}
            <th scope="col" className="px-3 py-2 text-right font-medium whitespace-nowrap">
              Conversion
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {rows.map((r) => {
            const last = r.steps[r.steps.length - 1];
            return (
              <tr key={r.value ?? "(none)"}>
                <th scope="row" className="sticky left-0 max-w-56 truncate bg-surface px-3 py-2 font-medium" title={r.value ?? undefined}>
                  {r.value ?? <span className="text-muted">(none)</span>}
                </th>
                {r.steps.map((s, i) => (
                  <td key={s.step} className="px-3 py-2 text-right tabular-nums whitespace-nowrap">
                    {fmtNumber(s.count)}
                    {i > 0 && <span className="ml-1 text-xs text-muted">({fmtPercent(s.conversion_from_start)})</span>}
                  </td>
                ))}
                <td className="px-3 py-2 text-right font-medium tabular-nums">{fmtPercent(last?.conversion_from_start ?? 0)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
