import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatDateTime, formatRelative, humanizeAction } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { EmptyState } from "../ui/EmptyState";
import { TableSkeleton } from "../ui/Skeleton";
import { type Column, Pager, Table, useCursor } from "../ui/Table";
import { toast } from "../ui/Toast";
import type { ModAction } from "./client";
import { FlagIcon } from "./icons";

/** Every moderation action, newest first; Reverse (confirmed) writes the opposite action. */
export function ModerationLog({ canReverse }: { canReverse: boolean }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const pager = useCursor();
  const [reversing, setReversing] = useState<ModAction | null>(null);
  const query = { cursor: pager.cursor, limit: 25 };
  const list = useQuery({
    queryKey: tkey(ws.id, "forum", "actions", query),
    queryFn: () => api("GET /api/v1/forum/moderation/actions", { query }),
    placeholderData: keepPreviousData,
  });
  const reverse = useMutation({
    mutationFn: (a: ModAction) => api("POST /api/v1/forum/moderation/actions/{id}/reverse", { params: { id: a.id } }),
    onSuccess: () => {
      setReversing(null);
      toast.success("Reversed");
      for (const k of ["queue", "actions", "activity", "topic", "topics", "members"])
        void qc.invalidateQueries({ queryKey: tkey(ws.id, "forum", k) });
    },
    onError: (e) => {
      setReversing(null);
      toast.error(errorMessage(e));
    },
  });
  const columns: Column<ModAction>[] = [
    {
      key: "action",
      header: "Action",
      cell: (a) => (
        <span className="flex flex-wrap items-center gap-2">
          <span className="font-medium">{humanizeAction(a.action)}</span>
          <span className="text-muted">
            {a.target_kind} <code className="text-xs">{a.target_id}</code>
          </span>
          {a.reversed_at && <Badge>Reversed</Badge>}
        </span>
      ),
    },
    {
      key: "by",
      header: "By",
      cell: (a) => (a.actor_id === "ai" ? <Badge tone="accent">AI</Badge> : (a.actor?.display_name ?? a.actor_id)),
    },
    { key: "reason", header: "Reason", cell: (a) => <span className="text-muted">{a.reason ?? "—"}</span>, hideOnMobile: true },
    {
      key: "when",
      header: "When",
      cell: (a) => (
        <span className="whitespace-nowrap text-muted" title={formatDateTime(a.created_at)}>
          {formatRelative(a.created_at)}
        </span>
      ),
    },
    {
      key: "reverse",
      header: "",
      cell: (a) =>
        canReverse && !a.reversed_at ? (
          <Button size="sm" variant="secondary" onClick={() => setReversing(a)}>
            Reverse
          </Button>
        ) : null,
      className: "text-right",
    },
  ];
  if (list.isError)
    return (
      <p role="alert" className="text-sm text-danger">
        {errorMessage(list.error)}
      </p>
    );
  return (
    <Card bodyClassName="p-0">
      {list.isLoading ? (
        <TableSkeleton />
      ) : (
        <Table
          caption="Moderation log"
          columns={columns}
          rows={list.data?.data ?? []}
          rowKey={(a) => a.id}
          empty={
            <EmptyState icon={<FlagIcon className="size-6" />} title="No moderation actions yet">
              Approvals, hidden posts, suspensions and every other moderation action show here.
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
      <Dialog
        open={reversing !== null}
        onClose={() => setReversing(null)}
        title={`Reverse “${reversing ? humanizeAction(reversing.action) : ""}”?`}
        description="The opposite action is applied and logged; this entry is marked reversed."
        size="sm"
        footer={
          <>
            <Button variant="secondary" onClick={() => setReversing(null)}>
              Cancel
            </Button>
            <Button loading={reverse.isPending} onClick={() => reversing && reverse.mutate(reversing)}>
              Reverse
            </Button>
          </>
        }
      />
    </Card>
  );
}
