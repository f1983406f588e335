import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../../lib/api";
import { formatDateTime } from "../../../lib/format";
import { tkey, useWorkspace } from "../../../lib/workspace";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { EmptyState } from "../../ui/EmptyState";
import { TableSkeleton } from "../../ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../../ui/Table";
import { PROVIDERS, type Connection, type Run } from "./providers";

const RUN_TONE = { succeeded: "success", partial: "warning", failed: "danger", running: "accent", queued: "neutral" } as const;
export const RunStatus = ({ status }: { status: Run["status"] }) => <Badge tone={RUN_TONE[status]}>{status}</Badge>;
const TRIGGER = { manual: "Sync now", schedule: "Schedule", change: "Change" } as const;

/** "12 created · 3 updated · 1 unsubscribed · 2 failed" (zeros left out). */
export function runSummary(r: Run): string {
  const c = r.counts;
  const parts = [
    [c.created, "created"],
    [c.updated, "updated"],
    [c.unsubscribed, "unsubscribed"],
    [c.pulled, "unsubscribed at the provider"],
    [c.failed, "failed"],
  ]
    .filter(([n]) => Number(n) > 0)
    .map(([n, label]) => `${n} ${label}`);
  if (!parts.length) return c.skipped ? `${c.skipped} already in sync` : "Nothing to send";
  return parts.join(" · ") + (c.skipped ? ` · ${c.skipped} unchanged` : "");
}

/** The sync log of a list: runs of all its connections, newest first, with the errors per contact. */
export function SyncLog({ listId, connections }: { listId: string; connections: Connection[] }) {
  const ws = useWorkspace();
  const pager = useCursor();
  const [open, setOpen] = useState<string | null>(null);
  const query = { limit: 10, cursor: pager.cursor };
  const runs = useQuery({
    queryKey: tkey(ws.id, "lists", listId, "sync-runs", query),
    queryFn: () => api("GET /api/v1/email-lists/{id}/sync/runs", { params: { id: listId }, query }),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.data.some((r) => r.status === "queued" || r.status === "running") ? 1500 : false),
  });
  const providerOf = (id: string) => {
    const c = connections.find((x) => x.id === id);
    return c ? PROVIDERS[c.provider].name : "Removed connection";
  };
  const columns: Column<Run>[] = [
    {
      key: "when",
      header: "When",
      cell: (r) => (
        <time dateTime={r.created_at} className="whitespace-nowrap">
          {formatDateTime(r.created_at)}
        </time>
      ),
    },
    { key: "provider", header: "Provider", cell: (r) => providerOf(r.connection_id) },
    { key: "trigger", header: "Trigger", hideOnMobile: true, cell: (r) => TRIGGER[r.trigger] },
    { key: "status", header: "Status", cell: (r) => <RunStatus status={r.status} /> },
    { key: "result", header: "Result", hideOnMobile: true, cell: (r) => <span className="text-muted">{r.error ?? runSummary(r)}</span> },
    {
      key: "errors",
      header: "Errors",
      cell: (r) =>
        r.errors.length ? (
          <Button size="sm" variant="ghost" aria-expanded={open === r.id} onClick={() => setOpen(open === r.id ? null : r.id)}>
            {open === r.id ? "Hide" : "Show"} {r.errors.length}
            <span className="sr-only"> errors of the run at {formatDateTime(r.created_at)}</span>
          </Button>
        ) : (
          <span className="text-muted">—</span>
        ),
    },
  ];
  const openRun = runs.data?.data.find((r) => r.id === open);
  return (
    <div>
      <h3 className="mb-2 text-sm font-semibold">Sync log</h3>
      {runs.isPending ? (
        <TableSkeleton rows={3} />
      ) : runs.isError ? (
        <p role="alert" className="text-sm text-danger">
          {errorMessage(runs.error)}
        </p>
      ) : (
        <Table
          caption="Sync runs"
          columns={columns}
          rows={runs.data.data}
          rowKey={(r) => r.id}
          empty={<EmptyState title="No syncs yet">Runs appear here: Sync now, the schedule, and changes as they happen.</EmptyState>}
        />
      )}
      {openRun && (
        <div className="mt-3 rounded-lg border border-line bg-subtle p-3">
          <p className="text-sm font-medium">
            Contacts that failed ({openRun.counts.failed}
            {openRun.counts.failed > openRun.errors.length ? `, first ${openRun.errors.length} shown` : ""})
          </p>
          <ul className="mt-2 space-y-1 text-sm">
            {openRun.errors.map((e) => (
              <li key={e.email} className="break-words">
                <span className="font-medium">{e.email}</span>
                {e.status ? <span className="text-muted"> · HTTP {e.status}</span> : null} — {e.error}
              </li>
            ))}
          </ul>
        </div>
      )}
      <Pager
        page={pager.page}
        hasPrev={pager.hasPrev}
        hasNext={Boolean(runs.data?.next_cursor)}
        onPrev={pager.prev}
        onNext={() => pager.next(runs.data?.next_cursor)}
      />
    </div>
  );
}
