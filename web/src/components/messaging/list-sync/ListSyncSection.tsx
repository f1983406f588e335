import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../../lib/api";
import { formatDateTime, formatRelative } from "../../../lib/format";
import { tkey, useWorkspace } from "../../../lib/workspace";
import { ConfirmDialog } from "../../team/ConfirmDialog";
import { Badge } from "../../ui/Badge";
import { Button } from "../../ui/Button";
import { Card } from "../../ui/Card";
import { Skeleton } from "../../ui/Skeleton";
import { toast } from "../../ui/Toast";
import { ConnectionDialog } from "./ConnectionDialog";
import { ACTIVE, PROVIDERS, type Connection, type Provider } from "./providers";
import { RunStatus, runSummary, SyncLog } from "./SyncLog";

const STATUS = {
  new: { tone: "neutral", label: "not tested" },
  ok: { tone: "success", label: "connected" },
  error: { tone: "danger", label: "error" },
} as const;
const SCHEDULE = { off: "manual only", hourly: "every hour", daily: "every day" } as const;

function Progress({ processed, total }: { processed: number; total: number }) {
  const pct = total ? Math.min(100, Math.round((processed / total) * 100)) : 0;
  return (
    <div className="mt-2">
      <div
        role="progressbar"
        aria-label="Sync progress"
        aria-valuemin={0}
        aria-valuemax={total || 100}
        aria-valuenow={total ? processed : undefined}
        className="h-2 w-full overflow-hidden rounded-full bg-subtle"
      >
        <div className="h-full rounded-full bg-accent transition-[width]" style={{ width: `${total ? pct : 8}%` }} />
      </div>
      <p className="mt-1 text-xs text-muted" aria-live="polite">
        {total ? `${processed} of ${total} subscribers checked (${pct}%)` : "Waiting to start…"}
      </p>
    </div>
  );
}

function ConnectionCard({
  listId,
  c,
  manage,
  onEdit,
  onDisconnect,
  refresh,
}: {
  listId: string;
  c: Connection;
  manage: boolean;
  onEdit: () => void;
  onDisconnect: () => void;
  refresh: () => void;
}) {
  const p = PROVIDERS[c.provider];
  const params = { id: listId, connectionId: c.id };
  const test = useMutation({
    mutationFn: () => api("POST /api/v1/email-lists/{id}/sync/connections/{connectionId}/test", { params }),
    onSuccess: (r) => {
      if (r.ok) toast.success(r.detail);
      else toast.error(r.detail);
      refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const sync = useMutation({
    mutationFn: () => api("POST /api/v1/email-lists/{id}/sync/connections/{connectionId}/sync", { params }),
    onSuccess: () => {
      toast.success(`Syncing to ${p.name}…`);
      refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const run = c.last_run;
  const busy = run ? ACTIVE.has(run.status) : false;
  const status = STATUS[c.status];
  return (
    <li className="rounded-lg border border-line p-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-0">
          <p className="flex flex-wrap items-center gap-2 font-medium">
            {p.name}
            <Badge tone={c.enabled ? status.tone : "neutral"}>{c.enabled ? status.label : "paused"}</Badge>
            {c.direction === "two_way" && <Badge tone="accent">two-way unsubscribes</Badge>}
          </p>
          <p className="mt-1 break-words text-sm text-muted">
            {c.provider === "kit"
              ? `${c.remote_target === "tag" ? "Tag" : "Form"} ${c.remote_list_id}`
              : `${p.remoteLabel} ${c.remote_list_id}`}{" "}
            · key {c.credentials_hint} · {SCHEDULE[c.schedule]}
            {c.last_sync_at ? (
              <>
                {" "}
                · last sync{" "}
                <time dateTime={c.last_sync_at} title={formatDateTime(c.last_sync_at)}>
                  {formatRelative(c.last_sync_at)}
                </time>
              </>
            ) : null}
          </p>
          {c.last_error && (
            <p className="mt-1 text-sm text-danger" role="status">
              {c.last_error}
            </p>
          )}
        </div>
        {manage && (
          <div className="flex flex-wrap gap-2">
            <Button size="sm" variant="secondary" loading={test.isPending} onClick={() => test.mutate()}>
              Test<span className="sr-only"> {p.name} connection</span>
            </Button>
            <Button size="sm" loading={sync.isPending} disabled={busy || !c.enabled} onClick={() => sync.mutate()}>
              {busy ? "Syncing…" : "Sync now"}
            </Button>
            <Button size="sm" variant="ghost" onClick={onEdit}>
              Edit<span className="sr-only"> {p.name} connection</span>
            </Button>
            <Button size="sm" variant="ghost" onClick={onDisconnect}>
              Disconnect<span className="sr-only"> {p.name}</span>
            </Button>
          </div>
        )}
      </div>
      {run && (
        <div className="mt-3 text-sm">
          <p className="flex flex-wrap items-center gap-2">
            <span className="text-muted">Last run</span> <RunStatus status={run.status} />
            <span className="text-muted">{run.error ?? (busy ? "" : runSummary(run))}</span>
          </p>
          {busy && <Progress processed={run.processed} total={run.total} />}
        </div>
      )}
      <p className="mt-2 text-xs text-muted">{p.unsubscribeNote} Pending (unconfirmed) subscribers are sent once they confirm.</p>
    </li>
  );
}

/** The "Sync" section of a list: connections to Mailchimp, SendGrid and Kit, their status and the sync log. */
export function ListSyncSection({ listId, listName }: { listId: string; listName: string }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const manage = ws.can("lists:manage");
  const [adding, setAdding] = useState<Provider | null>(null);
  const [editing, setEditing] = useState<Connection | null>(null);
  const [removing, setRemoving] = useState<Connection | null>(null);
  const conns = useQuery({
    queryKey: tkey(ws.id, "lists", listId, "sync"),
    queryFn: () => api("GET /api/v1/email-lists/{id}/sync/connections", { params: { id: listId } }),
    refetchInterval: (q) => (q.state.data?.data.some((c) => c.last_run && ACTIVE.has(c.last_run.status)) ? 1000 : false),
  });
  const refresh = () => {
    qc.invalidateQueries({ queryKey: tkey(ws.id, "lists", listId, "sync") });
    qc.invalidateQueries({ queryKey: tkey(ws.id, "lists", listId, "sync-runs") });
  };
  const del = useMutation({
    mutationFn: (c: Connection) =>
      api("DELETE /api/v1/email-lists/{id}/sync/connections/{connectionId}", { params: { id: listId, connectionId: c.id } }),
    onSuccess: () => {
      setRemoving(null);
      toast.success("Disconnected");
      refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const list = conns.data?.data ?? [];
  return (
    <Card
      title="Sync"
      description={`Keep ${listName} in step with Mailchimp, SendGrid or Kit: full syncs on a schedule or on demand, and each change as it happens.`}
      actions={
        manage && (
          <div className="flex flex-wrap gap-2">
            {(Object.keys(PROVIDERS) as Provider[]).map((id) => (
              <Button key={id} size="sm" variant="secondary" onClick={() => setAdding(id)}>
                Connect {PROVIDERS[id].name}
              </Button>
            ))}
          </div>
        )
      }
    >
      {conns.isPending ? (
        <Skeleton className="h-24 w-full" />
      ) : conns.isError ? (
        <p role="alert" className="text-sm text-danger">
          {errorMessage(conns.error)}
        </p>
      ) : list.length === 0 ? (
        <p className="rounded-lg border border-dashed border-line p-4 text-sm text-muted">
          <span className="font-medium text-fg">Not connected — nothing is sent to any provider.</span> Connect Mailchimp, SendGrid or Kit
          to copy this list's subscribers there and keep unsubscribes in step.
        </p>
      ) : (
        <ul className="space-y-3">
          {list.map((c) => (
            <ConnectionCard
              key={c.id}
              listId={listId}
              c={c}
              manage={manage}
              onEdit={() => setEditing(c)}
              onDisconnect={() => setRemoving(c)}
              refresh={refresh}
            />
          ))}
        </ul>
      )}
      {list.length > 0 && (
        <div className="mt-6">
          <SyncLog listId={listId} connections={list} />
        </div>
      )}
      {adding && (
        <ConnectionDialog
          key={`add-${adding}`}
          listId={listId}
          open
          provider={adding}
          editing={null}
          onClose={() => setAdding(null)}
          onSaved={(c) => {
            setAdding(null);
            toast.success(`${PROVIDERS[c.provider].name} connected — test it, then Sync now`);
            refresh();
          }}
        />
      )}
      {editing && (
        <ConnectionDialog
          key={`edit-${editing.id}`}
          listId={listId}
          open
          provider={editing.provider}
          editing={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            toast.success("Saved");
            refresh();
          }}
        />
      )}
      <ConfirmDialog
        open={!!removing}
        title={`Disconnect ${removing ? PROVIDERS[removing.provider].name : ""}?`}
        confirmLabel="Disconnect"
        busy={del.isPending}
        onConfirm={() => removing && del.mutate(removing)}
        onClose={() => setRemoving(null)}
      >
        Nothing more is sent to {removing ? PROVIDERS[removing.provider].name : ""}, and this connection's sync log is removed. Contacts
        already there stay there.
      </ConfirmDialog>
    </Card>
  );
}
