import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type DragEvent } from "react";
import { errorMessage } from "../../lib/api";
import { ScrollRegion } from "../analytics/ScrollRegion";
import { formatDate } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { cx } from "../ui/cx";
import { EmptyState } from "../ui/EmptyState";
import { Menu } from "../ui/Menu";
import { PageSkeleton } from "../ui/Skeleton";
import { Table } from "../ui/Table";
import { toast } from "../ui/Toast";
import { DealDialog } from "./DealDialog";
import { PipelineIcon } from "./icons";
import { call, type Page } from "./request";
import { type BoardColumn, type Deal, money } from "./types";

const total = (deals: Deal[]) => {
  const cur = deals[0]?.currency ?? "USD";
  return money(
    deals.reduce((s, d) => s + (d.currency === cur ? d.amount_minor : 0), 0),
    cur,
  );
};

/** Deals by stage: a board (drag a card, or "Move to…" from the keyboard) or a list; column totals. */
export function PipelinePage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [view, setView] = useState<"board" | "list">("board");
  const [creating, setCreating] = useState(false);
  const [over, setOver] = useState<string | null>(null);
  // The board in one request: every stage with its deals in column order, count and total.
  const boardKey = tkey(ws.id, "sales", "deals", "board");
  const board = useQuery({
    queryKey: boardKey,
    queryFn: () => call<Page<BoardColumn>>("GET", "/sales/stages", { query: { deals: "true" } }),
  });
  const move = useMutation({
    mutationFn: ({ deal, stageId }: { deal: Deal; stageId: string }) =>
      call<Deal>("POST", `/sales/deals/${deal.id}/move`, { body: { stage_id: stageId } }),
    // Optimistic: the card moves at once and comes back if the server refuses.
    onMutate: async ({ deal, stageId }) => {
      await qc.cancelQueries({ queryKey: boardKey });
      const before = qc.getQueryData<Page<BoardColumn>>(boardKey);
      if (before)
        qc.setQueryData(boardKey, {
          ...before,
          data: before.data.map((col) => ({
            ...col,
            deals:
              col.id === stageId
                ? [...col.deals.filter((d) => d.id !== deal.id), { ...deal, stage_id: stageId }]
                : col.deals.filter((d) => d.id !== deal.id),
          })),
        });
      return { before };
    },
    onError: (e, _v, ctx) => {
      if (ctx?.before) qc.setQueryData(boardKey, ctx.before);
      toast.error(errorMessage(e));
    },
    onSuccess: (_d, { deal, stageId }) => {
      const name = board.data?.data.find((s) => s.id === stageId)?.name ?? "the stage";
      toast.success(`“${deal.name}” moved to ${name}.`);
    },
    onSettled: () => qc.invalidateQueries({ queryKey: tkey(ws.id, "sales", "deals") }),
  });
  if (board.isPending) return <PageSkeleton />;
  if (board.isError)
    return (
      <p role="alert" className="text-sm text-danger">
        {errorMessage(board.error)}
      </p>
    );
  const cols = [...board.data.data].sort((a, b) => a.position - b.position);
  const all = cols.flatMap((c) => c.deals);
  const stageName = (id: string) => cols.find((s) => s.id === id)?.name ?? "—";
  const canWrite = ws.can("sales:write");
  const drop = (e: DragEvent, stageId: string) => {
    e.preventDefault();
    setOver(null);
    const deal = all.find((d) => d.id === e.dataTransfer.getData("text/x-deal"));
    if (deal && deal.stage_id !== stageId) move.mutate({ deal, stageId });
  };
  return (
    <>
      <PageHeader
        title="Pipeline"
        description="Open deals by stage. Drag a card to another stage, or use its “Move to…” menu."
        actions={
          <>
            <fieldset className="inline-flex rounded-lg border border-line bg-surface p-0.5">
              <legend className="sr-only">View</legend>
              {(["board", "list"] as const).map((v) => (
                <button
                  key={v}
                  type="button"
                  aria-pressed={view === v}
                  onClick={() => setView(v)}
                  className={cx(
                    "rounded-md px-3 py-1.5 text-sm font-medium capitalize",
                    view === v ? "bg-accent-soft text-accent" : "text-muted hover:text-fg",
                  )}
                >
                  {v}
                </button>
              ))}
            </fieldset>
            {canWrite && cols.length > 0 && <Button onClick={() => setCreating(true)}>New deal</Button>}
          </>
        }
      />
      {cols.length === 0 ? (
        <EmptyState icon={<PipelineIcon />} title="No stages yet">
          An admin sets up the pipeline's stages (for example Qualified, Demo, Proposal, Won, Lost).
        </EmptyState>
      ) : view === "list" ? (
        <section className="rounded-xl border border-line bg-surface shadow-sm">
          <Table
            caption="Deals"
            rows={all}
            rowKey={(d) => d.id}
            empty={<EmptyState title="No deals yet">Create one, or win one from a lead's page.</EmptyState>}
            columns={[
              { key: "name", header: "Deal", sort: (d) => d.name, cell: (d) => <span className="font-medium">{d.name}</span> },
              { key: "stage", header: "Stage", sort: (d) => stageName(d.stage_id), cell: (d) => stageName(d.stage_id) },
              {
                key: "amount",
                header: "Amount",
                className: "text-right tabular-nums",
                sort: (d) => d.amount_minor,
                cell: (d) => money(d.amount_minor, d.currency),
              },
              { key: "close", header: "Expected close", hideOnMobile: true, cell: (d) => formatDate(d.expected_close_at) },
              {
                key: "outcome",
                header: "Outcome",
                hideOnMobile: true,
                cell: (d) => (
                  <Badge tone={d.outcome === "won" ? "success" : d.outcome === "lost" ? "danger" : "neutral"}>{d.outcome}</Badge>
                ),
              },
            ]}
          />
        </section>
      ) : (
        <ScrollRegion label="Pipeline board" className="flex gap-4 pb-4">
          {cols.map((s) => {
            const inStage = s.deals;
            return (
              <section
                key={s.id}
                aria-label={`${s.name}: ${inStage.length} deals, ${total(inStage)}`}
                onDragOver={(e) => {
                  if (!canWrite) return;
                  e.preventDefault();
                  setOver(s.id);
                }}
                onDragLeave={() => setOver((o) => (o === s.id ? null : o))}
                onDrop={(e) => drop(e, s.id)}
                className={cx(
                  "flex w-72 shrink-0 flex-col rounded-xl border bg-subtle/60 p-3",
                  over === s.id ? "border-accent" : "border-line",
                )}
              >
                <header className="mb-3">
                  <h2 className="flex items-center justify-between text-sm font-semibold">
                    {s.name} <span className="text-xs font-normal text-muted">{s.probability}%</span>
                  </h2>
                  <p className="text-xs text-muted">
                    {inStage.length} deal{inStage.length === 1 ? "" : "s"} · {total(inStage)}
                  </p>
                </header>
                <ul className="flex min-h-24 flex-col gap-2">
                  {inStage.map((d) => (
                    <li
                      key={d.id}
                      draggable={canWrite}
                      onDragStart={(e) => {
                        e.dataTransfer.setData("text/x-deal", d.id);
                        e.dataTransfer.effectAllowed = "move";
                      }}
                      className="rounded-lg border border-line bg-surface p-3 shadow-sm"
                    >
                      <div className="flex items-start justify-between gap-2">
                        <p className="min-w-0 text-sm font-medium break-words">{d.name}</p>
                        {canWrite && (
                          <Menu
                            label={`Move ${d.name}`}
                            buttonLabel={`Move “${d.name}” to…`}
                            buttonClassName="rounded px-1.5 text-xs text-muted hover:bg-subtle hover:text-fg"
                            button="Move to…"
                            items={cols
                              .filter((c) => c.id !== d.stage_id)
                              .map((c) => ({ label: c.name, onSelect: () => move.mutate({ deal: d, stageId: c.id }) }))}
                          />
                        )}
                      </div>
                      <p className="mt-1 text-sm tabular-nums">{money(d.amount_minor, d.currency)}</p>
                      {d.expected_close_at && <p className="text-xs text-muted">Close {formatDate(d.expected_close_at)}</p>}
                    </li>
                  ))}
                </ul>
              </section>
            );
          })}
        </ScrollRegion>
      )}
      <DealDialog open={creating} onClose={() => setCreating(false)} stages={cols} />
    </>
  );
}
