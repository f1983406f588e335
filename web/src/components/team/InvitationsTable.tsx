import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import type { Invitation } from "../../lib/api-types";
import { formatDate, formatRelative } from "../../lib/format";
import { q } from "../../lib/queries";
import { tkey, useWorkspace } from "../../lib/workspace";
import { MailIcon } from "../icons";
import { Badge, roleTone } from "../ui/Badge";
import { Button } from "../ui/Button";
import { EmptyState } from "../ui/EmptyState";
import { Field, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../ui/Table";
import { toast } from "../ui/Toast";
import { ConfirmDialog } from "./ConfirmDialog";

type Status = Invitation["status"];
const statusTone = { pending: "warning", accepted: "success", revoked: "neutral", expired: "danger" } as const;

export function InvitationsTable({ onInvite }: { onInvite: () => void }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [status, setStatus] = useState<Status | "">("pending");
  const pager = useCursor();
  const list = useQuery(q.invitations(ws.id, { limit: 25, cursor: pager.cursor, status: status || undefined }));
  const [revoking, setRevoking] = useState<Invitation | null>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "invitations") });
  const resend = useMutation({
    mutationFn: (id: string) => api("POST /api/v1/invitations/{id}/resend", { params: { id } }),
    onSuccess: (inv) => (toast.success(`Invitation re-sent to ${inv.email}`), refresh()),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api("DELETE /api/v1/invitations/{id}", { params: { id } }),
    onSuccess: () => (toast.success("Invitation revoked"), setRevoking(null), refresh()),
    onError: (e) => toast.error(errorMessage(e)),
  });

  const columns: Column<Invitation>[] = [
    { key: "email", header: "Email", sort: (i) => i.email, cell: (i) => <span className="font-medium">{i.email}</span> },
    { key: "role", header: "Role", sort: (i) => i.role, cell: (i) => <Badge tone={roleTone(i.role)}>{i.role}</Badge> },
    { key: "status", header: "Status", cell: (i) => <Badge tone={statusTone[i.status]}>{i.status}</Badge> },
    {
      key: "sent",
      header: "Last sent",
      sort: (i) => i.last_sent_at,
      hideOnMobile: true,
      cell: (i) => <span className="text-muted">{formatRelative(i.last_sent_at)}</span>,
    },
    {
      key: "expires",
      header: "Expires",
      sort: (i) => i.expires_at,
      hideOnMobile: true,
      cell: (i) => <span className="text-muted">{formatDate(i.expires_at)}</span>,
    },
    {
      key: "actions",
      header: "Actions",
      className: "text-right",
      cell: (i) =>
        i.status === "pending" ? (
          <div className="flex justify-end gap-1">
            <Button
              size="sm"
              variant="ghost"
              loading={resend.isPending && resend.variables === i.id}
              onClick={() => resend.mutate(i.id)}
              aria-label={`Resend invitation to ${i.email}`}
            >
              Resend
            </Button>
            <Button
              size="sm"
              variant="ghost"
              className="text-danger"
              onClick={() => setRevoking(i)}
              aria-label={`Revoke invitation to ${i.email}`}
            >
              Revoke
            </Button>
          </div>
        ) : null,
    },
  ];

  return (
    <div>
      <div className="flex flex-wrap items-end justify-between gap-3 border-b border-line p-4">
        <Field label="Status" hideLabel className="w-44">
          <Select value={status} onChange={(e) => (setStatus(e.target.value as Status | ""), pager.reset())}>
            <option value="pending">Pending</option>
            <option value="accepted">Accepted</option>
            <option value="expired">Expired</option>
            <option value="revoked">Revoked</option>
            <option value="">All invitations</option>
          </Select>
        </Field>
      </div>
      {list.isPending ? (
        <TableSkeleton />
      ) : list.isError ? (
        <p role="alert" className="p-4 text-sm text-danger">
          {errorMessage(list.error)}
        </p>
      ) : (
        <Table
          caption="Invitations"
          columns={columns}
          rows={list.data.data}
          rowKey={(i) => i.id}
          empty={
            <EmptyState
              icon={<MailIcon />}
              title={status === "pending" ? "No pending invitations" : "No invitations"}
              action={<Button onClick={onInvite}>Invite a teammate</Button>}
            >
              Invite teammates by email; they'll appear here until they accept.
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
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        busy={revoke.isPending}
        title="Revoke this invitation?"
        confirmLabel="Revoke invitation"
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
      >
        The link sent to {revoking?.email} will stop working.
      </ConfirmDialog>
    </div>
  );
}
