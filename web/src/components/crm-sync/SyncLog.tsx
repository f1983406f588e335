import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call, type Page } from "../sales/request";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, useCursor } from "../ui/Table";
import { type CrmSyncRun, RUN_TONE } from "./types";

/** The connection's sync log: one row per run with its counts; a run opens to its per-record lines. */
export function SyncLog({ connectionId, live }: { connectionId: string; live: boolean }) {
  const ws = useWorkspace();
  const pager = useCursor();
  const [open, setOpen] = useState<string | null>(null);
  const runs = useQuery({
    queryKey: tkey(ws.id, "crm-sync", "runs", connectionId, pager.cursor),
    queryFn: () =>
      call<Page<CrmSyncRun>>("GET", `/sales/integrations/${connectionId}/runs`, { query: { limit: 10, cursor: pager.cursor } }),
    placeholderData: keepPreviousData,
    refetchInterval: live ? 1000 : false,
  });
  return (
    <Card
      title="Sync log"
      description="Every run with what it did; per-record errors, conflicts and unknown stages (the first 200 per run)."
      bodyClassName=""
    >
      {runs.isLoading && <TableSkeleton rows={3} />}
      {runs.data && !runs.data.data.length && <EmptyState title="No runs yet">Press Sync now, or wait for the schedule.</EmptyState>}
      {runs.data && runs.data.data.length > 0 && (
        <ul className="divide-y divide-line">
          {runs.data.data.map((r) => (
            <li key={r.id} className="px-5 py-3">
              <div className="flex flex-wrap items-center gap-x-4 gap-y-1 text-sm">
                <Badge tone={RUN_TONE[r.status]}>{r.status}</Badge>
                <span className="text-muted">
                  {formatDateTime(r.started_at ?? r.created_at)} · {r.trigger === "manual" ? "Sync now" : "scheduled"}
                </span>
                <span>
                  {r.counts.pulled} pulled · {r.counts.pushed} pushed · {r.counts.created} created · {r.counts.updated} updated ·{" "}
                  {r.counts.conflicts} conflicts · {r.counts.errors} errors
                </span>
                {r.phase && <span className="text-accent">{r.phase}…</span>}
                {r.records.length > 0 && (
                  <Button variant="ghost" size="sm" aria-expanded={open === r.id} onClick={() => setOpen(open === r.id ? null : r.id)}>
                    {open === r.id ? "Hide details" : `Details (${r.records.length})`}
                  </Button>
                )}
              </div>
              {r.error && <p className="mt-1 text-sm text-danger">{r.error}</p>}
              {open === r.id && (
                <ul className="mt-2 space-y-1 text-sm">
                  {r.records.map((rec, i) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: log lines have no id
                    <li key={i} className="flex gap-2">
                      <Badge tone={rec.kind === "error" ? "danger" : rec.kind === "conflict" ? "warning" : "neutral"}>{rec.kind}</Badge>
                      <span className="text-muted">
                        {rec.entity} {rec.remote_id ? `#${rec.remote_id}` : (rec.local_id ?? "")}
                      </span>
                      <span>{rec.message}</span>
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ul>
      )}
      <Pager
        page={pager.page}
        hasPrev={pager.hasPrev}
        hasNext={Boolean(runs.data?.next_cursor)}
        onPrev={pager.prev}
        onNext={() => pager.next(runs.data?.next_cursor)}
      />
    </Card>
  );
}
