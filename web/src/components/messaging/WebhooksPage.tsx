import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage, type Res } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { CopyButton } from "../settings/CopyButton";
import { ConfirmDialog } from "../team/ConfirmDialog";
import { PlusIcon } from "../icons";
import { Button } from "../ui/Button";
import { Dialog } from "../ui/Dialog";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, useCursor } from "../ui/Table";
import { toast } from "../ui/Toast";
import { StatusBadge } from "./common";

type Endpoint = Res<"GET /api/v1/webhook-endpoints">["data"][number];

function SecretDialog({ secret, onClose }: { secret: string | null; onClose: () => void }) {
  return (
    <Dialog
      open={!!secret}
      onClose={onClose}
      title="Signing secret"
      description="Verify each delivery's webhook-signature with this secret (Standard Webhooks). You can reveal it again later."
      footer={<Button onClick={onClose}>Done</Button>}
    >
      <div className="flex items-center gap-2">
        <code className="flex-1 break-all rounded bg-subtle p-2 text-sm">{secret}</code>
        {secret && <CopyButton value={secret} label="Copy secret" />}
      </div>
    </Dialog>
  );
}

function CreateDialog({ open, onClose, onCreated }: { open: boolean; onClose: () => void; onCreated: (secret: string) => void }) {
  const catalogue = useQuery({
    queryKey: ["webhook-event-types"],
    queryFn: () => api("GET /api/v1/webhook-event-types", { anonymous: true }),
  });
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [types, setTypes] = useState<string[]>([]);
  const create = useMutation({
    mutationFn: () =>
      api("POST /api/v1/webhook-endpoints", { body: { url, description: description || null, event_types: types as never } }),
    onSuccess: (r) => (onCreated(r.secret), setUrl(""), setDescription(""), setTypes([])),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const groups = new Map<string, { type: string; description: string }[]>();
  for (const e of catalogue.data?.data ?? []) groups.set(e.group, [...(groups.get(e.group) ?? []), e]);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      size="lg"
      title="Add a webhook endpoint"
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button loading={create.isPending} onClick={() => create.mutate()} disabled={!url}>
            Add endpoint
          </Button>
        </>
      }
    >
      <form className="space-y-4" onSubmit={(e) => (e.preventDefault(), create.mutate())}>
        <Field label="Endpoint URL" hint="https in production. Deliveries are POSTed as JSON.">
          <Input type="url" required value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/webhooks/weft" />
        </Field>
        <Field label="Description">
          <Input value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field>
        <fieldset>
          <legend className="text-sm font-medium">
            Events <span className="font-normal text-muted">(none selected = every event)</span>
          </legend>
          <div className="mt-2 grid gap-3 sm:grid-cols-2">
            {[...groups].map(([group, events]) => (
              <div key={group}>
                <p className="text-xs font-semibold uppercase text-muted">{group}</p>
                {events.map((e) => (
                  <label key={e.type} className="flex items-start gap-2 py-0.5 text-sm">
                    <input
                      type="checkbox"
                      className="mt-1"
                      checked={types.includes(e.type)}
                      onChange={(ev) => setTypes(ev.target.checked ? [...types, e.type] : types.filter((t) => t !== e.type))}
                    />
                    <span>
                      <code className="text-xs">{e.type}</code> <span className="text-muted">— {e.description}</span>
                    </span>
                  </label>
                ))}
              </div>
            ))}
          </div>
        </fieldset>
        {catalogue.data && (
          <p className="text-xs text-muted">
            Failed deliveries are retried after{" "}
            {catalogue.data.retry_schedule_seconds.map((s) => (s < 60 ? `${s}s` : s < 3600 ? `${s / 60}m` : `${s / 3600}h`)).join(", ")}; an
            endpoint is disabled after {catalogue.data.disable_after_failed_deliveries} deliveries in a row fail (you get an email).
          </p>
        )}
      </form>
    </Dialog>
  );
}

function Deliveries({ ep }: { ep: Endpoint }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const pager = useCursor();
  const list = useQuery({
    queryKey: tkey(ws.id, "webhooks", ep.id, "deliveries", pager.cursor),
    queryFn: () =>
      api("GET /api/v1/webhook-endpoints/{id}/deliveries", { params: { id: ep.id }, query: { limit: 10, cursor: pager.cursor } }),
    refetchInterval: 5_000,
  });
  const replay = useMutation({
    mutationFn: (messageId: string) =>
      api("POST /api/v1/webhook-endpoints/{id}/deliveries/{messageId}/replay", { params: { id: ep.id, messageId } }),
    onSuccess: () => (toast.success("Delivery queued again"), qc.invalidateQueries({ queryKey: tkey(ws.id, "webhooks") })),
    onError: (e) => toast.error(errorMessage(e)),
  });
  if (list.isPending) return <TableSkeleton rows={2} />;
  if (list.isError)
    return (
      <p role="alert" className="text-sm text-danger">
        {errorMessage(list.error)}
      </p>
    );
  if (!list.data.data.length) return <p className="text-sm text-muted">No deliveries yet. Send a test event.</p>;
  return (
    <div>
      <ul className="divide-y divide-line text-sm">
        {list.data.data.map((d) => (
          <li key={d.id} className="flex flex-wrap items-center gap-2 py-1.5">
            <StatusBadge status={d.status} />
            <code className="text-xs">{d.template}</code>
            <span className="text-xs text-muted">
              {formatDateTime(d.created_at)} · {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
              {d.last_error ? ` · ${d.last_error}` : ""}
            </span>
            {ws.can("webhooks:manage") && ["delivered", "failed", "suppressed", "cancelled"].includes(d.status) && (
              <Button size="sm" variant="ghost" className="ml-auto" onClick={() => replay.mutate(d.id)}>
                Replay
              </Button>
            )}
          </li>
        ))}
      </ul>
      <Pager
        page={pager.page}
        hasPrev={pager.hasPrev}
        hasNext={Boolean(list.data.next_cursor)}
        onPrev={pager.prev}
        onNext={() => pager.next(list.data.next_cursor)}
      />
    </div>
  );
}

export function WebhooksPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const pager = useCursor();
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<{ kind: "delete" | "rotate"; ep: Endpoint } | null>(null);
  const [expanded, setExpanded] = useState<string | null>(null);
  const list = useQuery({
    queryKey: tkey(ws.id, "webhooks", pager.cursor),
    queryFn: () => api("GET /api/v1/webhook-endpoints", { query: { limit: 20, cursor: pager.cursor } }),
  });
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "webhooks") });
  const onError = (e: unknown) => toast.error(errorMessage(e));
  const test = useMutation({
    mutationFn: (id: string) => api("POST /api/v1/webhook-endpoints/{id}/test", { params: { id } }),
    onSuccess: (_r, id) => (toast.success("Test event queued"), setExpanded(id), refresh()),
    onError,
  });
  const toggle = useMutation({
    mutationFn: (ep: Endpoint) =>
      api("PATCH /api/v1/webhook-endpoints/{id}", {
        params: { id: ep.id },
        body: { status: ep.status === "enabled" ? "disabled" : "enabled" },
      }),
    onSuccess: refresh,
    onError,
  });
  const reveal = useMutation({
    mutationFn: (id: string) => api("GET /api/v1/webhook-endpoints/{id}/secret", { params: { id } }),
    onSuccess: (r) => setSecret(r.secret),
    onError,
  });
  const rotate = useMutation({
    mutationFn: (id: string) => api("POST /api/v1/webhook-endpoints/{id}/rotate-secret", { params: { id } }),
    onSuccess: (r) => (setConfirm(null), setSecret(r.secret), refresh()),
    onError,
  });
  const remove = useMutation({
    mutationFn: (id: string) => api("DELETE /api/v1/webhook-endpoints/{id}", { params: { id } }),
    onSuccess: () => (setConfirm(null), toast.success("Endpoint deleted"), refresh()),
    onError,
  });
  const manage = ws.can("webhooks:manage");
  return (
    <>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <p className="max-w-2xl text-sm text-muted">
          Weft POSTs events to your endpoints, signed per{" "}
          <a className="text-accent underline" href="https://www.standardwebhooks.com/" target="_blank" rel="noreferrer">
            Standard Webhooks
          </a>{" "}
          (<code>webhook-id</code>, <code>webhook-timestamp</code>, <code>webhook-signature</code>).
        </p>
        {manage && (
          <Button onClick={() => setCreating(true)}>
            <PlusIcon /> Add endpoint
          </Button>
        )}
      </div>
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        {list.isPending ? (
          <TableSkeleton rows={3} />
        ) : list.isError ? (
          <p role="alert" className="p-4 text-sm text-danger">
            {errorMessage(list.error)}
          </p>
        ) : list.data.data.length === 0 ? (
          <EmptyState
            title="No webhook endpoints"
            action={manage ? <Button onClick={() => setCreating(true)}>Add endpoint</Button> : undefined}
          >
            Register a URL to receive events such as member.invited or order.paid.
          </EmptyState>
        ) : (
          <ul className="divide-y divide-line">
            {list.data.data.map((ep) => (
              <li key={ep.id} className="p-4">
                <div className="flex flex-wrap items-start gap-3">
                  <div className="min-w-0 flex-1">
                    <p className="flex flex-wrap items-center gap-2">
                      <code className="break-all text-sm font-medium">{ep.url}</code>
                      <StatusBadge status={ep.status} />
                    </p>
                    <p className="text-xs text-muted">
                      {ep.event_types.length ? ep.event_types.join(", ") : "every event"}
                      {ep.description ? ` · ${ep.description}` : ""}
                    </p>
                    {ep.disabled_reason && <p className="text-xs text-danger">{ep.disabled_reason}</p>}
                    {ep.consecutive_failures > 0 && ep.status === "enabled" && (
                      <p className="text-xs text-warning">{ep.consecutive_failures} failed deliveries in a row</p>
                    )}
                    {ep.previous_secret_expires_at && (
                      <p className="text-xs text-muted">
                        Previous secret still signs until {formatDateTime(ep.previous_secret_expires_at)}
                      </p>
                    )}
                  </div>
                  <div className="flex flex-wrap gap-1.5">
                    <Button
                      size="sm"
                      variant="secondary"
                      aria-expanded={expanded === ep.id}
                      onClick={() => setExpanded(expanded === ep.id ? null : ep.id)}
                    >
                      Deliveries
                    </Button>
                    {manage && (
                      <>
                        <Button
                          size="sm"
                          variant="secondary"
                          disabled={ep.status !== "enabled"}
                          loading={test.isPending && test.variables === ep.id}
                          onClick={() => test.mutate(ep.id)}
                        >
                          Send test event
                        </Button>
                        <Button size="sm" variant="secondary" onClick={() => reveal.mutate(ep.id)}>
                          Reveal secret
                        </Button>
                        <Button size="sm" variant="secondary" onClick={() => setConfirm({ kind: "rotate", ep })}>
                          Rotate secret
                        </Button>
                        <Button size="sm" variant="secondary" onClick={() => toggle.mutate(ep)}>
                          {ep.status === "enabled" ? "Disable" : "Enable"}
                        </Button>
                        <Button size="sm" variant="danger" onClick={() => setConfirm({ kind: "delete", ep })}>
                          Delete
                        </Button>
                      </>
                    )}
                  </div>
                </div>
                {expanded === ep.id && (
                  <div className="mt-3 rounded-lg border border-line p-3">
                    <Deliveries ep={ep} />
                  </div>
                )}
              </li>
            ))}
          </ul>
        )}
        <Pager
          page={pager.page}
          hasPrev={pager.hasPrev}
          hasNext={Boolean(list.data?.next_cursor)}
          onPrev={pager.prev}
          onNext={() => pager.next(list.data?.next_cursor)}
        />
      </section>
      <CreateDialog open={creating} onClose={() => setCreating(false)} onCreated={(s) => (setCreating(false), setSecret(s), refresh())} />
      <SecretDialog secret={secret} onClose={() => setSecret(null)} />
      <ConfirmDialog
        open={!!confirm}
        title={confirm?.kind === "delete" ? "Delete this endpoint?" : "Rotate the signing secret?"}
        confirmLabel={confirm?.kind === "delete" ? "Delete endpoint" : "Rotate secret"}
        danger={confirm?.kind === "delete"}
        busy={remove.isPending || rotate.isPending}
        onConfirm={() => confirm && (confirm.kind === "delete" ? remove.mutate(confirm.ep.id) : rotate.mutate(confirm.ep.id))}
        onClose={() => setConfirm(null)}
      >
        {confirm?.kind === "delete" ? (
          <>
            Pending deliveries to <code>{confirm.ep.url}</code> are cancelled. This cannot be undone.
          </>
        ) : (
          "A new secret signs from now on; the current one keeps signing alongside it for 24 hours so you can update your receiver."
        )}
      </ConfirmDialog>
    </>
  );
}
