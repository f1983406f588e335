import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatDateTime, formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call, type Page } from "../sales/request";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor } from "../ui/Table";
import { toast } from "../ui/Toast";
import type { Enrollment, Sequence } from "./types";

/** A sequence's enrolments (status, next step and when, why it stopped), "Stop" per lead, and enrolment by filter. */
export function EnrollmentsPanel({ sequence }: { sequence: Sequence }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const pager = useCursor();
  const [status, setStatus] = useState("");
  const [enrolling, setEnrolling] = useState(false);
  const [minScore, setMinScore] = useState("60");
  const [tags, setTags] = useState("");
  const query = { limit: 25, cursor: pager.cursor, status: status || undefined };
  const list = useQuery({
    queryKey: tkey(ws.id, "outreach", "enrollments", sequence.id, query),
    queryFn: () => call<Page<Enrollment>>("GET", `/outreach/sequences/${sequence.id}/enrollments`, { query }),
    placeholderData: keepPreviousData,
  });
  const stop = useMutation({
    mutationFn: (e: Enrollment) => call("POST", `/outreach/enrollments/${e.id}/stop`),
    onSuccess: () => {
      toast.success("Enrolment stopped.");
      qc.invalidateQueries({ queryKey: tkey(ws.id, "outreach") });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const enrol = useMutation({
    mutationFn: () =>
      call<{ enrolled: number; skipped: Record<string, number> }>("POST", `/outreach/sequences/${sequence.id}/enrol`, {
        body: {
          filter: {
            min_score: minScore ? Number(minScore) : undefined,
            tags: tags
              .split(",")
              .map((t) => t.trim())
              .filter(Boolean),
          },
        },
      }),
    onSuccess: (r) => {
      const skipped = Object.values(r.skipped ?? {}).reduce((a, b) => a + b, 0);
      toast.success(`${r.enrolled} enrolled${skipped ? `, ${skipped} skipped` : ""}.`);
      setEnrolling(false);
      qc.invalidateQueries({ queryKey: tkey(ws.id, "outreach") });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  return (
    <Card
      title="Enrolments"
      bodyClassName="p-0"
      actions={
        <>
          <Field label="Status" hideLabel>
            <Select
              value={status}
              onChange={(e) => {
                setStatus(e.target.value);
                pager.reset();
              }}
              className="h-8"
            >
              <option value="">All</option>
              <option value="active">Active</option>
              <option value="paused">Paused</option>
              <option value="finished">Finished</option>
            </Select>
          </Field>
          {ws.can("sales:write") && sequence.status !== "archived" && (
            <Button size="sm" onClick={() => setEnrolling(true)}>
              Enrol by filter…
            </Button>
          )}
        </>
      }
    >
      {list.isPending ? (
        <TableSkeleton rows={3} />
      ) : list.isError ? (
        <p role="alert" className="p-4 text-sm text-danger">
          {errorMessage(list.error)}
        </p>
      ) : (
        <Table
          caption="Enrolments"
          rows={list.data.data}
          rowKey={(e) => e.id}
          empty={
            <EmptyState title="Nobody enrolled">
              Select leads on the Leads page and choose “Enrol in sequence…”, or enrol by a filter.
            </EmptyState>
          }
          columns={[
            {
              key: "lead",
              header: "Lead",
              cell: (e) => (
                <Link to="/sales/leads/$id" params={{ id: e.lead_id }} className="font-medium text-accent hover:underline">
                  {e.lead_name || e.lead_email || e.lead_id}
                </Link>
              ),
            },
            {
              key: "status",
              header: "Status",
              cell: (e) => (
                <Badge tone={e.status === "active" ? "success" : e.stop_reason === "replied" ? "accent" : "neutral"}>
                  {e.status === "finished" && e.stop_reason ? e.stop_reason : e.status}
                </Badge>
              ),
            },
            { key: "step", header: "Next step", className: "tabular-nums", cell: (e) => (e.status === "finished" ? "—" : e.next_step) },
            {
              key: "when",
              header: "Next run",
              hideOnMobile: true,
              cell: (e) =>
                e.waiting_on ? (
                  <span className="text-muted">Waiting on {e.waiting_on}</span>
                ) : (
                  <span title={formatDateTime(e.next_run_at)}>{e.next_run_at ? formatRelative(e.next_run_at) : "—"}</span>
                ),
            },
            {
              key: "stop",
              header: "Actions",
              cell: (e) =>
                e.status !== "finished" && ws.can("sales:write") ? (
                  <Button size="sm" variant="ghost" loading={stop.isPending && stop.variables?.id === e.id} onClick={() => stop.mutate(e)}>
                    Stop
                  </Button>
                ) : null,
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
      <Dialog
        open={enrolling}
        onClose={() => setEnrolling(false)}
        title="Enrol leads by filter"
        description="Every lead matching both conditions is enrolled (up to 1,000). Unsubscribed, bounced and already enrolled leads are skipped."
        footer={
          <>
            <Button variant="secondary" onClick={() => setEnrolling(false)}>
              Cancel
            </Button>
            <Button loading={enrol.isPending} onClick={() => enrol.mutate()}>
              Enrol
            </Button>
          </>
        }
      >
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Minimum score">
            <Input type="number" min={0} max={100} value={minScore} onChange={(e) => setMinScore(e.target.value)} />
          </Field>
          <Field label="Tags (any)" hint="Separated by commas">
            <Input value={tags} onChange={(e) => setTags(e.target.value)} />
          </Field>
        </div>
      </Dialog>
    </Card>
  );
}
