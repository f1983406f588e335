import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage, type Res } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { MailIcon } from "../icons";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../ui/Table";
import { toast } from "../ui/Toast";
import { LocalBadge, StatusBadge } from "./common";
import { Suppressions } from "./Suppressions";
import { MessageDetail } from "./MessageDetail";

type Message = Res<"GET /api/v1/messages">["data"][number];
const STATUSES = [
  "queued",
  "scheduled",
  "sending",
  "retrying",
  "sent",
  "delivered",
  "failed",
  "bounced",
  "complained",
  "suppressed",
  "cancelled",
] as const;
const CHANNELS = ["email", "sms", "push", "in_app", "webhook"] as const;

function ProvidersNote() {
  const ws = useWorkspace();
  const providers = useQuery({
    queryKey: tkey(ws.id, "messaging", "providers"),
    queryFn: () => api("GET /api/v1/messaging/providers"),
    enabled: ws.can("messaging:manage"),
  });
  if (!providers.data) return null;
  const own = providers.data.data;
  const local = providers.data.local_fallback;
  const line = (channel: "email" | "sms") => {
    const mine = own.filter((p) => p.channel === channel && p.enabled).map((p) => p.provider);
    const platform = providers.data!.platform[channel];
    const chain = [...mine, ...platform];
    return (
      <li key={channel} className="flex flex-wrap items-center gap-2">
        <span className="w-12 font-medium uppercase text-muted">{channel}</span>
        {chain.length ? (
          chain.join(" → ")
        ) : local ? (
          <>
            <span>{local[channel]}</span>
            <LocalBadge>local only — nothing leaves this machine</LocalBadge>
          </>
        ) : (
          <span className="text-danger">no provider configured</span>
        )}
      </li>
    );
  };
  return (
    <Card title="Providers" description="Tried in this order; a provider error or rate limit fails over to the next one." className="mb-6">
      <ul className="space-y-1 text-sm">
        {line("email")}
        {line("sms")}
      </ul>
      {own.length > 0 && (
        <details className="mt-3 text-sm">
          <summary className="cursor-pointer text-muted">Delivery webhooks (paste into each provider's dashboard)</summary>
          <ul className="mt-2 space-y-1">
            {own.map((p) => (
              <li key={p.id} className="flex flex-wrap items-center gap-2">
                <span className="w-20 font-medium">{p.provider}</span>
                <code className="break-all text-xs">{p.webhook_url}</code>
              </li>
            ))}
          </ul>
        </details>
      )}
    </Card>
  );
}

function DeadLetters() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const dl = useQuery({
    queryKey: tkey(ws.id, "messages", "dead"),
    queryFn: () => api("GET /api/v1/dead-letters", { query: { limit: 10 } }),
  });
  const replay = useMutation({
    mutationFn: (id: string) => api("POST /api/v1/dead-letters/{id}/replay", { params: { id } }),
    onSuccess: () => (toast.success("Replayed"), qc.invalidateQueries({ queryKey: tkey(ws.id, "messages") })),
    onError: (e) => toast.error(errorMessage(e)),
  });
  if (!dl.data?.data.length) return null;
  return (
    <Card title="Dead letters" description="Messages that gave up after every retry. Replaying sends a fresh copy." className="mt-6">
      <ul className="divide-y divide-line text-sm">
        {dl.data.data.map((d) => (
          <li key={d.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
            <span>
              <code className="text-xs">{d.message_id}</code> <span className="text-muted">{d.reason}</span>
            </span>
            {d.replayed_at ? (
              <span className="text-xs text-muted">replayed {formatDateTime(d.replayed_at)}</span>
            ) : (
              ws.can("messages:send") && (
                <Button
                  size="sm"
                  variant="secondary"
                  loading={replay.isPending && replay.variables === d.id}
                  onClick={() => replay.mutate(d.id)}
                >
                  Replay
                </Button>
              )
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}

/** The delivery log: every message of the workspace, filterable and searchable, with attempts. */
export function DeliveryLog() {
  const ws = useWorkspace();
  const [filters, setFilters] = useState({ q: "", status: "", channel: "" });
  const [applied, setApplied] = useState(filters);
  const [open, setOpen] = useState<string | null>(null);
  const pager = useCursor();
  const query = {
    limit: 25,
    cursor: pager.cursor,
    q: applied.q.trim() || undefined,
    status: (applied.status || undefined) as Message["status"] | undefined,
    channel: (applied.channel || undefined) as Message["channel"] | undefined,
  };
  const list = useQuery({
    queryKey: tkey(ws.id, "messages", query),
    queryFn: () => api("GET /api/v1/messages", { query }),
    placeholderData: keepPreviousData,
    refetchInterval: 10_000,
  });
  const set = (k: keyof typeof filters) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [k]: e.target.value }));
  const columns: Column<Message>[] = [
    {
      key: "time",
      header: "Created",
      cell: (m) => (
        <time dateTime={m.created_at} className="whitespace-nowrap text-muted">
          {formatDateTime(m.created_at)}
        </time>
      ),
    },
    {
      key: "to",
      header: "Recipient",
      cell: (m) => (
        <button type="button" onClick={() => setOpen(m.id)} className="text-left font-medium text-accent hover:underline">
          {m.recipient}
        </button>
      ),
    },
    { key: "channel", header: "Channel", hideOnMobile: true, cell: (m) => m.channel.replace("_", "-") },
    {
      key: "what",
      header: "Template / subject",
      hideOnMobile: true,
      cell: (m) => (
        <span>
          <code className="text-xs">{m.template}</code>
          {m.subject && <span className="block text-xs text-muted">{m.subject}</span>}
        </span>
      ),
    },
    {
      key: "status",
      header: "Status",
      cell: (m) => (
        <span className="flex items-center gap-1">
          <StatusBadge status={m.status} />
          {m.provider?.startsWith("dev-") && <LocalBadge />}
        </span>
      ),
    },
    { key: "attempts", header: "Attempts", hideOnMobile: true, cell: (m) => m.attempts },
  ];
  return (
    <>
      <ProvidersNote />
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        <form
          className="grid gap-3 border-b border-line p-4 sm:grid-cols-2 lg:grid-cols-4 lg:items-end"
          onSubmit={(e) => (e.preventDefault(), setApplied(filters), pager.reset())}
        >
          <Field label="Search">
            <Input value={filters.q} onChange={set("q")} placeholder="Recipient, template, subject or id" />
          </Field>
          <Field label="Status">
            <Select value={filters.status} onChange={set("status")}>
              <option value="">Any status</option>
              {STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Channel">
            <Select value={filters.channel} onChange={set("channel")}>
              <option value="">Any channel</option>
              {CHANNELS.map((s) => (
                <option key={s} value={s}>
                  {s.replace("_", "-")}
                </option>
              ))}
            </Select>
          </Field>
          <div className="flex gap-2">
            <Button type="submit" className="flex-1">
              Apply
            </Button>
            <Button
              variant="secondary"
              onClick={() => {
                const e = { q: "", status: "", channel: "" };
                setFilters(e);
                setApplied(e);
                pager.reset();
              }}
            >
              Clear
            </Button>
          </div>
        </form>
        {list.isPending ? (
          <TableSkeleton rows={8} />
        ) : list.isError ? (
          <p role="alert" className="p-4 text-sm text-danger">
            {errorMessage(list.error)}
          </p>
        ) : (
          <Table
            caption="Messages"
            columns={columns}
            rows={list.data.data}
            rowKey={(m) => m.id}
            empty={
              <EmptyState icon={<MailIcon />} title="No messages yet">
                Invitations, receipts, newsletters and webhook deliveries of this workspace show up here.
              </EmptyState>
            }
          />
        )}
        <Pager
          page={pager.page}
          hasPrev={pager.hasPrev}
          hasNext={Boolean(list.data?.next_cursor)}
          onPrev={pager.prev}
          onNext={() => pager.next(list.data?.next_cursor)}
        />
      </section>
      <DeadLetters />
      <Suppressions />
      <MessageDetail id={open} onClose={() => setOpen(null)} />
    </>
  );
}
