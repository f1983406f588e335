import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { useDebounced } from "../analytics/useDebounced";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card, PageHeader } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { type Column, Pager, Table, useCursor } from "../ui/Table";
import { type Member, TRUST_LEVELS, trustLabel } from "./client";
import { CommunityIcon } from "./icons";
import { MemberDialog } from "./MemberDialog";

export function sanctionOf(m: Pick<Member, "suspended_until" | "silenced_until">, now = Date.now()) {
  if (m.suspended_until && Date.parse(m.suspended_until) > now) return { kind: "suspended" as const, until: m.suspended_until };
  if (m.silenced_until && Date.parse(m.silenced_until) > now) return { kind: "silenced" as const, until: m.silenced_until };
  return null;
}

/** Community members (customers and staff): search, trust level and sanction filters; a member's page for actions. */
export function MembersPage() {
  const ws = useWorkspace();
  const pager = useCursor();
  const [search, setSearch] = useState("");
  const [trust, setTrust] = useState("");
  const [sanctioned, setSanctioned] = useState<"" | "true">("");
  const [open, setOpen] = useState<string | null>(null);
  const q = useDebounced(search.trim(), 300);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts at page 1
  useEffect(() => pager.reset(), [q, trust, sanctioned]);
  const query = {
    q: q || undefined,
    trust: trust === "" ? undefined : Number(trust),
    sanctioned: sanctioned || undefined,
    cursor: pager.cursor,
    limit: 25,
  };
  const list = useQuery({
    queryKey: tkey(ws.id, "forum", "members", query),
    queryFn: () => api("GET /api/v1/forum/members", { query }),
    placeholderData: keepPreviousData,
  });
  const filtered = Boolean(q || trust || sanctioned);
  const columns: Column<Member>[] = [
    {
      key: "name",
      header: "Member",
      cell: (m) => (
        <button
          type="button"
          onClick={() => setOpen(m.id)}
          className="min-w-0 text-left hover:underline focus-visible:outline-2 focus-visible:outline-accent"
        >
          <span className="block font-medium">{m.display_name}</span>
          <span className="block text-xs text-muted">@{m.username}</span>
        </button>
      ),
    },
    {
      key: "role",
      header: "Trust",
      cell: (m) => {
        const s = sanctionOf(m);
        return (
          <span className="flex flex-wrap items-center gap-1">
            <span className="whitespace-nowrap">{trustLabel(m.trust_level)}</span>
            {m.kind === "staff" ? <Badge tone="accent">Staff</Badge> : m.moderator ? <Badge tone="success">Moderator</Badge> : null}
            {s && <Badge tone="danger">{s.kind === "suspended" ? "Suspended" : "Silenced"}</Badge>}
          </span>
        );
      },
    },
    {
      key: "posts",
      header: "Posts",
      cell: (m) => <span className="tabular-nums">{m.post_count}</span>,
      className: "text-right",
      hideOnMobile: true,
    },
    {
      key: "rep",
      header: "Reputation",
      cell: (m) => <span className="tabular-nums">{m.reputation}</span>,
      className: "text-right",
      hideOnMobile: true,
    },
    {
      key: "seen",
      header: "Last seen",
      cell: (m) => <span className="whitespace-nowrap text-muted">{m.last_seen_at ? formatRelative(m.last_seen_at) : "—"}</span>,
      hideOnMobile: true,
    },
    {
      key: "open",
      header: "",
      cell: (m) => (
        <Button size="sm" variant="secondary" onClick={() => setOpen(m.id)} aria-label={`Open ${m.display_name}`}>
          Open
        </Button>
      ),
      className: "text-right",
    },
  ];
  return (
    <>
      <PageHeader title="Members" description="Everyone who has taken part: trust levels, badges and sanctions." />
      <div className="mb-4 grid gap-3 sm:grid-cols-3">
        <Field label="Search">
          <Input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name or @username" />
        </Field>
        <Field label="Trust level">
          <Select value={trust} onChange={(e) => setTrust(e.target.value)}>
            <option value="">Any level</option>
            {TRUST_LEVELS.map((_, n) => (
              <option key={trustLabel(n)} value={n}>
                {trustLabel(n)}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Sanctions">
          <Select value={sanctioned} onChange={(e) => setSanctioned(e.target.value as "" | "true")}>
            <option value="">Everyone</option>
            <option value="true">Suspended or silenced now</option>
          </Select>
        </Field>
      </div>
      {list.isError && (
        <p role="alert" className="mb-4 text-sm text-danger">
          {errorMessage(list.error)}
        </p>
      )}
      <Card bodyClassName="p-0">
        {list.isLoading ? (
          <TableSkeleton />
        ) : (
          <Table
            caption="Community members"
            columns={columns}
            rows={list.data?.data ?? []}
            rowKey={(m) => m.id}
            empty={
              <EmptyState icon={<CommunityIcon className="size-6" />} title={filtered ? "No member matches" : "No members yet"}>
                {filtered ? "Try other filters." : "Customers become members the first time they post, react or flag in the community."}
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
      </Card>
      {open && <MemberDialog id={open} onClose={() => setOpen(null)} />}
    </>
  );
}
