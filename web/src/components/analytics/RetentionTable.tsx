import { ScrollRegion } from "./ScrollRegion";
import { fmtNumber, fmtPercent, fmtPeriod, type RetentionResult } from "./client";

/**
 * The retention triangle: a row per cohort (its size), a column per period offset, each cell the
 * share of the cohort that came back, shaded by that share (accent mixed into the surface, so it
 * reads in light and dark themes). The count is in the cell's title and its accessible text.
 */
export function RetentionTable({ result }: { result: RetentionResult }) {
  const cohorts = result.cohorts;
  const width = Math.max(0, ...cohorts.map((c) => c.returned.length));
  const unit = result.period === "day" ? "Day" : "Week";
  // Weighted average per offset over the cohorts that have reached it.
  const offsets = Array.from({ length: width }, (_, k) => k);
  const avg = offsets.map((k) => {
    let size = 0;
    let back = 0;
    for (const c of cohorts) {
      const r = c.returned[k];
      if (r !== undefined && c.size) {
        size += c.size;
        back += r;
      }
    }
    return { k, share: size ? back / size : null };
  });
  return (
    <ScrollRegion label="Retention table" className="rounded-lg border border-line">
      <table className="w-full border-separate border-spacing-0.5 text-sm">
        <caption className="sr-only">
          Retention by {result.period}: share of each cohort that did the return event {result.period === "day" ? "days" : "weeks"} later
        </caption>
        <thead className="text-xs text-muted">
          <tr>
            <th scope="col" className="sticky left-0 bg-surface px-3 py-2 text-left font-medium whitespace-nowrap">
              Cohort
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium whitespace-nowrap">
              People
            </th>
            {offsets.map((k) => (
              <th key={k} scope="col" className="min-w-14 px-2 py-2 text-center font-medium whitespace-nowrap">
                {unit} {k}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row" className="sticky left-0 bg-surface px-3 py-1.5 text-left font-semibold whitespace-nowrap">
              Average
            </th>
            <td className="px-3 py-1.5 text-right font-semibold tabular-nums">{fmtNumber(cohorts.reduce((s, c) => s + c.size, 0))}</td>
            {avg.map(({ k, share }) => (
              <Cell key={k} share={share} title={share === null ? undefined : `${fmtPercent(share)} on average`} />
            ))}
          </tr>
          {cohorts.map((c) => (
            <tr key={c.period}>
              <th scope="row" className="sticky left-0 bg-surface px-3 py-1.5 text-left font-medium whitespace-nowrap">
                {fmtPeriod(c.period, result.period)}
              </th>
              <td className="px-3 py-1.5 text-right tabular-nums">{fmtNumber(c.size)}</td>
              {offsets.map((k) => {
                const r = c.returned[k];
                return r === undefined ? (
                  <td key={k} aria-hidden="true" />
                ) : (
                  <Cell key={k} share={c.size ? r / c.size : null} title={`${fmtNumber(r)} of ${fmtNumber(c.size)} people`} />
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}

function Cell({ share, title }: { share: number | null; title?: string }) {
  if (share === null)
    return (
      <td className="rounded px-2 py-1.5 text-center text-muted" title="No one in this cohort">
        —
      </td>
    );
  // 6%..60% accent under the theme's text colour: readable (AA) at every step in light and dark.
  const strength = Math.round(6 + share * 54);
  return (
    <td
      title={title}
      className="rounded px-2 py-1.5 text-center font-medium tabular-nums"
      style={{
        background: `color-mix(in oklab, var(--accent) ${strength}%, var(--surface))`,
      }}
    >
      {fmtPercent(share)}
      {title && <span className="sr-only"> ({title})</span>}
    </td>
  );
}
