import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { useState, type FormEvent } from "react";
import { ApiError, errorMessage } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call, type Page } from "../sales/request";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor } from "../ui/Table";
import { SendIcon } from "../icons";
import { type Sequence, STATUS_TONE } from "./types";

/** Sequences with their status and counts; "New sequence" opens the builder. */
export function SequencesPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const pager = useCursor();
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState("");
  const query = { limit: 25, cursor: pager.cursor };
  const list = useQuery({
    queryKey: tkey(ws.id, "outreach", "sequences", query),
    queryFn: () => call<Page<Sequence>>("GET", "/outreach/sequences", { query }),
  });
  const create = useMutation({
    mutationFn: () => call<Sequence>("POST", "/outreach/sequences", { body: { name: name.trim() } }),
    onSuccess: (s) => {
      qc.invalidateQueries({ queryKey: tkey(ws.id, "outreach", "sequences") });
      setCreating(false);
      navigate({ to: "/outreach/sequences/$id", params: { id: s.id } });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate();
  };
  return (
    <>
      <PageHeader
        title="Sequences"
        description="Multi-step outreach: emails written by the adaptive writer (A/B variants), delays, conditions and manual steps. Replies stop a lead's sequence."
        actions={ws.can("sales:manage") && <Button onClick={() => setCreating(true)}>New sequence</Button>}
      />
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        {list.isPending ? (
          <TableSkeleton rows={4} />
        ) : list.isError ? (
          <p role="alert" className="p-4 text-sm text-danger">
            {errorMessage(list.error)}
          </p>
        ) : (
          <Table
            caption="Sequences"
            rows={list.data.data}
            rowKey={(s) => s.id}
            empty={
              <EmptyState icon={<SendIcon />} title="No sequences yet">
                Create a sequence, add an email step or two, then enrol leads from the Leads page.
              </EmptyState>
            }
            columns={[
              {
                key: "name",
                header: "Sequence",
                sort: (s) => s.name,
                cell: (s) => (
                  <Link to="/outreach/sequences/$id" params={{ id: s.id }} className="font-medium text-accent hover:underline">
                    {s.name}
                  </Link>
                ),
              },
              { key: "status", header: "Status", cell: (s) => <Badge tone={STATUS_TONE[s.status]}>{s.status}</Badge> },
              { key: "steps", header: "Steps", hideOnMobile: true, className: "tabular-nums", cell: (s) => s.steps.length },
              {
                key: "enrolled",
                header: "Enrolled",
                className: "tabular-nums",
                sort: (s) => s.counts.enrolled,
                cell: (s) => s.counts.enrolled,
              },
              { key: "active", header: "Active", hideOnMobile: true, className: "tabular-nums", cell: (s) => s.counts.active },
              {
                key: "replied",
                header: "Replied",
                hideOnMobile: true,
                className: "tabular-nums",
                cell: (s) =>
                  `${s.counts.replied}${s.counts.enrolled ? ` (${Math.round((s.counts.replied / s.counts.enrolled) * 100)}%)` : ""}`,
              },
              {
                key: "auto",
                header: "Sending",
                hideOnMobile: true,
                cell: (s) => (s.auto_send ? <Badge tone="warning">Auto-send</Badge> : "Approval"),
              },
              {
                key: "updated",
                header: "Updated",
                hideOnMobile: true,
                cell: (s) => <span className="text-muted">{formatRelative(s.updated_at)}</span>,
              },
            ]}
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
      <Dialog open={creating} onClose={() => setCreating(false)} title="New sequence" size="sm">
        <form onSubmit={submit} className="space-y-4">
          <Field
            label="Name"
            error={create.error instanceof ApiError ? (create.error.field("name") ?? errorMessage(create.error)) : undefined}
          >
            <Input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Q1 outbound — VPs of Sales" />
          </Field>
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => setCreating(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={!name.trim()} loading={create.isPending}>
              Create
            </Button>
          </div>
        </form>
      </Dialog>
    </>
  );
}
