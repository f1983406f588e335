import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { useDebounced } from "../analytics/useDebounced";
import { Badge } from "../ui/Badge";
import { Card, PageHeader } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { type Column, Pager, Table, useCursor } from "../ui/Table";
import { STATUS_LABEL, STATUS_TONE, TOPIC_STATUSES, type Topic } from "./client";
import { AuthorName } from "./AuthorName";
import { TopicIcon } from "./icons";

type Status = (typeof TOPIC_STATUSES)[number];

/** Every topic of the community (held, hidden and deleted ones too), filtered by category, status and words. */
export function TopicsPage() {
  const ws = useWorkspace();
  const pager = useCursor();
  const [category, setCategory] = useState("");
  const [status, setStatus] = useState<"" | Status>("");
  const [search, setSearch] = useState("");
  const q = useDebounced(search.trim(), 300);
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new filter starts at page 1
  useEffect(() => pager.reset(), [category, status, q]);
  const cats = useQuery({ queryKey: tkey(ws.id, "forum", "categories"), queryFn: () => api("GET /api/v1/forum/categories") });
  const query = { category: category || undefined, status: status || undefined, q: q || undefined, cursor: pager.cursor, limit: 25 };
  const list = useQuery({
    queryKey: tkey(ws.id, "forum", "topics", query),
    queryFn: () => api("GET /api/v1/forum/topics", { query }),
    placeholderData: keepPreviousData,
  });
  const filtered = Boolean(category || status || q);
  // The API lists visible topics unless asked for another status.
  const columns: Column<Topic>[] = [
    {
      key: "title",
      header: "Topic",
      cell: (t) => (
        <div className="min-w-0">
          <Link to="/forum/topics/$id" params={{ id: t.id }} className="font-medium hover:underline">
            {t.title}
          </Link>
          <span className="mt-0.5 flex flex-wrap items-center gap-1.5 text-xs text-muted">
            {t.category && (
              <span className="inline-flex items-center gap-1">
                <span aria-hidden="true" className="size-2 rounded-full" style={{ background: t.category.color }} />
                {t.category.name}
              </span>
            )}
            · <AuthorName author={t.author} />
          </span>
        </div>
      ),
    },
    {
      key: "state",
      header: "State",
      cell: (t) => (
        <span className="flex flex-wrap gap-1">
          {t.status !== "visible" && <Badge tone={STATUS_TONE[t.status]}>{STATUS_LABEL[t.status]}</Badge>}
          {t.kind === "question" && (t.solved ? <Badge tone="success">Solved</Badge> : <Badge tone="accent">Question</Badge>)}
          {t.locked && <Badge>Locked</Badge>}
          {t.pinned !== "none" && <Badge tone="warning">Pinned</Badge>}
        </span>
      ),
    },
    {
      key: "replies",
      header: "Replies",
      cell: (t) => <span className="tabular-nums">{t.reply_count}</span>,
      className: "text-right",
      hideOnMobile: true,
    },
    {
      key: "views",
      header: "Views",
      cell: (t) => <span className="tabular-nums">{t.view_count}</span>,
      className: "text-right",
      hideOnMobile: true,
    },
    {
      key: "activity",
      header: "Last post",
      cell: (t) => <span className="whitespace-nowrap text-muted">{formatRelative(t.last_posted_at)}</span>,
      hideOnMobile: true,
    },
  ];
  return (
    <>
      <PageHeader title="Topics" description="Read any thread, answer as staff and mark accepted answers." />
      <div className="mb-4 grid gap-3 sm:grid-cols-3">
        <Field label="Search">
          <Input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Words in titles and posts" />
        </Field>
        <Field label="Category">
          <Select value={category} onChange={(e) => setCategory(e.target.value)}>
            <option value="">All categories</option>
            {(cats.data?.data ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Status">
          <Select value={status} onChange={(e) => setStatus(e.target.value as "" | Status)}>
            {TOPIC_STATUSES.map((s) => (
              <option key={s} value={s === "visible" ? "" : s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
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
            caption="Topics"
            columns={columns}
            rows={list.data?.data ?? []}
            rowKey={(t) => t.id}
            empty={
              <EmptyState icon={<TopicIcon className="size-6" />} title={filtered ? "No topic matches" : "No topics yet"}>
                {filtered
                  ? "Try another category, status or fewer words."
                  : "Topics appear here as soon as your customers (or your team) start them in the community."}
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
    </>
  );
}
