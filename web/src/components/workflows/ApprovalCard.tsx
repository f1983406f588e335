import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useId, useState } from "react";
import { api } from "../../lib/api";
import { formatDateTime, formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { toast } from "../ui/Toast";
import { ApprovalContext } from "./ApprovalContext";
import { ProblemNote } from "./ProblemNote";
import type { Approval } from "./types";

const TONE = { pending: "warning", approved: "success", rejected: "danger", timeout: "neutral", cancelled: "neutral" } as const;

/** One approval request: its context and, while pending, approve / reject with an optional comment. */
export function ApprovalCard({ approval: a }: { approval: Approval }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const commentId = useId();
  const [comment, setComment] = useState("");
  const decide = useMutation({
    mutationFn: (decision: "approved" | "rejected") =>
      api("POST /api/v1/workflow-approvals/{id}/decide", {
        params: { id: a.id },
        body: { decision, comment: comment.trim() || undefined },
      }),
    onSuccess: (r) => {
      toast.success(r.status === "approved" ? `Approved: ${a.title}` : `Rejected: ${a.title}`);
      qc.invalidateQueries({ queryKey: tkey(ws.id, "workflows") });
    },
  });
  return (
    <article aria-label={a.title} className="rounded-xl border border-line bg-surface p-4 shadow-sm">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0">
          <h3 className="font-semibold">{a.title}</h3>
          <p className="text-xs text-muted">
            {a.workflow_name} ·{" "}
            <Link to="/workflows/runs/$runId" params={{ runId: a.run_id }} className="text-accent underline">
              run
            </Link>{" "}
            · asked {formatRelative(a.created_at)}
            {a.expires_at && a.status === "pending" && <> · times out {formatDateTime(a.expires_at)}</>}
          </p>
        </div>
        <Badge tone={TONE[a.status]}>{a.status}</Badge>
      </div>
      {a.message && <p className="mt-2 text-sm whitespace-pre-wrap">{a.message}</p>}
      <div className="mt-3">
        <ApprovalContext value={a.context} />
      </div>
      {a.status === "pending" ? (
        <div className="mt-3 space-y-2">
          <label htmlFor={commentId} className="block text-sm font-medium">
            Comment (optional)
          </label>
          <textarea
            id={commentId}
            value={comment}
            maxLength={2000}
            rows={2}
            onChange={(e) => setComment(e.target.value)}
            className="block w-full rounded-lg border border-line bg-surface px-3 py-2 text-sm shadow-sm focus-visible:outline-2 focus-visible:outline-accent"
          />
          <div className="flex gap-2">
            <Button
              onClick={() => decide.mutate("approved")}
              loading={decide.isPending && decide.variables === "approved"}
              disabled={decide.isPending}
            >
              Approve
            </Button>
            <Button
              variant="danger"
              onClick={() => decide.mutate("rejected")}
              loading={decide.isPending && decide.variables === "rejected"}
              disabled={decide.isPending}
            >
              Reject
            </Button>
          </div>
          {decide.isError && <ProblemNote error={decide.error} />}
        </div>
      ) : (
        <p className="mt-3 text-sm text-muted">
          {a.status} {a.decided_at && formatRelative(a.decided_at)}
          {a.decided_via && ` via ${a.decided_via}`}
          {a.comment && <>: “{a.comment}”</>}
        </p>
      )}
    </article>
  );
}
