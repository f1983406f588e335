import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useWorkspace } from "../../lib/workspace";
import { PageHeader } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, useCursor } from "../ui/Table";
import { ApprovalCard } from "./ApprovalCard";
import { wfq } from "./data";
import { ApprovalIcon } from "./icons";
import { ProblemNote } from "./ProblemNote";
import type { ApprovalStatus } from "./types";

/** The approvals inbox: requests waiting for me (or everyone's, or decided ones), approve / reject in place. */
export function ApprovalsPage() {
  const ws = useWorkspace();
  const pager = useCursor();
  const [status, setStatus] = useState<ApprovalStatus>("pending");
  const [scope, setScope] = useState<"mine" | "all">("mine");
  const list = useQuery({
    ...wfq.approvals(ws.id, { status, scope, limit: 20, cursor: pager.cursor }),
    refetchInterval: status === "pending" ? 10_000 : false,
  });
  return (
    <>
      <PageHeader
        title="Approvals"
        description="Workflow steps waiting for a person. Approvers also get an email with a link that works without signing in."
      />
      <div className="mb-3 flex flex-wrap gap-2">
        <Field label="Status" hideLabel>
          <Select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value as ApprovalStatus);
              pager.reset();
            }}
          >
            <option value="pending">Pending</option>
            <option value="approved">Approved</option>
            <option value="rejected">Rejected</option>
            <option value="timeout">Timed out</option>
            <option value="cancelled">Cancelled</option>
          </Select>
        </Field>
        <Field label="Whose" hideLabel>
          <Select
            value={scope}
            onChange={(e) => {
              setScope(e.target.value as "mine" | "all");
              pager.reset();
            }}
          >
            <option value="mine">For me</option>
            <option value="all">Everyone's</option>
          </Select>
        </Field>
      </div>
      {list.isPending ? (
        <TableSkeleton rows={3} />
      ) : list.isError ? (
        <ProblemNote error={list.error} />
      ) : list.data.data.length === 0 ? (
        <section className="rounded-xl border border-line bg-surface">
          <EmptyState icon={<ApprovalIcon />} title={status === "pending" ? "Nothing waiting for you" : `No ${status} approvals`}>
            {status === "pending" ? "When a workflow reaches an approval step you may decide, it shows up here." : "Try another status."}
          </EmptyState>
        </section>
      ) : (
        <div className="space-y-3">
          {list.data.data.map((a) => (
            <ApprovalCard key={a.id} approval={a} />
          ))}
        </div>
      )}
      <Pager
        page={pager.page}
        hasPrev={pager.hasPrev}
        hasNext={Boolean(list.data?.next_cursor)}
        onPrev={pager.prev}
        onNext={() => pager.next(list.data?.next_cursor)}
      />
    </>
  );
}
