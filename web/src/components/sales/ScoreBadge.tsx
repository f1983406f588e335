import { cx } from "../ui/cx";
import type { ScoreLine } from "./types";

/** The colour band of a 0–100 score: cold < 40 ≤ warm < 70 ≤ hot. */
export function scoreBand(score: number | null | undefined): { label: string; className: string } {
  if (score === null || score === undefined) return { label: "Not scored", className: "bg-subtle text-muted" };
  if (score >= 70) return { label: "Hot", className: "bg-success-soft text-success" };
  if (score >= 40) return { label: "Warm", className: "bg-warning-soft text-warning" };
  return { label: "Cold", className: "bg-subtle text-muted" };
}

/** A score with its band (the band is also written out, not colour alone). */
export function ScoreBadge({ score, className }: { score: number | null | undefined; className?: string }) {
  const band = scoreBand(score);
  return (
    <span
      className={cx(
        "inline-flex min-w-14 items-center justify-center gap-1 rounded-full px-2 py-0.5 text-xs font-semibold tabular-nums",
        band.className,
        className,
      )}
      title={band.label}
    >
      {score ?? "—"}
      <span className="sr-only"> ({band.label})</span>
    </span>
  );
}

/** The explanation lines of a score: each trait with the points it added or removed, and their sum. */
export function ScoreExplanation({ lines, score }: { lines: ScoreLine[] | null | undefined; score: number | null | undefined }) {
  if (!lines || lines.length === 0)
    return <p className="text-sm text-muted">No explanation yet: the lead is scored after the ICP is saved.</p>;
  const sum = lines.reduce((s, l) => s + l.points, 0);
  return (
    <div>
      <ul className="divide-y divide-line text-sm">
        {lines.map((l) => (
          <li key={l.trait} className="flex items-center justify-between gap-3 py-1.5">
            <span className="min-w-0 truncate">{l.label}</span>
            <span
              className={cx(
                "shrink-0 font-medium tabular-nums",
                l.points > 0 ? "text-success" : l.points < 0 ? "text-danger" : "text-muted",
              )}
            >
              {l.points > 0 ? `+${l.points}` : l.points}
            </span>
          </li>
        ))}
      </ul>
      <p className="mt-2 flex justify-between border-t border-line pt-2 text-sm font-medium">
        <span>Total{sum !== score ? ` (${sum}, kept within 0–100)` : ""}</span>
        <span className="tabular-nums">{score ?? "—"}</span>
      </p>
    </div>
  );
}
