import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { toast } from "../ui/Toast";
import { LocalBadge, StatusBadge } from "./common";

export function MessageDetail({ id, onClose }: { id: string | null; onClose: () => void }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const detail = useQuery({
    queryKey: tkey(ws.id, "messages", "one", id),
    queryFn: () => api("GET /api/v1/messages/{id}", { params: { id: id! } }),
    enabled: !!id,
  });
  const done = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "messages") });
  const replay = useMutation({
    mutationFn: () => api("POST /api/v1/messages/{id}/replay", { params: { id: id! } }),
    onSuccess: (m) => (toast.success(`Queued again as ${m.id}`), done(), onClose()),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const cancel = useMutation({
    mutationFn: () => api("POST /api/v1/messages/{id}/cancel", { params: { id: id! } }),
    onSuccess: () => (toast.success("Cancelled"), done(), onClose()),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const m = detail.data;
  const finished = m && ["failed", "bounced", "complained", "suppressed", "cancelled", "delivered", "sent"].includes(m.status);
  const pending = m && ["scheduled", "queued", "retrying"].includes(m.status);
  return (
    <Dialog
      open={!!id}
      onClose={onClose}
      size="lg"
      title={m ? `${m.channel} to ${m.recipient}` : "Message"}
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Close
          </Button>
          {ws.can("messages:send") && pending && (
            <Button variant="danger" loading={cancel.isPending} onClick={() => cancel.mutate()}>
              Cancel message
            </Button>
          )}
          {ws.can("messages:send") && finished && (
            <Button loading={replay.isPending} onClick={() => replay.mutate()}>
              Send again
            </Button>
          )}
        </>
      }
    >
      {detail.isPending ? (
        <p className="text-sm text-muted">Loading…</p>
      ) : detail.isError ? (
        <p role="alert" className="text-sm text-danger">
          {errorMessage(detail.error)}
        </p>
      ) : (
        m && (
          <div className="space-y-4 text-sm">
            <dl className="grid grid-cols-[8rem_1fr] gap-x-4 gap-y-1">
              <dt className="text-muted">Status</dt>
              <dd>
                <StatusBadge status={m.status} /> {m.last_error && <span className="text-muted">— {m.last_error}</span>}
              </dd>
              <dt className="text-muted">Template</dt>
              <dd>
                <code>{m.template}</code> · {m.category}
              </dd>
              {m.subject && (
                <>
                  <dt className="text-muted">Subject</dt>
                  <dd>{m.subject}</dd>
                </>
              )}
              <dt className="text-muted">Provider</dt>
              <dd>
                {m.provider ?? "—"} {m.provider?.startsWith("dev-") && <LocalBadge />}{" "}
                {m.provider_message_id && <code className="text-xs text-muted">{m.provider_message_id}</code>}
              </dd>
              <dt className="text-muted">Created</dt>
              <dd>{formatDateTime(m.created_at)}</dd>
              {m.send_at && (
                <>
                  <dt className="text-muted">Scheduled for</dt>
                  <dd>{formatDateTime(m.send_at)}</dd>
                </>
              )}
              {m.next_attempt_at && (
                <>
                  <dt className="text-muted">Next attempt</dt>
                  <dd>{formatDateTime(m.next_attempt_at)}</dd>
                </>
              )}
            </dl>
            <section>
              <h3 className="mb-2 font-semibold">Attempts ({m.attempt_log.length})</h3>
              {m.attempt_log.length === 0 ? (
                <p className="text-muted">No attempt yet.</p>
              ) : (
                <ol className="space-y-2">
                  {m.attempt_log.map((a, i) => (
                    <li key={i} className="rounded-lg border border-line p-2">
                      <p className="flex flex-wrap items-center gap-2">
                        <span className="font-medium">
                          #{a.attempt} {a.provider}
                        </span>
                        <StatusBadge status={a.outcome === "success" ? "delivered" : a.outcome === "permanent" ? "failed" : "retrying"} />
                        {a.status_code !== null && <code>HTTP {a.status_code}</code>}
                        <span className="text-xs text-muted">
                          {formatDateTime(a.created_at)} · {a.duration_ms ?? 0} ms
                        </span>
                      </p>
                      {a.error && <p className="mt-1 text-danger">{a.error}</p>}
                      {a.response && <pre className="mt-1 max-h-32 overflow-auto rounded bg-subtle p-2 text-xs">{a.response}</pre>}
                    </li>
                  ))}
                </ol>
              )}
            </section>
            {m.provider_events.length > 0 && (
              <section>
                <h3 className="mb-2 font-semibold">Provider events ({m.provider_events.length})</h3>
                <ol className="space-y-2">
                  {m.provider_events.map((e, i) => (
                    <li key={i} className="rounded-lg border border-line p-2">
                      <p className="flex flex-wrap items-center gap-2">
                        <span className="font-medium">{e.provider}</span>
                        <StatusBadge status={e.type === "deferred" || e.type === "other" ? "queued" : e.type} />
                        <span className="text-xs text-muted">
                          {formatDateTime(e.occurred_at ?? e.received_at)}
                          {e.applied ? "" : " · recorded only"}
                        </span>
                      </p>
                      {e.detail && <p className="mt-1 text-muted">{e.detail}</p>}
                    </li>
                  ))}
                </ol>
              </section>
            )}
          </div>
        )
      )}
    </Dialog>
  );
}
