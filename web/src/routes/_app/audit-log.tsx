import { useQuery } from "@tanstack/react-query";
import { createFileRoute, redirect } from "@tanstack/react-router";
import { useState } from "react";
import { ActivityIcon } from "../../components/icons";
import { Badge } from "../../components/ui/Badge";
import { Button } from "../../components/ui/Button";
import { PageHeader } from "../../components/ui/Card";
import { EmptyState } from "../../components/ui/EmptyState";
import { Field, Input, Select } from "../../components/ui/Field";
import { TableSkeleton } from "../../components/ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../../components/ui/Table";
import { errorMessage } from "../../lib/api";
import type { AuditLogEntry } from "../../lib/api-types";
import { formatDateTime, humanizeAction } from "../../lib/format";
import { q } from "../../lib/queries";
import { resolveWorkspace, useWorkspace } from "../../lib/workspace";
import { roleHas } from "../../../../workers/platform/rbac";

const ACTIONS = [
  "invitation.created",
  "invitation.resent",
  "invitation.revoked",
  "invitation.accepted",
  "member.role_changed",
  "member.removed",
  "member.left",
  "tenant.created",
  "tenant.updated",
  "ownership.transferred",
  "api_key.created",
  "api_key.revoked",
  "publishable_key.created",
  "publishable_key.updated",
  "publishable_key.revoked",
];

export const Route = createFileRoute("/_app/audit-log")({
  beforeLoad: ({ context }) => {
    const ws = resolveWorkspace(context.me);
    if (!ws || !roleHas(ws.role, "audit:read")) throw redirect({ to: "/" });
  },
  component: AuditLogPage,
});

function AuditLogPage() {
  const ws = useWorkspace();
  const [filters, setFilters] = useState({ action: "", actor_id: "", from: "", to: "" });
  const [applied, setApplied] = useState(filters);
  const pager = useCursor();
  const query = {
    limit: 25,
    cursor: pager.cursor,
    action: applied.action || undefined,
    actor_id: applied.actor_id.trim() || undefined,
    from: applied.from ? new Date(applied.from).toISOString() : undefined,
    to: applied.to ? new Date(`${applied.to}T23:59:59.999`).toISOString() : undefined,
  };
  const list = useQuery(q.audit(ws.id, query));
  // Show people by name: members of this workspace, by user id.
  const members = useQuery(q.members(ws.id, { limit: 100 }));
  const names = new Map(members.data?.data.map((m) => [m.user_id, m.name]) ?? []);
  const set = (k: keyof typeof filters) => (e: { target: { value: string } }) => setFilters((f) => ({ ...f, [k]: e.target.value }));

  const columns: Column<AuditLogEntry>[] = [
    {
      key: "time",
      header: "Time",
      sort: (e) => e.created_at,
      cell: (e) => (
        <time dateTime={e.created_at} className="whitespace-nowrap text-muted">
          {formatDateTime(e.created_at)}
        </time>
      ),
    },
    {
      key: "action",
      header: "Action",
      sort: (e) => e.action,
      cell: (e) => <span className="font-medium">{humanizeAction(e.action)}</span>,
    },
    {
      key: "actor",
      header: "Actor",
      hideOnMobile: true,
      cell: (e) => {
        const name = e.actor_id ? names.get(e.actor_id) : undefined;
        return (
          <span className="flex items-center gap-2">
            <Badge>{e.actor_type.replace("_", " ")}</Badge>
            {name ? (
              <span className="whitespace-nowrap" title={e.actor_id ?? undefined}>
                {name}
              </span>
            ) : (
              <code className="text-xs text-muted">{e.actor_id ?? "—"}</code>
            )}
          </span>
        );
      },
    },
    {
      key: "target",
      header: "Target",
      hideOnMobile: true,
      cell: (e) =>
        e.target_type ? (
          <span className="text-xs">
            <span className="text-muted">{e.target_type.replace(/_/g, " ")}</span>{" "}
            <code>{(e.target_id && names.get(e.target_id)) ?? e.target_id}</code>
          </span>
        ) : (
          "—"
        ),
    },
    { key: "ip", header: "IP", hideOnMobile: true, cell: (e) => <code className="text-xs text-muted">{e.ip ?? "—"}</code> },
  ];

  return (
    <>
      <PageHeader title="Audit log" description="Security-relevant actions in this workspace: who did what, when and from where." />
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        <form
          className="grid gap-3 border-b border-line p-4 sm:grid-cols-2 lg:grid-cols-5 lg:items-end"
          onSubmit={(e) => (e.preventDefault(), setApplied(filters), pager.reset())}
        >
          <Field label="Action">
            <Select value={filters.action} onChange={set("action")}>
              <option value="">All actions</option>
              {ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {humanizeAction(a)}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Actor">
            <Select value={filters.actor_id} onChange={set("actor_id")}>
              <option value="">Anyone</option>
              {members.data?.data.map((m) => (
                <option key={m.user_id} value={m.user_id}>
                  {m.name}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="From">
            <Input type="date" value={filters.from} onChange={set("from")} />
          </Field>
          <Field label="To">
            <Input type="date" value={filters.to} onChange={set("to")} />
          </Field>
          <div className="flex gap-2">
            <Button type="submit" className="flex-1">
              Apply
            </Button>
            <Button
              variant="secondary"
              onClick={() => {
                const empty = { action: "", actor_id: "", from: "", to: "" };
                setFilters(empty);
                setApplied(empty);
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
            caption="Audit log entries"
            columns={columns}
            rows={list.data.data}
            rowKey={(e) => e.id}
            empty={
              <EmptyState icon={<ActivityIcon />} title="No events match">
                Try widening the date range or clearing the filters.
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
    </>
  );
}
