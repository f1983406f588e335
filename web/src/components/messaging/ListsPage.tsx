import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage, type Res } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { getAccessToken, getTenantId } from "../../lib/session";
import { tkey, useWorkspace } from "../../lib/workspace";
import { ConfirmDialog } from "../team/ConfirmDialog";
import { ListIcon } from "../icons";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../ui/Table";
import { toast } from "../ui/Toast";
import { StatusBadge } from "./common";
import { ListSyncSection } from "./list-sync/ListSyncSection";

type List = Res<"GET /api/v1/email-lists">["data"][number];
type Subscriber = Res<"GET /api/v1/email-lists/{id}/subscribers">["data"][number];

async function downloadCsv(list: List) {
  const res = await fetch(`/api/v1/email-lists/${encodeURIComponent(list.id)}/export`, {
    headers: { Authorization: `Bearer ${getAccessToken()}`, "X-Tenant-ID": getTenantId() ?? "" },
  });
  if (!res.ok) return toast.error(`Export failed (HTTP ${res.status})`);
  const url = URL.createObjectURL(await res.blob());
  const a = Object.assign(document.createElement("a"), { href: url, download: `${list.name.replace(/[^\w-]+/g, "-")}-subscribers.csv` });
  a.click();
  URL.revokeObjectURL(url);
}

function ListDetail({ list }: { list: List }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const pager = useCursor();
  const [status, setStatus] = useState("");
  const [email, setEmail] = useState("");
  const [template, setTemplate] = useState("");
  const [remove, setRemove] = useState<Subscriber | null>(null);
  const [broadcastConfirm, setBroadcastConfirm] = useState(false);
  const query = { limit: 25, cursor: pager.cursor, status: (status || undefined) as Subscriber["status"] | undefined };
  const subs = useQuery({
    queryKey: tkey(ws.id, "lists", list.id, "subs", query),
    queryFn: () => api("GET /api/v1/email-lists/{id}/subscribers", { params: { id: list.id }, query }),
    placeholderData: keepPreviousData,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "lists") });
  const onError = (e: unknown) => toast.error(errorMessage(e));
  const add = useMutation({
    mutationFn: () => api("POST /api/v1/email-lists/{id}/subscribers", { params: { id: list.id }, body: { email } }),
    onSuccess: (s) => (toast.success(s.status === "pending" ? "Confirmation email sent" : "Subscribed"), setEmail(""), refresh()),
    onError,
  });
  const del = useMutation({
    mutationFn: (s: Subscriber) =>
      api("DELETE /api/v1/email-lists/{id}/subscribers/{subscriberId}", { params: { id: list.id, subscriberId: s.id } }),
    onSuccess: () => (setRemove(null), refresh()),
    onError,
  });
  const send = useMutation({
    mutationFn: () => api("POST /api/v1/email-lists/{id}/broadcasts", { params: { id: list.id }, body: { template } }),
    onSuccess: (r) => (setBroadcastConfirm(false), toast.success(`Queued for ${r.recipients} subscriber${r.recipients === 1 ? "" : "s"}`)),
    onError,
  });
  const manage = ws.can("lists:manage");
  const columns: Column<Subscriber>[] = [
    { key: "email", header: "Email", cell: (s) => <span className="font-medium">{s.email}</span> },
    { key: "status", header: "Status", cell: (s) => <StatusBadge status={s.status} /> },
    { key: "source", header: "Source", hideOnMobile: true, cell: (s) => s.source ?? "—" },
    {
      key: "since",
      header: "Added",
      hideOnMobile: true,
      cell: (s) => (
        <time dateTime={s.created_at} className="text-muted">
          {formatDateTime(s.created_at)}
        </time>
      ),
    },
    ...(manage
      ? [
          {
            key: "x",
            header: "Actions",
            cell: (s: Subscriber) => (
              <Button size="sm" variant="ghost" onClick={() => setRemove(s)}>
                Remove<span className="sr-only"> {s.email}</span>
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <Card
      title={list.name}
      description={`${list.counts.subscribed} subscribed · ${list.counts.pending} awaiting confirmation · ${list.counts.unsubscribed} unsubscribed · ${list.double_opt_in ? "double opt-in" : "single opt-in"}`}
      actions={
        <Button size="sm" variant="secondary" onClick={() => downloadCsv(list)}>
          Export CSV
        </Button>
      }
    >
      {manage && (
        <div className="mb-4 grid gap-4 lg:grid-cols-2">
          <form className="flex items-end gap-2" onSubmit={(e) => (e.preventDefault(), add.mutate())}>
            <Field label="Add subscriber" className="flex-1" hint={list.double_opt_in ? "They get a confirmation email first." : undefined}>
              <Input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} placeholder="ada@example.com" />
            </Field>
            <Button type="submit" loading={add.isPending}>
              Add
            </Button>
          </form>
          <form className="flex items-end gap-2" onSubmit={(e) => (e.preventDefault(), template && setBroadcastConfirm(true))}>
            <Field
              label="Send a template to all subscribers"
              className="flex-1"
              hint="Marketing: an unsubscribe link and List-Unsubscribe headers are added."
            >
              <Input value={template} onChange={(e) => setTemplate(e.target.value)} placeholder="newsletter.weekly" />
            </Field>
            <Button type="submit" variant="secondary" disabled={!template}>
              Send…
            </Button>
          </form>
        </div>
      )}
      <Field label="Status" className="mb-3 max-w-xs">
        <Select value={status} onChange={(e) => (setStatus(e.target.value), pager.reset())}>
          <option value="">All</option>
          <option value="subscribed">Subscribed</option>
          <option value="pending">Pending</option>
          <option value="unsubscribed">Unsubscribed</option>
        </Select>
      </Field>
      {subs.isPending ? (
        <TableSkeleton rows={4} />
      ) : subs.isError ? (
        <p role="alert" className="text-sm text-danger">
          {errorMessage(subs.error)}
        </p>
      ) : (
        <Table
          caption={`Subscribers of ${list.name}`}
          columns={columns}
          rows={subs.data.data}
          rowKey={(s) => s.id}
          empty={<EmptyState title="No subscribers">Add people here or let them sign up on your site with a publishable key.</EmptyState>}
        />
      )}
      <Pager
        page={pager.page}
        hasPrev={pager.hasPrev}
        hasNext={Boolean(subs.data?.next_cursor)}
        onPrev={pager.prev}
        onNext={() => pager.next(subs.data?.next_cursor)}
      />
      <ConfirmDialog
        open={!!remove}
        title="Remove subscriber?"
        confirmLabel="Remove"
        busy={del.isPending}
        onConfirm={() => remove && del.mutate(remove)}
        onClose={() => setRemove(null)}
      >
        {remove?.email} is removed from {list.name}. To erase them everywhere (GDPR), use “Erase an address”.
      </ConfirmDialog>
      <ConfirmDialog
        open={broadcastConfirm}
        danger={false}
        title="Send to every subscriber?"
        confirmLabel={`Send to ${list.counts.subscribed}`}
        busy={send.isPending}
        onConfirm={() => send.mutate()}
        onClose={() => setBroadcastConfirm(false)}
      >
        The template <code>{template}</code> goes to {list.counts.subscribed} confirmed subscribers of {list.name}.
      </ConfirmDialog>
    </Card>
  );
}

export function ListsPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const pager = useCursor();
  const [name, setName] = useState("");
  const [selected, setSelected] = useState<string | null>(null);
  const [erase, setErase] = useState("");
  const [eraseConfirm, setEraseConfirm] = useState(false);
  const [deleting, setDeleting] = useState<List | null>(null);
  const lists = useQuery({
    queryKey: tkey(ws.id, "lists", pager.cursor),
    queryFn: () => api("GET /api/v1/email-lists", { query: { limit: 25, cursor: pager.cursor } }),
    placeholderData: keepPreviousData,
  });
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "lists") });
  const onError = (e: unknown) => toast.error(errorMessage(e));
  const create = useMutation({
    mutationFn: () => api("POST /api/v1/email-lists", { body: { name } }),
    onSuccess: (l) => (setName(""), setSelected(l.id), refresh()),
    onError,
  });
  const del = useMutation({
    mutationFn: (l: List) => api("DELETE /api/v1/email-lists/{id}", { params: { id: l.id } }),
    onSuccess: () => (setDeleting(null), setSelected(null), refresh()),
    onError,
  });
  const gdpr = useMutation({
    mutationFn: () => api("POST /api/v1/email-lists/erase", { body: { email: erase } }),
    onSuccess: (r) => (
      setEraseConfirm(false),
      setErase(""),
      toast.success(`Erased: ${r.subscriptions} subscriptions, ${r.preferences} preferences, ${r.messages} messages redacted`),
      refresh()
    ),
    onError,
  });
  const manage = ws.can("lists:manage");
  const current = lists.data?.data.find((l) => l.id === selected) ?? lists.data?.data[0];
  const columns: Column<List>[] = [
    {
      key: "name",
      header: "List",
      cell: (l) => (
        <button
          type="button"
          aria-current={l.id === current?.id ? "true" : undefined}
          onClick={() => setSelected(l.id)}
          className="text-left font-medium text-accent hover:underline"
        >
          {l.name}
        </button>
      ),
    },
    { key: "subs", header: "Subscribed", cell: (l) => l.counts.subscribed },
    { key: "pending", header: "Pending", hideOnMobile: true, cell: (l) => l.counts.pending },
    { key: "id", header: "Id (for your sign-up form)", hideOnMobile: true, cell: (l) => <code className="text-xs">{l.id}</code> },
    ...(manage
      ? [
          {
            key: "x",
            header: "Actions",
            cell: (l: List) => (
              <Button size="sm" variant="ghost" onClick={() => setDeleting(l)}>
                Delete<span className="sr-only"> {l.name}</span>
              </Button>
            ),
          },
        ]
      : []),
  ];
  return (
    <div className="space-y-6">
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        {manage && (
          <form className="flex flex-wrap items-end gap-2 border-b border-line p-4" onSubmit={(e) => (e.preventDefault(), create.mutate())}>
            <Field label="New list" className="min-w-64 flex-1">
              <Input required value={name} onChange={(e) => setName(e.target.value)} placeholder="Monthly newsletter" />
            </Field>
            <Button type="submit" loading={create.isPending}>
              Create list
            </Button>
          </form>
        )}
        {lists.isPending ? (
          <TableSkeleton rows={3} />
        ) : lists.isError ? (
          <p role="alert" className="p-4 text-sm text-danger">
            {errorMessage(lists.error)}
          </p>
        ) : (
          <Table
            caption="Email lists"
            columns={columns}
            rows={lists.data.data}
            rowKey={(l) => l.id}
            empty={
              <EmptyState icon={<ListIcon />} title="No email lists yet">
                Create a list, then let visitors subscribe from your site: POST /public/v1/lists/&lt;id&gt;/subscribe with your publishable
                key.
              </EmptyState>
            }
          />
        )}
        <Pager
          page={pager.page}
          hasPrev={pager.hasPrev}
          hasNext={Boolean(lists.data?.next_cursor)}
          onPrev={pager.prev}
          onNext={() => pager.next(lists.data?.next_cursor)}
        />
      </section>
      {current && <ListDetail key={current.id} list={current} />}
      {current && <ListSyncSection key={`sync-${current.id}`} listId={current.id} listName={current.name} />}
      {manage && (
        <Card
          title="Erase an address"
          description="GDPR erasure: removes the address from every list and its preferences, and redacts it in the delivery log."
        >
          <form className="flex flex-wrap items-end gap-2" onSubmit={(e) => (e.preventDefault(), erase && setEraseConfirm(true))}>
            <Field label="Email address" className="min-w-64 flex-1">
              <Input type="email" required value={erase} onChange={(e) => setErase(e.target.value)} />
            </Field>
            <Button type="submit" variant="danger">
              Erase…
            </Button>
          </form>
        </Card>
      )}
      <ConfirmDialog
        open={eraseConfirm}
        title="Erase this address?"
        confirmLabel="Erase everywhere"
        busy={gdpr.isPending}
        onConfirm={() => gdpr.mutate()}
        onClose={() => setEraseConfirm(false)}
      >
        Every trace of {erase} in this workspace's lists, preferences and message log is removed. This cannot be undone.
      </ConfirmDialog>
      <ConfirmDialog
        open={!!deleting}
        title="Delete this list?"
        confirmLabel="Delete list"
        busy={del.isPending}
        onConfirm={() => deleting && del.mutate(deleting)}
        onClose={() => setDeleting(null)}
      >
        {deleting?.name} and its {deleting ? deleting.counts.subscribed + deleting.counts.pending + deleting.counts.unsubscribed : 0}{" "}
        subscribers are deleted.
      </ConfirmDialog>
    </div>
  );
}
