import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage, type Res } from "../../../lib/api";
import { formatRelative } from "../../../lib/format";
import { tkey, useWorkspace } from "../../../lib/workspace";
import { PlusIcon } from "../../icons";
import { ConfirmDialog } from "../../team/ConfirmDialog";
import { Button } from "../../ui/Button";
import { EmptyState } from "../../ui/EmptyState";
import { TableSkeleton } from "../../ui/Skeleton";
import { toast } from "../../ui/Toast";
import { type Destination, DestinationBadge, describeEvents, describeTarget, PROVIDERS } from "./common";
import { DeliveryLog } from "./DeliveryLog";
import { DestinationDialog } from "./DestinationDialog";

type TestResult = Res<"POST /api/v1/analytics/destinations/{id}/test">;

function TestOutcome({ result }: { result: TestResult }) {
  return (
    <div
      role="status"
      className={`mt-3 rounded-lg border p-3 text-sm ${result.ok ? "border-success/40 bg-success-soft" : "border-danger/40 bg-danger-soft"}`}
    >
      <p className={result.ok ? "text-success" : "text-danger"}>
        <span className="font-medium">{result.ok ? "Connection works." : "Connection failed."}</span> {result.message}
      </p>
      {result.validation_messages.length > 0 && (
        <ul className="mt-1 list-disc pl-5 text-xs text-fg">
          {result.validation_messages.map((m) => (
            <li key={`${m.field}:${m.message}`}>
              {m.field && <code>{m.field}</code>} {m.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function DestinationRow({ d, manage, onEdit, onDelete }: { d: Destination; manage: boolean; onEdit: () => void; onDelete: () => void }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [open, setOpen] = useState(false);
  const [result, setResult] = useState<TestResult | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "analytics", "destinations") });
  const test = useMutation({
    mutationFn: () => api("POST /api/v1/analytics/destinations/{id}/test", { params: { id: d.id } }),
    onSuccess: setResult,
    onError: (e) => toast.error(errorMessage(e)),
  });
  const toggle = useMutation({
    mutationFn: () => api("PATCH /api/v1/analytics/destinations/{id}", { params: { id: d.id }, body: { enabled: !d.enabled } }),
    onSuccess: (next) => {
      toast.success(next.enabled ? `${d.name} enabled.` : `${d.name} disabled; nothing is sent to it.`);
      refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  return (
    <li className="p-4">
      <div className="flex flex-wrap items-start gap-3">
        <div className="min-w-0 flex-1">
          <p className="flex flex-wrap items-center gap-2">
            <span className="font-medium">{d.name}</span>
            <span className="text-xs text-muted">{PROVIDERS[d.provider].label}</span>
            <DestinationBadge status={d.status} />
          </p>
          <p className="mt-0.5 break-words text-xs text-muted">
            {describeTarget(d)} · {describeEvents(d.event_names)}
            {d.credential_hint ? (
              <>
                {" · "}
                <span className="whitespace-nowrap">secret {d.credential_hint}</span>
              </>
            ) : null}
          </p>
          <p className="mt-0.5 text-xs text-muted">
            Today: {d.sent_today.toLocaleString()} sent
            {d.failed_today ? <span className="text-danger"> · {d.failed_today.toLocaleString()} failed</span> : null}
            {d.last_success_at ? ` · last delivered ${formatRelative(d.last_success_at)}` : ""}
            {d.last_failure_at ? ` · last failure ${formatRelative(d.last_failure_at)}` : ""}
          </p>
          {d.last_error && d.status === "failing" && <p className="mt-1 break-words text-xs text-danger">{d.last_error}</p>}
        </div>
        <div className="flex flex-wrap gap-1.5">
          <Button size="sm" variant="secondary" aria-expanded={open} onClick={() => setOpen(!open)}>
            Delivery log
          </Button>
          {manage && (
            <>
              <Button size="sm" variant="secondary" loading={test.isPending} onClick={() => test.mutate()}>
                Test connection
              </Button>
              <Button size="sm" variant="secondary" onClick={onEdit}>
                Edit
              </Button>
              <Button size="sm" variant="secondary" loading={toggle.isPending} onClick={() => toggle.mutate()}>
                {d.enabled ? "Disable" : "Enable"}
              </Button>
              <Button size="sm" variant="danger" onClick={onDelete}>
                Delete
              </Button>
            </>
          )}
        </div>
      </div>
      {result && <TestOutcome result={result} />}
      {open && (
        <div className="mt-3 rounded-lg border border-line p-3">
          <DeliveryLog destination={d} />
        </div>
      )}
    </li>
  );
}

/** Analytics → Destinations: where events are forwarded, their status, test, edit, delivery log. */
export function DestinationsPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const manage = ws.can("analytics:manage");
  const [dialog, setDialog] = useState<{ editing: Destination | null } | null>(null);
  const [deleting, setDeleting] = useState<Destination | null>(null);
  const list = useQuery({
    queryKey: tkey(ws.id, "analytics", "destinations"),
    queryFn: () => api("GET /api/v1/analytics/destinations"),
    refetchInterval: 15_000,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "analytics", "destinations") });
  const remove = useMutation({
    mutationFn: (id: string) => api("DELETE /api/v1/analytics/destinations/{id}", { params: { id } }),
    onSuccess: () => {
      setDeleting(null);
      toast.success("Destination deleted.");
      refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const count = list.data?.data.length ?? 0;
  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <p className="max-w-2xl text-sm text-muted">
          Forward new events to Mixpanel, Google Analytics 4 or your own webhook as they arrive. Weft keeps every event either way;{" "}
          {count === 0 ? (
            <strong className="font-medium text-fg">no destination is set up, so nothing leaves Weft.</strong>
          ) : (
            "failed batches are retried with backoff, and each destination keeps a delivery log."
          )}
        </p>
        {manage && (
          <Button onClick={() => setDialog({ editing: null })}>
            <PlusIcon /> Add destination
          </Button>
        )}
      </div>
      <section aria-label="Destinations" className="rounded-xl border border-line bg-surface shadow-sm">
        {list.isPending ? (
          <TableSkeleton rows={3} />
        ) : list.isError ? (
          <p role="alert" className="p-4 text-sm text-danger">
            {errorMessage(list.error)}
          </p>
        ) : count === 0 ? (
          <EmptyState
            title="No destinations"
            action={manage ? <Button onClick={() => setDialog({ editing: null })}>Add destination</Button> : undefined}
          >
            Events stay in Weft only. Add Mixpanel, GA4 or a signed webhook to send new events there too.
          </EmptyState>
        ) : (
          <ul className="divide-y divide-line">
            {list.data.data.map((d) => (
              <DestinationRow key={d.id} d={d} manage={manage} onEdit={() => setDialog({ editing: d })} onDelete={() => setDeleting(d)} />
            ))}
          </ul>
        )}
      </section>
      {!manage && (
        <p className="text-xs text-muted">You can see destinations and their delivery logs; an owner or admin can change them.</p>
      )}
      <DestinationDialog
        open={!!dialog}
        editing={dialog?.editing ?? null}
        onClose={() => setDialog(null)}
        onSaved={() => {
          setDialog(null);
          refresh();
        }}
      />
      <ConfirmDialog
        open={!!deleting}
        title={`Delete ${deleting?.name ?? "this destination"}?`}
        confirmLabel="Delete destination"
        busy={remove.isPending}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onClose={() => setDeleting(null)}
      >
        Nothing more is forwarded to it, its stored credentials and delivery log are deleted, and batches still waiting are dropped. Events
        already sent stay where they are.
      </ConfirmDialog>
    </div>
  );
}
