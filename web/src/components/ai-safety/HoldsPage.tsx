import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatDateTime, formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { call, type Page } from "../sales/request";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, useCursor } from "../ui/Table";
import { Tabs } from "../ui/Tabs";
import { toast } from "../ui/Toast";
import { ShieldIcon } from "../icons";
import type { Hold } from "./types";

/** What the guardrails held, waiting for a person: approving releases it to its surface (a held draft is scheduled). */
export function HoldsPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const pager = useCursor();
  const [status, setStatus] = useState<Hold["status"]>("pending");
  const [comment, setComment] = useState<Record<string, string>>({});
  const query = { limit: 20, cursor: pager.cursor, status };
  const list = useQuery({
    queryKey: tkey(ws.id, "ai-safety", "holds", query),
    queryFn: () => call<Page<Hold>>("GET", "/ai/holds", { query }),
    placeholderData: keepPreviousData,
  });
  const decide = useMutation({
    mutationFn: ({ hold, decision }: { hold: Hold; decision: "approve" | "reject" }) =>
      call("POST", `/ai/holds/${hold.id}/${decision}`, { body: { comment: comment[hold.id]?.trim() || undefined } }),
    onSuccess: (_r, v) => {
      toast.success(v.decision === "approve" ? "Approved and released." : "Rejected.");
      qc.invalidateQueries({ queryKey: tkey(ws.id, "ai-safety") });
      qc.invalidateQueries({ queryKey: tkey(ws.id, "outreach") });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const canDecide = ws.can("ai:manage") || ws.can("sales:approve");
  return (
    <>
      <PageHeader
        title="Approval queue"
        description="AI outputs a guardrail held (a price claim, a blocked phrase…). Approve to release, reject to drop."
      />
      <Tabs
        label="Hold status"
        value={status}
        onChange={(s) => {
          setStatus(s);
          pager.reset();
        }}
        items={[
          { key: "pending", label: "Waiting" },
          { key: "approved", label: "Approved" },
          { key: "rejected", label: "Rejected" },
        ]}
      >
        {list.isPending ? (
          <TableSkeleton rows={3} />
        ) : list.isError ? (
          <p role="alert" className="text-sm text-danger">
            {errorMessage(list.error)}
          </p>
        ) : list.data.data.length === 0 ? (
          <EmptyState icon={<ShieldIcon />} title={status === "pending" ? "Nothing waiting" : "None"}>
            When a rule holds an AI output it waits here for a person.
          </EmptyState>
        ) : (
          <ul className="space-y-4">
            {list.data.data.map((h) => (
              <li key={h.id} className="rounded-xl border border-line bg-surface p-4 shadow-sm">
                <div className="mb-2 flex flex-wrap items-center gap-2 text-sm">
                  <Badge tone="accent">{h.surface}</Badge>
                  <span className="text-muted">
                    {h.ref_type} · <span title={formatDateTime(h.created_at)}>{formatRelative(h.created_at)}</span>
                  </span>
                </div>
                <p className="mb-2 flex flex-wrap gap-1.5 text-xs">
                  {h.rules_fired.map((r) => (
                    <Badge key={`${r.rule}:${r.match}`} tone="warning">
                      {r.rule}: “{r.match}”
                    </Badge>
                  ))}
                </p>
                <pre className="max-h-64 overflow-auto rounded-lg bg-subtle p-3 text-sm whitespace-pre-wrap">{h.content}</pre>
                {h.status === "pending" && canDecide ? (
                  <div className="mt-3 flex flex-wrap items-end gap-2">
                    <Field label="Comment (optional)" className="min-w-48 flex-1">
                      <Input value={comment[h.id] ?? ""} onChange={(e) => setComment((c) => ({ ...c, [h.id]: e.target.value }))} />
                    </Field>
                    <Button
                      variant="secondary"
                      loading={decide.isPending && decide.variables?.hold.id === h.id && decide.variables.decision === "reject"}
                      onClick={() => decide.mutate({ hold: h, decision: "reject" })}
                    >
                      Reject
                    </Button>
                    <Button
                      loading={decide.isPending && decide.variables?.hold.id === h.id && decide.variables.decision === "approve"}
                      onClick={() => decide.mutate({ hold: h, decision: "approve" })}
                    >
                      Approve
                    </Button>
                  </div>
                ) : (
                  h.status !== "pending" && (
                    <p className="mt-2 text-sm text-muted">
                      {h.status} {formatRelative(h.decided_at)}
                      {h.comment ? ` · “${h.comment}”` : ""}
                    </p>
                  )
                )}
              </li>
            ))}
          </ul>
        )}
        <Pager
          page={pager.page}
          hasPrev={pager.hasPrev}
          hasNext={Boolean(list.data?.next_cursor)}
          onPrev={pager.prev}
          onNext={() => pager.next(list.data?.next_cursor)}
        />
      </Tabs>
    </>
  );
}
