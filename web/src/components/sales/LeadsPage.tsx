import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { errorMessage } from "../../lib/api";
import { formatDateTime, formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button, buttonClass } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../ui/Table";
import { LeadIcon } from "./icons";
import { LeadBulkBar } from "./LeadBulkBar";
import { LeadDialog } from "./LeadDialog";
import { call, downloadCsv, type Page } from "./request";
import { ScoreBadge } from "./ScoreBadge";
import { type Lead, LEAD_STATUSES, leadName, type LeadStatus, STATUS_LABEL, STATUS_TONE } from "./types";

const BANDS = [
  { key: "", label: "Any score", min: undefined },
  { key: "hot", label: "Hot (70+)", min: 70 },
  { key: "warm", label: "Warm (40+)", min: 40 },
] as const;

/** Leads, best score first: search, status / score / tag filters, cursor pages, bulk enrol or tag. */
export function LeadsPage() {
  const ws = useWorkspace();
  const pager = useCursor();
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [status, setStatus] = useState<"" | LeadStatus>("");
  const [band, setBand] = useState<"" | "hot" | "warm">("");
  const [tag, setTag] = useState("");
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [creating, setCreating] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the typed search changes; a new search starts at page 1
  useEffect(() => {
    const t = setTimeout(() => {
      if (search.trim() === q) return;
      setQ(search.trim());
      pager.reset();
    }, 250);
    return () => clearTimeout(t);
  }, [search]);
  const query = {
    limit: 25,
    cursor: pager.cursor,
    q: q || undefined,
    status: status || undefined,
    min_score: BANDS.find((b) => b.key === band)?.min,
    tag: tag.trim() || undefined,
    sort: "-score",
  };
  const list = useQuery({
    queryKey: tkey(ws.id, "sales", "leads", query),
    queryFn: () => call<Page<Lead>>("GET", "/sales/leads", { query }),
    placeholderData: keepPreviousData,
  });
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      pager.reset();
      setSelected(new Set());
    };
  const rows = list.data?.data ?? [];
  const toggle = (id: string) =>
    setSelected((s) => {
      const n = new Set(s);
      n.has(id) ? n.delete(id) : n.add(id);
      return n;
    });
  const allOnPage = rows.length > 0 && rows.every((r) => selected.has(r.id));

  const columns: Column<Lead>[] = [
    {
      key: "select",
      header: "Select",
      className: "w-10",
      cell: (l) => (
        <input
          type="checkbox"
          className="size-4 accent-[var(--color-accent)]"
          checked={selected.has(l.id)}
          onChange={() => toggle(l.id)}
          aria-label={`Select ${leadName(l)}`}
        />
      ),
    },
    {
      key: "name",
      header: "Lead",
      sort: (l) => leadName(l),
      cell: (l) => (
        <div className="min-w-0 max-w-64">
          <Link to="/sales/leads/$id" params={{ id: l.id }} className="font-medium text-accent hover:underline">
            {leadName(l)}
          </Link>
          <span className="block truncate text-xs text-muted">{[l.title, l.email].filter(Boolean).join(" · ")}</span>
        </div>
      ),
    },
    {
      key: "company",
      header: "Company",
      hideOnMobile: true,
      cell: (l) => (
        <div className="min-w-0 max-w-48">
          <div className="truncate">{l.company_name || l.domain || "—"}</div>
          {l.industry && <div className="truncate text-xs text-muted">{l.industry}</div>}
        </div>
      ),
    },
    { key: "score", header: "Score", sort: (l) => l.score ?? -1, cell: (l) => <ScoreBadge score={l.score} /> },
    {
      key: "status",
      header: "Status",
      hideOnMobile: true,
      cell: (l) => <Badge tone={STATUS_TONE[l.status]}>{STATUS_LABEL[l.status]}</Badge>,
    },
    {
      key: "tags",
      header: "Tags",
      hideOnMobile: true,
      cell: (l) => <span className="block max-w-40 truncate text-xs text-muted">{l.tags.join(", ") || "—"}</span>,
    },
    {
      key: "created",
      header: "Added",
      hideOnMobile: true,
      sort: (l) => l.created_at,
      cell: (l) => (
        <span className="whitespace-nowrap text-muted" title={formatDateTime(l.created_at)}>
          {formatRelative(l.created_at)}
        </span>
      ),
    },
  ];

  const filtered = Boolean(q || status || band || tag);
  return (
    <>
      <PageHeader
        title="Leads"
        description="People you sell to, scored 0–100 against your ideal customer profile. Open one for its timeline, tasks and deals."
        actions={
          <>
            <Link to="/sales/import" className={buttonClass("secondary")}>
              Import CSV
            </Link>
            {ws.can("sales:manage") && (
              <Button
                variant="secondary"
                onClick={() => downloadCsv("/sales/leads/export", { q, status, tag }, "leads.csv").catch(() => undefined)}
              >
                Export
              </Button>
            )}
            {ws.can("sales:write") && <Button onClick={() => setCreating(true)}>New lead</Button>}
          </>
        }
      />
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        <div className="grid grid-cols-2 gap-3 border-b border-line p-4 lg:grid-cols-[1fr_10rem_10rem_10rem]">
          <Field label="Search leads" className="col-span-2 lg:col-span-1">
            <Input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Name, email, company or domain" />
          </Field>
          <Field label="Status">
            <Select value={status} onChange={(e) => filter(setStatus)(e.target.value as "" | LeadStatus)}>
              <option value="">Any</option>
              {LEAD_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABEL[s]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Score">
            <Select value={band} onChange={(e) => filter(setBand)(e.target.value as "" | "hot" | "warm")}>
              {BANDS.map((b) => (
                <option key={b.key} value={b.key}>
                  {b.label}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Tag">
            <Input value={tag} onChange={(e) => filter(setTag)(e.target.value)} placeholder="e.g. webinar" />
          </Field>
        </div>
        {rows.length > 0 && (
          <LeadBulkBar
            selected={rows.filter((r) => selected.has(r.id))}
            allOnPage={allOnPage}
            onToggleAll={() => setSelected(allOnPage ? new Set() : new Set(rows.map((r) => r.id)))}
            onDone={() => setSelected(new Set())}
          />
        )}
        {list.isPending ? (
          <TableSkeleton rows={6} />
        ) : list.isError ? (
          <p role="alert" className="p-4 text-sm text-danger">
            {errorMessage(list.error)}
          </p>
        ) : (
          <Table
            caption="Leads"
            columns={columns}
            rows={rows}
            rowKey={(l) => l.id}
            empty={
              filtered ? (
                <EmptyState title="No leads match">Try another name, status, score band or tag.</EmptyState>
              ) : (
                <EmptyState
                  icon={<LeadIcon />}
                  title="No leads yet"
                  action={
                    <Link to="/sales/import" className={buttonClass("primary")}>
                      Import a CSV
                    </Link>
                  }
                >
                  Import a CSV of contacts or add one by hand. Each lead is scored against your ideal customer profile as it arrives.
                </EmptyState>
              )
            }
          />
        )}
        <Pager
          page={pager.page}
          hasPrev={pager.hasPrev}
          hasNext={Boolean(list.data?.next_cursor)}
          onPrev={() => {
            pager.prev();
            setSelected(new Set());
          }}
          onNext={() => {
            pager.next(list.data?.next_cursor);
            setSelected(new Set());
          }}
        />
      </section>
      <LeadDialog open={creating} onClose={() => setCreating(false)} />
    </>
  );
}
