import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { api, ApiError, errorMessage, type Res } from "../../lib/api";
import { formatDateTime, formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button, buttonClass } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select } from "../ui/Field";
import { Menu } from "../ui/Menu";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../ui/Table";
import { toast } from "../ui/Toast";
import { PortalUserIcon } from "./icons";
import { ShareFileDialog } from "./ShareFileDialog";

type EndUser = Res<"GET /api/v1/end-users/{id}">;
type Pending = { kind: "delete" | "block"; user: EndUser } | null;

const SOURCE: Record<EndUser["source"], string> = {
  signup: "Signed up",
  code: "Email code",
  handover: "Your site",
  invite: "Invited",
  import: "Imported",
};

/** A workspace's end users: its customers' portal accounts — search, add, block, delete with their data. */
export function EndUsersPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const pager = useCursor();
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [blocked, setBlocked] = useState<"" | "true" | "false">("");
  const [pending, setPending] = useState<Pending>(null);
  const [adding, setAdding] = useState(false);
  const [sharing, setSharing] = useState<EndUser | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the typed search changes; a new search starts at page 1
  useEffect(() => {
    const t = setTimeout(() => {
      if (search.trim() === q) return;
      setQ(search.trim());
      pager.reset();
    }, 250);
    return () => clearTimeout(t);
  }, [search]);
  const query = { limit: 25, cursor: pager.cursor, q: q || undefined, blocked: blocked || undefined };
  const list = useQuery({
    queryKey: tkey(ws.id, "end-users", "list", query),
    queryFn: () => api("GET /api/v1/end-users", { query }),
    placeholderData: keepPreviousData,
  });
  const settings = useQuery({
    queryKey: tkey(ws.id, "end-users", "settings"),
    queryFn: () => api("GET /api/v1/end-users/portal-settings"),
  });
  const manage = ws.can("endusers:manage");
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "end-users") });

  const act = useMutation({
    mutationFn: async (a: { kind: "delete" | "block" | "unblock"; user: EndUser }) => {
      const params = { id: a.user.id };
      if (a.kind === "delete") return api("DELETE /api/v1/end-users/{id}", { params });
      if (a.kind === "block") return api("POST /api/v1/end-users/{id}/block", { params, body: {} });
      return api("POST /api/v1/end-users/{id}/unblock", { params });
    },
    onSuccess: (_r, a) => {
      setPending(null);
      refresh();
      const who = a.user.name || a.user.email;
      toast.success(
        a.kind === "delete" ? `${who} and their data were deleted` : a.kind === "block" ? `${who} is blocked` : `${who} is unblocked`,
      );
    },
    onError: (e) => {
      setPending(null);
      toast.error(errorMessage(e));
    },
  });

  const columns: Column<EndUser>[] = [
    {
      key: "who",
      header: "End user",
      cell: (u) => (
        <div className="min-w-0">
          <div className="truncate font-medium">{u.name || u.email}</div>
          {u.name && <div className="truncate text-xs text-muted">{u.email}</div>}
        </div>
      ),
    },
    {
      key: "status",
      header: "Status",
      cell: (u) =>
        u.blocked ? (
          <Badge tone="danger">Blocked</Badge>
        ) : u.email_verified ? (
          <Badge tone="success">Verified</Badge>
        ) : (
          <Badge tone="warning">Unverified</Badge>
        ),
    },
    { key: "source", header: "Joined by", hideOnMobile: true, cell: (u) => <span className="text-muted">{SOURCE[u.source]}</span> },
    {
      key: "seen",
      header: "Last seen",
      hideOnMobile: true,
      cell: (u) => (
        <span className="text-muted" title={formatDateTime(u.last_seen_at)}>
          {u.last_seen_at ? formatRelative(u.last_seen_at) : "never"}
        </span>
      ),
    },
    {
      key: "created",
      header: "Created",
      hideOnMobile: true,
      cell: (u) => <span className="text-muted">{formatDateTime(u.created_at)}</span>,
    },
    ...(manage
      ? [
          {
            key: "actions",
            header: "Actions",
            className: "w-12 text-right",
            cell: (u: EndUser) => (
              <Menu
                label={`Actions for ${u.name || u.email}`}
                buttonClassName="rounded-lg px-2 py-1 text-muted hover:bg-subtle hover:text-fg"
                button={
                  <>
                    <span aria-hidden="true">•••</span>
                    <span className="sr-only">Actions for {u.name || u.email}</span>
                  </>
                }
                items={[
                  u.blocked
                    ? { label: "Unblock", onSelect: () => act.mutate({ kind: "unblock", user: u }) }
                    : { label: "Block…", onSelect: () => setPending({ kind: "block", user: u }) },
                  { label: "Share a file…", onSelect: () => setSharing(u) },
                  { label: "Delete with their data…", danger: true, onSelect: () => setPending({ kind: "delete", user: u }) },
                ]}
              />
            ),
          },
        ]
      : []),
  ];

  const filtered = Boolean(q || blocked);
  const portalOff = settings.data && !settings.data.enabled;
  return (
    <>
      <PageHeader
        title="End users"
        description="Your customers' accounts: they sign in to your portal, your cart and your chat widget with their own email, separate from your team."
        actions={
          <>
            <Link to="/customers/portal" className={buttonClass("secondary")}>
              Portal settings
            </Link>
            {manage && <Button onClick={() => setAdding(true)}>Add end user</Button>}
          </>
        }
      />
      {portalOff && (
        <p className="mb-4 rounded-lg border border-warning/40 bg-warning-soft px-4 py-3 text-sm" role="status">
          The portal is off, so end users cannot sign in.{" "}
          <Link to="/customers/portal" className="font-medium text-accent hover:underline">
            Turn it on in portal settings
          </Link>
          .
        </p>
      )}
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        <div className="grid gap-3 border-b border-line p-4 sm:grid-cols-[1fr_12rem]">
          <Field label="Search end users">
            <Input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Email or name" />
          </Field>
          <Field label="Status">
            <Select
              value={blocked}
              onChange={(e) => {
                setBlocked(e.target.value as "" | "true" | "false");
                pager.reset();
              }}
            >
              <option value="">All</option>
              <option value="false">Active</option>
              <option value="true">Blocked</option>
            </Select>
          </Field>
        </div>
        {list.isPending ? (
          <TableSkeleton rows={4} />
        ) : list.isError ? (
          <p role="alert" className="p-4 text-sm text-danger">
            {errorMessage(list.error)}
          </p>
        ) : (
          <Table
            caption="End users"
            columns={columns}
            rows={list.data.data}
            rowKey={(u) => u.id}
            empty={
              filtered ? (
                <EmptyState title="No end users match">Try another search or status.</EmptyState>
              ) : (
                <EmptyState
                  icon={<PortalUserIcon />}
                  title="No end users yet"
                  action={
                    settings.data?.enabled ? (
                      <a href={settings.data.portal_url} target="_blank" rel="noopener" className={buttonClass("secondary")}>
                        Open your portal
                      </a>
                    ) : (
                      <Link to="/customers/portal" className={buttonClass("primary")}>
                        Set up the portal
                      </Link>
                    )
                  }
                >
                  Your customers appear here when they sign up on your portal, sign in with an emailed code, arrive from your own site, or
                  when you add them.
                </EmptyState>
              )
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
      </section>

      <Dialog
        open={pending !== null}
        onClose={() => setPending(null)}
        title={pending?.kind === "delete" ? "Delete this end user and their data?" : "Block this end user?"}
        description={
          pending?.kind === "delete"
            ? `${pending.user.email}: their account, sessions and what other modules keep about them are erased. This cannot be undone.`
            : `${pending?.user.email ?? ""} is signed out everywhere and cannot sign in until you unblock them.`
        }
        footer={
          <>
            <Button variant="secondary" onClick={() => setPending(null)}>
              Cancel
            </Button>
            <Button
              variant="danger"
              disabled={act.isPending}
              onClick={() => pending && act.mutate({ kind: pending.kind, user: pending.user })}
            >
              {pending?.kind === "delete" ? "Delete with their data" : "Block"}
            </Button>
          </>
        }
      />
      <AddEndUserDialog open={adding} onClose={() => setAdding(false)} onAdded={refresh} />
      <ShareFileDialog user={sharing} onClose={() => setSharing(null)} />
    </>
  );
}

function AddEndUserDialog({ open, onClose, onAdded }: { open: boolean; onClose: () => void; onAdded: () => void }) {
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [invite, setInvite] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const add = useMutation({
    mutationFn: () => api("POST /api/v1/end-users", { body: { email, name, send_invite: invite } }),
    onSuccess: (u) => {
      toast.success(invite ? `Added ${u.email} and emailed a sign-in link` : `Added ${u.email}`);
      setEmail("");
      setName("");
      setError(null);
      onAdded();
      onClose();
    },
    onError: (e) => (e instanceof ApiError ? setError(e) : toast.error(errorMessage(e))),
  });
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Add an end user"
      description="For an invite-only portal, or a customer you already know. They sign in with an emailed link or code."
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="add-end-user" disabled={add.isPending}>
            Add
          </Button>
        </>
      }
    >
      <form
        id="add-end-user"
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          add.mutate();
        }}
      >
        {error && !error.problem.errors && (
          <p role="alert" className="text-sm text-danger">
            {error.message}
          </p>
        )}
        <Field label="Email" error={error?.field("email")}>
          <Input type="email" required value={email} onChange={(e) => setEmail(e.target.value)} autoComplete="off" />
        </Field>
        <Field label="Name" error={error?.field("name")}>
          <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} />
        </Field>
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={invite} onChange={(e) => setInvite(e.target.checked)} className="size-4 accent-accent" />
          Email them a sign-in link (valid 7 days)
        </label>
      </form>
    </Dialog>
  );
}
