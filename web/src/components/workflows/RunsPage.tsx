import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { formatDateTime } from "../../lib/format";
import { useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { buttonClass } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor } from "../ui/Table";
import { duration, wfq } from "./data";
import { FlowIcon } from "./icons";
import { ProblemNote } from "./ProblemNote";
import { RUN_TONE, type RunStatus } from "./types";

const STATUSES: RunStatus[] = ["queued", "running", "waiting", "completed", "failed", "cancelled", "skipped"];
const took = (r: { started_at: string | null; finished_at: string | null }) =>
  r.started_at && r.finished_at ? duration(Date.parse(r.finished_at) - Date.parse(r.started_at)) : "—";

/** A workflow's runs, newest first, filtered by status. */
export function RunsPage({ id }: { id: string }) {
  const ws = useWorkspace();
  const pager = useCursor();
  const [status, setStatus] = useState<RunStatus | "">("");
  const wf = useQuery(wfq.workflow(ws.id, id));
  const runs = useQuery({
    ...wfq.runs(ws.id, id, { limit: 25, cursor: pager.cursor, status: status || undefined }),
    refetchInterval: (q) => (q.state.data?.data.some((r) => ["queued", "running", "waiting"].includes(r.status)) ? 3000 : false),
  });
  return (
    <>
      <PageHeader
        title={wf.data ? `Runs of ${wf.data.name}` : "Runs"}
        description="Every run with the version it used; open one for its steps, inputs and outputs."
        actions={
          <Link to="/workflows/$id" params={{ id }} className={buttonClass("secondary")}>
            Open builder
          </Link>
        }
      />
      <div className="mb-3 flex">
        <Field label="Status" hideLabel>
          <Select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as RunStatus | "");
              pager.reset();
            }}
          >
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        {runs.isPending ? (
          <TableSkeleton rows={4} />
        ) : runs.isError ? (
          <ProblemNote error={runs.error} />
        ) : (
          <Table
            caption="Runs"
            rows={runs.data.data}
            rowKey={(r) => r.id}
            empty={
              <EmptyState icon={<FlowIcon />} title={status ? `No ${status} runs` : "No runs yet"}>
                {status ? "Try another status." : "Runs appear here when the trigger fires, or after Run now on a published workflow."}
              </EmptyState>
            }
            columns={[
              {
                key: "run",
                header: "Run",
                cell: (r) => (
                  <Link to="/workflows/runs/$runId" params={{ runId: r.id }} className="font-mono text-xs text-accent hover:underline">
                    {r.id}
                  </Link>
                ),
              },
              { key: "status", header: "Status", cell: (r) => <Badge tone={RUN_TONE[r.status]}>{r.status}</Badge> },
              { key: "version", header: "Version", hideOnMobile: true, className: "tabular-nums", cell: (r) => `v${r.version}` },
              {
                key: "trigger",
                header: "Trigger",
                hideOnMobile: true,
                cell: (r) => (
                  <span className="text-muted">
                    {r.trigger_type}
                    {r.retry_of ? " (re-run)" : ""}
                  </span>
                ),
              },
              {
                key: "started",
                header: "Started",
                cell: (r) => <span className="text-muted">{formatDateTime(r.started_at ?? r.created_at)}</span>,
              },
              { key: "took", header: "Took", hideOnMobile: true, className: "tabular-nums", cell: took },
            ]}
          />
        )}
        <Pager
          page={pager.page}
          hasPrev={pager.hasPrev}
          hasNext={Boolean(runs.data?.next_cursor)}
          onPrev={pager.prev}
          onNext={() => pager.next(runs.data?.next_cursor)}
        />
      </section>
    </>
  );
}
