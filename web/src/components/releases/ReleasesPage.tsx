import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { buttonClass } from "../ui/Button";
import { PageHeader } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../ui/Table";
import { StatusBadge, TYPES, TypeBadge, type ReleaseNote, type ReleaseStatus, type ReleaseType } from "./common";
import { MegaphoneIcon } from "./icons";

/** The release notes of the workspace: every status, filters, title search, and the way to the editor and the public changelog. */
export function ReleasesPage() {
  const ws = useWorkspace();
  const pager = useCursor();
  const [status, setStatus] = useState<ReleaseStatus | "">("");
  const [type, setType] = useState<ReleaseType | "">("");
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  // Search as you type, a moment after the last key.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the typed search changes; a new search starts at page 1
  useEffect(() => {
    const t = setTimeout(() => {
      if (search.trim() === q) return;
      setQ(search.trim());
      pager.reset();
    }, 250);
    return () => clearTimeout(t);
  }, [search]);
  const query = { limit: 25, cursor: pager.cursor, status: status || undefined, type: type || undefined, q: q || undefined };
  const notes = useQuery({
    queryKey: tkey(ws.id, "releases", "list", query),
    queryFn: () => api("GET /api/v1/releases", { query }),
    placeholderData: keepPreviousData,
  });
  const write = ws.can("releases:write");
  const filtered = Boolean(status || type || q);

  const columns: Column<ReleaseNote>[] = [
    {
      key: "title",
      header: "Release note",
      cell: (n) => (
        <Link to="/releases/$id" params={{ id: n.id }} className="font-medium text-accent hover:underline">
          {n.title}
          {n.version && <span className="ml-1.5 font-normal text-muted">{n.version}</span>}
        </Link>
      ),
    },
    { key: "type", header: "Type", cell: (n) => <TypeBadge type={n.type} /> },
    {
      key: "status",
      header: "Status",
      cell: (n) => (
        <span className="inline-flex items-center gap-1.5">
          <StatusBadge status={n.status} />
          {n.featured && <span className="text-xs text-muted">featured</span>}
        </span>
      ),
    },
    {
      key: "when",
      header: "Published / due",
      hideOnMobile: true,
      cell: (n) => (
        <span className="text-muted">
          {n.status === "published"
            ? formatDateTime(n.published_at)
            : n.status === "scheduled"
              ? `due ${formatDateTime(n.publish_at)}`
              : "—"}
        </span>
      ),
    },
    {
      key: "updated",
      header: "Edited",
      hideOnMobile: true,
      cell: (n) => <span className="text-muted">{formatDateTime(n.updated_at)}</span>,
    },
  ];

  return (
    <>
      <PageHeader
        title="Release notes"
        description="What changed in your product: published notes appear on your public changelog, its Atom and RSS feeds, your members' What's new and your site's own widget."
        actions={
          <>
            <a href={`/changelog/${ws.slug}`} target="_blank" rel="noopener" className={buttonClass("secondary")}>
              Public changelog
            </a>
            {write && (
              <Link to="/releases/$id" params={{ id: "new" }} className={buttonClass("primary")}>
                New release note
              </Link>
            )}
          </>
        }
      />
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        <div className="grid gap-3 border-b border-line p-4 sm:grid-cols-[1fr_12rem_12rem]">
          <Field label="Search titles">
            <Input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Title or version" />
          </Field>
          <Field label="Status">
            <Select
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as ReleaseStatus | "");
                pager.reset();
              }}
            >
              <option value="">All</option>
              <option value="draft">Draft</option>
              <option value="scheduled">Scheduled</option>
              <option value="published">Published</option>
            </Select>
          </Field>
          <Field label="Type">
            <Select
              value={type}
              onChange={(e) => {
                setType(e.target.value as ReleaseType | "");
                pager.reset();
              }}
            >
              <option value="">All</option>
              {TYPES.map((t) => (
                <option key={t.value} value={t.value}>
                  {t.label}
                </option>
              ))}
            </Select>
          </Field>
        </div>
        {notes.isPending ? (
          <TableSkeleton rows={4} />
        ) : notes.isError ? (
          <p role="alert" className="p-4 text-sm text-danger">
            {errorMessage(notes.error)}
          </p>
        ) : (
          <Table
            caption="Release notes"
            columns={columns}
            rows={notes.data.data}
            rowKey={(n) => n.id}
            empty={
              filtered ? (
                <EmptyState title="No release notes match">Try another status, type or search.</EmptyState>
              ) : (
                <EmptyState
                  icon={<MegaphoneIcon />}
                  title="No release notes yet"
                  action={
                    write && (
                      <Link to="/releases/$id" params={{ id: "new" }} className={buttonClass("primary")}>
                        Write the first one
                      </Link>
                    )
                  }
                >
                  Tell your users what is new: write a note in Markdown, publish it now or schedule it, and it shows on your public
                  changelog and in What's new.
                </EmptyState>
              )
            }
          />
        )}
        <Pager
          page={pager.page}
          hasPrev={pager.hasPrev}
          hasNext={Boolean(notes.data?.next_cursor)}
          onPrev={pager.prev}
          onNext={() => pager.next(notes.data?.next_cursor)}
        />
      </section>
    </>
  );
}
