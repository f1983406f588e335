import { useQuery } from "@tanstack/react-query";
import { errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call } from "../sales/request";
import { Badge } from "../ui/Badge";
import { Card } from "../ui/Card";
import type { VariantFigures } from "./types";

const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);
const HEADERS = ["Variant", "Subject", "Sent", "Replies", "Positive", "Positive rate", "Chance it is best"];

/** The bandit's arms per email step: sends, replies, positive-reply rate and the probability each variant is the best one. */
export function VariantStats({ sequenceId }: { sequenceId: string }) {
  const ws = useWorkspace();
  const figures = useQuery({
    queryKey: tkey(ws.id, "outreach", "variants", sequenceId),
    queryFn: () => call<VariantFigures>("GET", `/outreach/sequences/${sequenceId}/variants`),
  });
  const steps = (figures.data?.steps ?? []).filter((s) => s.arms.length > 0);
  return (
    <Card
      title="Variants (A/B)"
      description={`Variants compete on positive-reply rate (Thompson sampling${figures.data ? `, ${figures.data.draws.toLocaleString()} draws` : ""}): the likelier a variant is best, the more of the next sends it gets. The winner's subject and opening guide new drafts.`}
      bodyClassName="p-0"
    >
      {figures.isError ? (
        <p role="alert" className="p-4 text-sm text-danger">
          {errorMessage(figures.error)}
        </p>
      ) : steps.length === 0 ? (
        <p className="px-5 py-4 text-sm text-muted">{figures.isPending ? "Loading…" : "No email steps yet."}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Variant figures per step</caption>
            <thead className="border-b border-line text-xs text-muted uppercase">
              <tr>
                {HEADERS.map((h) => (
                  <th key={h} scope="col" className="px-4 py-2.5 font-medium whitespace-nowrap">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            {steps.map((s) => (
              <tbody key={s.step_id} className="divide-y divide-line border-b border-line">
                <tr>
                  <th scope="rowgroup" colSpan={HEADERS.length} className="bg-subtle/60 px-4 py-1.5 text-xs font-medium">
                    Step {s.position}
                  </th>
                </tr>
                {s.arms.map((a) => (
                  <tr key={a.variant_id} className={a.active ? undefined : "text-muted"}>
                    <td className="px-4 py-2 font-medium whitespace-nowrap">
                      {a.label} {a.winner && <Badge tone="success">Winner</Badge>} {!a.active && <Badge>Off</Badge>}
                    </td>
                    <td className="max-w-64 truncate px-4 py-2">{a.subject}</td>
                    <td className="px-4 py-2 tabular-nums">{a.sent}</td>
                    <td className="px-4 py-2 tabular-nums">{a.replies}</td>
                    <td className="px-4 py-2 tabular-nums">{a.positive_replies}</td>
                    <td className="px-4 py-2 tabular-nums">{pct(a.positive_rate)}</td>
                    <td className="px-4 py-2">
                      {a.probability_best === null ? (
                        "—"
                      ) : (
                        <span className="flex items-center gap-2">
                          <span className="h-2 w-24 rounded-full bg-subtle" aria-hidden="true">
                            <span
                              className="block h-2 rounded-full bg-accent"
                              style={{ width: `${Math.round(a.probability_best * 100)}%` }}
                            />
                          </span>
                          <span className="tabular-nums">{pct(a.probability_best)}</span>
                        </span>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            ))}
          </table>
        </div>
      )}
    </Card>
  );
}
