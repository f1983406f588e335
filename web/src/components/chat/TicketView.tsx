import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { ConfirmDialog } from "../team/ConfirmDialog";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Field, Textarea } from "../ui/Field";
import { Skeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { cx } from "../ui/cx";
import { TICKET_STATUS_LABEL, ticketTone } from "./TicketList";

/**
 * A support ticket in the agent inbox: the thread (customer, agents), the attachments as 10-minute
 * links, a reply box (the customer gets it in the portal, by email and as a notification), close/reopen.
 */
export function TicketView({ id }: { id: string }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const canReply = ws.can("chat:reply");
  const [draft, setDraft] = useState("");
  const [closing, setClosing] = useState(false);
  const detail = useQuery({
    queryKey: tkey(ws.id, "tickets", "one", id),
    queryFn: () => api("GET /api/v1/tickets/{id}", { params: { id } }),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "tickets") });
  const reply = useMutation({
    mutationFn: (message: string) => api("POST /api/v1/tickets/{id}/replies", { params: { id }, body: { message } }),
    onSuccess: (t) => {
      setDraft("");
      qc.setQueryData(tkey(ws.id, "tickets", "one", id), t);
      toast.success("Reply sent to the customer");
      void refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const status = useMutation({
    mutationFn: (s: "open" | "closed") => api("PATCH /api/v1/tickets/{id}", { params: { id }, body: { status: s } }),
    onSuccess: (t) => {
      setClosing(false);
      qc.setQueryData(tkey(ws.id, "tickets", "one", id), t);
      void refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const t = detail.data;
  const send = (e: FormEvent) => {
    e.preventDefault();
    if (draft.trim()) reply.mutate(draft.trim());
  };
  if (detail.isError)
    return (
      <p role="alert" className="m-auto p-8 text-sm text-danger">
        {errorMessage(detail.error)}
      </p>
    );
  const who = t ? t.end_user.name || t.end_user.email || "Deleted customer" : "";
  return (
    <div className="flex min-h-0 flex-1 flex-col lg:flex-row">
      <section className="flex min-h-0 flex-1 flex-col" aria-label={t ? `Ticket #${t.number} from ${who}` : "Ticket"}>
        <header className="flex flex-wrap items-center gap-2 border-b border-line px-4 py-3">
          <h2 className="mr-auto truncate text-base font-semibold">
            {t ? `#${t.number} ${t.subject}` : <Skeleton className="h-5 w-48" />}
          </h2>
          {t && <Badge tone={ticketTone(t.status)}>{TICKET_STATUS_LABEL[t.status] ?? t.status}</Badge>}
          {t && canReply && t.status !== "closed" && (
            <Button size="sm" variant="secondary" onClick={() => setClosing(true)}>
              Close
            </Button>
          )}
          {t && canReply && t.status === "closed" && (
            <Button size="sm" variant="secondary" loading={status.isPending} onClick={() => status.mutate("open")}>
              Reopen
            </Button>
          )}
        </header>
        <ol aria-label="Messages" className="flex min-h-60 flex-1 flex-col gap-3 overflow-y-auto px-4 py-4">
          {!t && <Skeleton className="h-16 w-64" />}
          {t?.messages.map((m) => (
            <li
              key={m.id}
              className={cx(
                "max-w-[85%] rounded-xl border px-3 py-2 text-sm",
                m.author === "agent" ? "ml-auto border-accent/40 bg-accent-soft" : "border-line bg-subtle",
              )}
            >
              <p className="text-xs text-muted">
                <span className="font-medium text-fg">{m.author === "enduser" ? who : (m.author_name ?? "Team")}</span> ·{" "}
                {formatDateTime(m.created_at)}
              </p>
              <p className="mt-1 whitespace-pre-wrap break-words">{m.body}</p>
              {m.attachments.length > 0 && (
                <ul className="mt-2 space-y-1" aria-label="Attachments">
                  {m.attachments.map((a) => (
                    <li key={a.file_id}>
                      {a.url ? (
                        <a className="text-accent underline" href={a.url} target="_blank" rel="noopener noreferrer">
                          {a.name}
                        </a>
                      ) : (
                        <span className="text-muted">{a.name} (deleted)</span>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </li>
          ))}
        </ol>
        {t && canReply && (
          <form onSubmit={send} className="space-y-2 border-t border-line p-3">
            <Field label="Reply to the customer">
              <Textarea value={draft} rows={4} maxLength={10000} onChange={(e) => setDraft(e.target.value)} />
            </Field>
            <div className="flex items-center gap-2">
              <p className="text-xs text-muted">They see it in their portal and get it by email and as a notification.</p>
              <Button type="submit" size="sm" className="ml-auto" loading={reply.isPending} disabled={!draft.trim()}>
                Send reply
              </Button>
            </div>
          </form>
        )}
      </section>
      <aside
        className="w-full shrink-0 space-y-3 border-t border-line p-4 text-sm lg:w-64 lg:border-t-0 lg:border-l"
        aria-label="Customer details"
      >
        <h3 className="font-semibold">Customer</h3>
        {!t ? (
          <Skeleton className="h-24" />
        ) : (
          <dl className="space-y-2">
            <div>
              <dt className="text-xs text-muted">Name</dt>
              <dd>{t.end_user.name ?? "—"}</dd>
            </div>
            <div>
              <dt className="text-xs text-muted">Email</dt>
              <dd className="break-all">{t.end_user.email ?? "—"}</dd>
            </div>
            <div>
              <dt className="text-xs text-muted">Opened</dt>
              <dd>{formatDateTime(t.created_at)}</dd>
            </div>
            {t.order_id && (
              <div>
                <dt className="text-xs text-muted">Order</dt>
                <dd className="break-all">{t.order_id}</dd>
              </div>
            )}
          </dl>
        )}
      </aside>
      <ConfirmDialog
        open={closing}
        onClose={() => setClosing(false)}
        busy={status.isPending}
        title="Close this ticket?"
        confirmLabel="Close ticket"
        onConfirm={() => status.mutate("closed")}
      >
        The customer can reopen it by writing again.
      </ConfirmDialog>
    </div>
  );
}
