import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { type FormEvent, useState } from "react";
import { ApiError, api, errorMessage } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { useDebounced } from "../files/hooks";
import { Badge } from "../ui/Badge";
import { Button, buttonClass } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor } from "../ui/Table";
import { triggerLabel, wfq } from "./data";
import { FlowIcon } from "./icons";
import { ProblemNote } from "./ProblemNote";
import type { WorkflowStatus } from "./types";

/** Workflows with search, status filter and pages; new ones start blank or from a template. */
export function WorkflowsPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const pager = useCursor();
  const [q, setQ] = useState("");
  const [status, setStatus] = useState<WorkflowStatus | "">("");
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState("");
  const search = useDebounced(q.trim(), 250);
  const query = { limit: 25, cursor: pager.cursor, q: search || undefined, status: status || undefined };
  const list = useQuery(wfq.list(ws.id, query));
  const canWrite = ws.can("workflows:write");
  const create = useMutation({
    mutationFn: () => api("POST /api/v1/workflows", { body: { name: name.trim() } }),
    onSuccess: (w) => {
      qc.invalidateQueries({ queryKey: tkey(ws.id, "workflows") });
      setCreating(false);
      navigate({ to: "/workflows/$id", params: { id: w.id } });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (name.trim()) create.mutate();
  };
  const filtered = Boolean(search || status);
  return (
    <>
      <PageHeader
        title="Workflows"
        description="Automations that start on an event, a schedule, a webhook or by hand, with branches, waits, messages, AI steps and human approvals."
        actions={
          canWrite && (
            <div className="flex gap-2">
              <Link to="/workflows/templates" className={buttonClass("secondary")}>
                Start from a template
              </Link>
              <Button onClick={() => setCreating(true)}>New workflow</Button>
            </div>
          )
        }
      />
      <div className="mb-3 flex flex-wrap gap-2">
        <Field label="Search workflows" hideLabel className="min-w-48 flex-1">
          <Input
            type="search"
            value={q}
            placeholder="Search by name"
            onChange={(e) => {
              setQ(e.target.value);
              pager.reset();
            }}
          />
        </Field>
        <Field label="Status" hideLabel>
          <Select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as WorkflowStatus | "");
              pager.reset();
            }}
          >
            <option value="">Any status</option>
            <option value="draft">Draft</option>
            <option value="published">Published</option>
          </Select>
        </Field>
      </div>
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        {list.isPending ? (
          <TableSkeleton rows={4} />
        ) : list.isError ? (
          <ProblemNote error={list.error} />
        ) : (
          <Table
            caption="Workflows"
            rows={list.data.data}
            rowKey={(w) => w.id}
            empty={
              filtered ? (
                <EmptyState icon={<FlowIcon />} title="No workflow matches">
                  Try another name or status.
                </EmptyState>
              ) : (
                <EmptyState
                  icon={<FlowIcon />}
                  title="No workflows yet"
                  action={
                    canWrite && (
                      <Link to="/workflows/templates" className={buttonClass("primary")}>
                        Start from a template
                      </Link>
                    )
                  }
                >
                  Start from a template — lead follow-up, order processing, onboarding, dunning — and adjust it on the canvas.
                </EmptyState>
              )
            }
            columns={[
              {
                key: "name",
                header: "Workflow",
                cell: (w) => (
                  <Link to="/workflows/$id" params={{ id: w.id }} className="font-medium text-accent hover:underline">
                    {w.name}
                  </Link>
                ),
              },
              {
                key: "status",
                header: "Status",
                cell: (w) => (
                  <span className="flex flex-wrap gap-1">
                    <Badge tone={w.status === "published" ? "success" : "neutral"}>
                      {w.status === "published" ? `v${w.published_version}` : "Draft"}
                    </Badge>
                    {w.status === "published" && w.has_unpublished_changes && <Badge tone="warning">Unpublished edits</Badge>}
                  </span>
                ),
              },
              {
                key: "trigger",
                header: "Trigger",
                hideOnMobile: true,
                cell: (w) => <span className="text-muted">{triggerLabel(w.trigger)}</span>,
              },
              {
                key: "runs",
                header: "Runs",
                hideOnMobile: true,
                cell: (w) => (
                  <Link to="/workflows/$id/runs" params={{ id: w.id }} className="text-accent hover:underline">
                    History<span className="sr-only"> of {w.name}</span>
                  </Link>
                ),
              },
              {
                key: "updated",
                header: "Updated",
                hideOnMobile: true,
                cell: (w) => <span className="text-muted">{formatRelative(w.updated_at)}</span>,
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
      <Dialog open={creating} onClose={() => setCreating(false)} title="New workflow" size="sm">
        <form onSubmit={submit} className="space-y-4">
          <Field
            label="Name"
            error={create.error instanceof ApiError ? (create.error.field("name") ?? errorMessage(create.error)) : undefined}
          >
            <Input value={name} onChange={(e) => setName(e.target.value)} placeholder="e.g. Follow up on hot leads" />
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
