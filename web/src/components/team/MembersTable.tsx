import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useNavigate } from "@tanstack/react-router";
import { useDeferredValue, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import type { Member } from "../../lib/api-types";
import { meQuery, useMe } from "../../lib/auth";
import { formatDate, initials } from "../../lib/format";
import { q } from "../../lib/queries";
import { tkey, useWorkspace, type Role } from "../../lib/workspace";
import { UsersIcon } from "../icons";
import { Badge, roleTone } from "../ui/Badge";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select } from "../ui/Field";
import { Menu, type MenuItem } from "../ui/Menu";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../ui/Table";
import { toast } from "../ui/Toast";
import { ConfirmDialog } from "./ConfirmDialog";
import { grantableRoles } from "./InviteDialog";

type Pending = { kind: "remove" | "transfer" | "leave"; member: Member } | null;
const RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1, viewer: 0 };

export function MembersTable() {
  const ws = useWorkspace();
  const { data: me } = useMe();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const [search, setSearch] = useState("");
  const [role, setRole] = useState<Role | "">("");
  const term = useDeferredValue(search.trim());
  const pager = useCursor();
  const query = { limit: 25, cursor: pager.cursor, q: term || undefined, role: role || undefined };
  const members = useQuery(q.members(ws.id, query));
  const [pending, setPending] = useState<Pending>(null);
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "members") });

  const changeRole = useMutation({
    mutationFn: (v: { userId: string; role: Role }) =>
      api("PATCH /api/v1/members/{userId}", { params: { userId: v.userId }, body: { role: v.role } }),
    onSuccess: (m) => (toast.success(`${m.name} is now ${m.role}`), refresh()),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const act = useMutation({
    mutationFn: async (p: NonNullable<Pending>) => {
      if (p.kind === "remove") await api("DELETE /api/v1/members/{userId}", { params: { userId: p.member.user_id } });
      if (p.kind === "transfer") await api("POST /api/v1/tenant/transfer-ownership", { body: { user_id: p.member.user_id } });
      if (p.kind === "leave") await api("POST /api/v1/members/leave");
      return p;
    },
    onSuccess: async (p) => {
      setPending(null);
      toast.success(
        p.kind === "remove"
          ? `Removed ${p.member.name}`
          : p.kind === "transfer"
            ? `${p.member.name} is now the owner`
            : `You left ${ws.name}`,
      );
      await qc.invalidateQueries({ queryKey: meQuery.queryKey });
      if (p.kind === "leave") navigate({ to: "/" });
      else refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });

  // Admins cannot touch owners or grant owner; nobody edits themselves here.
  const canManage = (m: Member) =>
    m.user_id !== me?.user.id && RANK[m.role] <= RANK[ws.role] && !(ws.role !== "owner" && m.role === "owner");

  const columns: Column<Member>[] = [
    {
      key: "name",
      header: "Member",
      sort: (m) => m.name.toLowerCase(),
      className: "max-w-[11rem] sm:max-w-none",
      cell: (m) => (
        <div className="flex items-center gap-3">
          <span
            aria-hidden="true"
            className="flex size-8 shrink-0 items-center justify-center rounded-full bg-subtle text-xs font-semibold"
          >
            {initials(m.name)}
          </span>
          <div className="min-w-0">
            <p className="truncate font-medium">
              {m.name}
              {m.user_id === me?.user.id && <span className="text-muted"> (you)</span>}
            </p>
            <p className="truncate text-xs text-muted">{m.email}</p>
          </div>
        </div>
      ),
    },
    {
      key: "role",
      header: "Role",
      sort: (m) => RANK[m.role],
      cell: (m) =>
        ws.can("members:update") && canManage(m) ? (
          <Select
            aria-label={`Role of ${m.name}`}
            value={m.role}
            className="h-8 w-28"
            disabled={changeRole.isPending}
            onChange={(e) => changeRole.mutate({ userId: m.user_id, role: e.target.value as Role })}
          >
            {grantableRoles(ws.role).map((r) => (
              <option key={r} value={r}>
                {r.charAt(0).toUpperCase() + r.slice(1)}
              </option>
            ))}
          </Select>
        ) : (
          <Badge tone={roleTone(m.role)}>{m.role}</Badge>
        ),
    },
    {
      key: "joined",
      header: "Joined",
      sort: (m) => m.joined_at,
      hideOnMobile: true,
      cell: (m) => <span className="text-muted">{formatDate(m.joined_at)}</span>,
    },
    {
      key: "actions",
      header: "Actions",
      className: "w-12 text-right",
      cell: (m) => {
        const items: MenuItem[] = [];
        if (m.user_id === me?.user.id)
          items.push({ label: "Leave workspace", danger: true, onSelect: () => setPending({ kind: "leave", member: m }) });
        if (ws.can("ownership:transfer") && m.user_id !== me?.user.id && m.role !== "owner")
          items.push({ label: "Make owner", onSelect: () => setPending({ kind: "transfer", member: m }) });
        if (ws.can("members:remove") && canManage(m))
          items.push({ label: "Remove from workspace", danger: true, onSelect: () => setPending({ kind: "remove", member: m }) });
        if (!items.length) return null;
        return (
          <Menu
            label={`Actions for ${m.name}`}
            items={items}
            buttonClassName="rounded-lg px-2 py-1 text-muted hover:bg-subtle hover:text-fg"
            button={
              <>
                <span aria-hidden="true">•••</span>
                <span className="sr-only">Actions for {m.name}</span>
              </>
            }
          />
        );
      },
    },
  ];

  return (
    <div>
      <div className="flex flex-wrap gap-3 border-b border-line p-4">
        <Field label="Search members" hideLabel className="min-w-48 flex-1">
          <Input
            type="search"
            placeholder="Search by name or email"
            value={search}
            onChange={(e) => (setSearch(e.target.value), pager.reset())}
          />
        </Field>
        <Field label="Filter by role" hideLabel className="w-40">
          <Select value={role} onChange={(e) => (setRole(e.target.value as Role | ""), pager.reset())}>
            <option value="">All roles</option>
            <option value="owner">Owners</option>
            <option value="admin">Admins</option>
            <option value="member">Members</option>
            <option value="viewer">Viewers</option>
          </Select>
        </Field>
      </div>
      {members.isPending ? (
        <TableSkeleton />
      ) : members.isError ? (
        <p role="alert" className="p-4 text-sm text-danger">
          {errorMessage(members.error)}
        </p>
      ) : (
        <Table
          caption="Workspace members"
          columns={columns}
          rows={members.data.data}
          rowKey={(m) => m.user_id}
          empty={
            <EmptyState icon={<UsersIcon />} title="No members match">
              Try another search or role filter.
            </EmptyState>
          }
        />
      )}
      <Pager
        page={pager.page}
        hasPrev={pager.hasPrev}
        hasNext={Boolean(members.data?.next_cursor)}
        onPrev={pager.prev}
        onNext={() => pager.next(members.data?.next_cursor)}
      />
      <ConfirmDialog
        open={pending !== null}
        onClose={() => setPending(null)}
        busy={act.isPending}
        danger={pending?.kind !== "transfer"}
        title={
          pending?.kind === "remove"
            ? `Remove ${pending.member.name}?`
            : pending?.kind === "transfer"
              ? `Make ${pending?.member.name} the owner?`
              : `Leave ${ws.name}?`
        }
        confirmLabel={
          pending?.kind === "remove" ? "Remove member" : pending?.kind === "transfer" ? "Transfer ownership" : "Leave workspace"
        }
        onConfirm={() => pending && act.mutate(pending)}
      >
        {pending?.kind === "remove" && "They lose access to this workspace immediately. You can invite them again later."}
        {pending?.kind === "transfer" && "They become an owner and you become an admin. This can only be undone by them."}
        {pending?.kind === "leave" && "You lose access to this workspace until someone invites you again."}
      </ConfirmDialog>
    </div>
  );
}
