import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { toast } from "../ui/Toast";
import { call, type Page } from "./request";
import type { ScoreModel } from "./types";

type Decision = "accept" | "reject" | "revert";
const CONFIRM: Record<Decision, { title: string; text: string; button: string }> = {
  accept: {
    title: "Use the refitted weights?",
    text: "Every lead is re-scored with the new weights. You can revert later.",
    button: "Accept",
  },
  reject: { title: "Reject this refit?", text: "The current weights stay. The proposal is kept in the history.", button: "Reject" },
  revert: {
    title: "Revert to the previous weights?",
    text: "Every lead is re-scored with the weights before this model.",
    button: "Revert",
  },
};
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const TONE = { proposed: "warning", active: "success", superseded: "neutral", rejected: "danger", reverted: "neutral" } as const;

/** Learning from won and lost deals: refit, the before/after weights and fit metrics, accept / reject / revert. */
export function ScoreModels() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const canManage = ws.can("sales:manage");
  const [confirm, setConfirm] = useState<{ model: ScoreModel; decision: Decision } | null>(null);
  const models = useQuery({
    queryKey: tkey(ws.id, "sales", "scoring", "models"),
    queryFn: () => call<Page<ScoreModel>>("GET", "/sales/scoring/models", { query: { limit: 20 } }),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "sales") });
  const refit = useMutation({
    mutationFn: () => call<ScoreModel>("POST", "/sales/scoring/refit"),
    onSuccess: () => {
      toast.success("Refit done: review the proposed weights.");
      refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const rescore = useMutation({
    mutationFn: () =>
      call<{ rescored: number; remaining: number; leads_per_s: number | null }>("POST", "/sales/scoring/rescore", { body: { all: true } }),
    onSuccess: (r) => {
      toast.success(
        `${r.rescored.toLocaleString()} leads re-scored${r.remaining ? `, ${r.remaining.toLocaleString()} to go (continues in the background)` : ""}.`,
      );
      refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const decide = useMutation({
    mutationFn: ({ model, decision }: { model: ScoreModel; decision: Decision }) =>
      call("POST", `/sales/scoring/models/${model.id}/${decision}`),
    onSuccess: (_r, v) => {
      toast.success(
        v.decision === "accept" ? "New weights in use." : v.decision === "reject" ? "Proposal rejected." : "Previous weights restored.",
      );
      setConfirm(null);
      refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const list = models.data?.data ?? [];
  return (
    <Card
      title="Learning from outcomes"
      description="A logistic regression on the traits of leads whose deals were won or lost proposes new points per trait. Nothing changes until you accept."
      actions={
        canManage && (
          <>
            <Button variant="secondary" loading={rescore.isPending} onClick={() => rescore.mutate()}>
              Re-score all
            </Button>
            <Button loading={refit.isPending} onClick={() => refit.mutate()}>
              Refit from deals
            </Button>
          </>
        )
      }
    >
      {models.isError ? (
        <p role="alert" className="text-sm text-danger">
          {errorMessage(models.error)}
        </p>
      ) : list.length === 0 ? (
        <p className="text-sm text-muted">
          {models.isPending ? "Loading…" : "No refits yet. A refit needs a few won and lost deals with leads."}
        </p>
      ) : (
        <ul className="space-y-6">
          {list.map((m) => {
            const keys = [...new Set([...Object.keys(m.previous_weights), ...Object.keys(m.weights)])].sort();
            return (
              <li key={m.id} className="rounded-lg border border-line p-4">
                <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
                  <p className="text-sm">
                    <Badge tone={TONE[m.status]}>{m.status}</Badge> <span className="text-muted">{formatDateTime(m.created_at)}</span> ·{" "}
                    {m.wins} won, {m.losses} lost
                  </p>
                  {canManage && (
                    <div className="flex gap-2">
                      {m.status === "proposed" && (
                        <>
                          <Button size="sm" variant="secondary" onClick={() => setConfirm({ model: m, decision: "reject" })}>
                            Reject
                          </Button>
                          <Button size="sm" onClick={() => setConfirm({ model: m, decision: "accept" })}>
                            Accept
                          </Button>
                        </>
                      )}
                      {m.status === "active" && (
                        <Button size="sm" variant="secondary" onClick={() => setConfirm({ model: m, decision: "revert" })}>
                          Revert
                        </Button>
                      )}
                    </div>
                  )}
                </div>
                <dl className="mb-3 grid grid-cols-2 gap-2 text-sm sm:grid-cols-4">
                  <div>
                    <dt className="text-xs text-muted">Log loss before</dt>
                    <dd className="tabular-nums">{m.metrics.log_loss_before.toFixed(3)}</dd>
                  </div>
                  <div>
                    <dt className="text-xs text-muted">Log loss after</dt>
                    <dd className="tabular-nums">{m.metrics.log_loss_after.toFixed(3)}</dd>
                  </div>
                  <div>
                    <dt className="text-xs text-muted">Accuracy before</dt>
                    <dd className="tabular-nums">{pct(m.metrics.accuracy_before)}</dd>
                  </div>
                  <div>
                    <dt className="text-xs text-muted">Accuracy after</dt>
                    <dd className="tabular-nums">{pct(m.metrics.accuracy_after)}</dd>
                  </div>
                </dl>
                <div className="overflow-x-auto">
                  <table className="w-full text-sm">
                    <caption className="sr-only">Weights before and after</caption>
                    <thead className="text-xs text-muted uppercase">
                      <tr>
                        <th scope="col" className="py-1 text-left">
                          Trait
                        </th>
                        <th scope="col" className="py-1 text-right">
                          Before
                        </th>
                        <th scope="col" className="py-1 text-right">
                          After
                        </th>
                        <th scope="col" className="py-1 text-right">
                          Change
                        </th>
                      </tr>
                    </thead>
                    <tbody className="divide-y divide-line">
                      {keys.map((k) => {
                        const a = m.previous_weights[k] ?? 0;
                        const b = m.weights[k] ?? 0;
                        return (
                          <tr key={k}>
                            <th scope="row" className="py-1 text-left font-normal">
                              {k}
                            </th>
                            <td className="py-1 text-right tabular-nums">{a}</td>
                            <td className="py-1 text-right tabular-nums">{b}</td>
                            <td className={`py-1 text-right tabular-nums ${b > a ? "text-success" : b < a ? "text-danger" : "text-muted"}`}>
                              {b - a > 0 ? `+${b - a}` : b - a}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
              </li>
            );
          })}
        </ul>
      )}
      <Dialog
        open={confirm !== null}
        onClose={() => setConfirm(null)}
        size="sm"
        title={confirm ? CONFIRM[confirm.decision].title : ""}
        description={confirm ? CONFIRM[confirm.decision].text : undefined}
        footer={
          <>
            <Button variant="secondary" onClick={() => setConfirm(null)}>
              Cancel
            </Button>
            <Button
              variant={confirm?.decision === "accept" ? "primary" : "danger"}
              loading={decide.isPending}
              onClick={() => confirm && decide.mutate(confirm)}
            >
              {confirm ? CONFIRM[confirm.decision].button : ""}
            </Button>
          </>
        }
      />
    </Card>
  );
}
