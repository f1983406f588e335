import { useQuery } from "@tanstack/react-query";
import { errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call } from "../sales/request";
import { Card } from "../ui/Card";
import type { VariantArm } from "./types";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** The bandit's arms per email step: sends, replies, positive replies, the positive-reply rate and the share of sends it now gets. */
export function VariantStats({ sequenceId }: { sequenceId: string }) {
  const ws = useWorkspace();
  const arms = useQuery({
    queryKey: tkey(ws.id, "outreach", "variants", sequenceId),
    queryFn: () => call<{ data: VariantArm[] }>("GET", `/outreach/sequences/${sequenceId}/variants`),
  });
  const rows = arms.data?.data ?? [];
  return (
    <Card
      title="Variants (A/B)"
      description="Variants compete on positive-reply rate (Thompson sampling): a variant that does better gets more of the next sends."
      bodyClassName="p-0"
    >
      {arms.isError ? (
        <p role="alert" className="p-4 text-sm text-danger">
          {errorMessage(arms.error)}
        </p>
      ) : rows.length === 0 ? (
        <p className="px-5 py-4 text-sm text-muted">{arms.isPending ? "Loading…" : "No sends yet."}</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Variant figures</caption>
            <thead className="border-b border-line text-xs text-muted uppercase">
              <tr>
                {["Step", "Variant", "Sent", "Replies", "Positive", "Rate", "Share of sends"].map((h) => (
                  <th key={h} scope="col" className="px-4 py-2.5 font-medium">
                    {h}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="divide-y divide-line">
              {rows.map((a) => {
                const rate = a.rate ?? (a.sent ? a.positive_replies / a.sent : 0);
                return (
                  <tr key={a.variant_id}>
                    <td className="px-4 py-2 tabular-nums">{a.step_position ?? "—"}</td>
                    <td className="px-4 py-2 font-medium">{a.label}</td>
                    <td className="px-4 py-2 tabular-nums">{a.sent}</td>
                    <td className="px-4 py-2 tabular-nums">{a.replies}</td>
                    <td className="px-4 py-2 tabular-nums">{a.positive_replies}</td>
                    <td className="px-4 py-2 tabular-nums">{pct(rate)}</td>
                    <td className="px-4 py-2">
                      {a.share === undefined ? (
                        "—"
                      ) : (
                        <span className="flex items-center gap-2">
                          <span className="h-2 w-24 rounded-full bg-subtle" aria-hidden="true">
                            <span className="block h-2 rounded-full bg-accent" style={{ width: `${Math.round(a.share * 100)}%` }} />
                          </span>
                          <span className="tabular-nums">{pct(a.share)}</span>
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </Card>
  );
}
