import { useMutation, useQuery } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { AuthLayout } from "../AuthLayout";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Skeleton } from "../ui/Skeleton";
import { ApprovalContext } from "./ApprovalContext";

/** The approval link from the email: no sign-in, the signed single-use token is the permission. */
export function PublicApprovalPage({ token }: { token: string }) {
  const commentId = useId();
  const [comment, setComment] = useState("");
  const approval = useQuery({
    queryKey: ["public-approval", token],
    queryFn: () => api("GET /public/v1/workflow-approvals/{token}", { params: { token }, anonymous: true, tenantId: null }),
    retry: false,
  });
  const decide = useMutation({
    mutationFn: (decision: "approved" | "rejected") =>
      api("POST /public/v1/workflow-approvals/{token}", {
        params: { token },
        body: { decision, comment: comment.trim() || undefined },
        anonymous: true,
        tenantId: null,
      }),
  });
  if (approval.isPending) {
    return (
      <AuthLayout title="Approval request">
        <Skeleton className="h-32" />
      </AuthLayout>
    );
  }
  if (approval.isError) {
    return (
      <AuthLayout title="This link can't be used" subtitle={errorMessage(approval.error)}>
        <p className="text-sm text-muted">
          Approval links work once and expire with the request. Signed-in approvers can still decide from the Approvals page.
        </p>
      </AuthLayout>
    );
  }
  const a = decide.data ?? approval.data;
  const done = a.status !== "pending";
  return (
    <AuthLayout title={a.title} subtitle={`${a.workspace.name} · ${a.workflow_name}`}>
      <div className="space-y-4">
        <div className="flex items-center gap-2 text-sm">
          <Badge
            tone={a.status === "approved" ? "success" : a.status === "rejected" ? "danger" : a.status === "pending" ? "warning" : "neutral"}
          >
            {a.status}
          </Badge>
          {a.expires_at && !done && <span className="text-muted">until {formatDateTime(a.expires_at)}</span>}
        </div>
        {a.message && <p className="text-sm whitespace-pre-wrap">{a.message}</p>}
        <ApprovalContext value={a.context} />
        {done ? (
          <p role="status" className="rounded-lg bg-subtle px-3 py-2 text-sm">
            {decide.isSuccess
              ? `Thanks — you ${a.status === "approved" ? "approved" : "rejected"} this request.`
              : `This request was already ${a.status}.`}{" "}
            The workflow carries on from here.
          </p>
        ) : (
          <>
            <div className="space-y-1.5">
              <label htmlFor={commentId} className="block text-sm font-medium">
                Comment (optional)
              </label>
              <textarea
                id={commentId}
                value={comment}
                maxLength={2000}
                rows={3}
                onChange={(e) => setComment(e.target.value)}
                className="block w-full rounded-lg border border-line bg-surface px-3 py-2 text-sm shadow-sm focus-visible:outline-2 focus-visible:outline-accent"
              />
            </div>
            <div className="flex gap-2">
              <Button
                className="flex-1"
                onClick={() => decide.mutate("approved")}
                loading={decide.isPending && decide.variables === "approved"}
                disabled={decide.isPending}
              >
                Approve
              </Button>
              <Button
                variant="danger"
                className="flex-1"
                onClick={() => decide.mutate("rejected")}
                loading={decide.isPending && decide.variables === "rejected"}
                disabled={decide.isPending}
              >
                Reject
              </Button>
            </div>
            {decide.isError && (
              <p role="alert" className="text-sm text-danger">
                {errorMessage(decide.error)}
              </p>
            )}
          </>
        )}
      </div>
    </AuthLayout>
  );
}
