import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatRelative } from "../../lib/format";
import { q } from "../../lib/queries";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { cx } from "../ui/cx";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, useCursor } from "../ui/Table";
import { CATEGORY_LABEL, type Feedback, FeedbackIcon, STATUS_LABEL } from "./client";

export interface InboxFilters {
  status?: Feedback["status"];
  category?: Feedback["category"];
  assignee?: string;
  tag?: string;
  q?: string;
}

/** The triage inbox: filters, search and a paginated list; picking an item opens it in the detail panel. */
export function FeedbackInbox({ selected, onSelect }: { selected: string | null; onSelect: (id: string) => void }) {
  const ws = useWorkspace();
  const pager = useCursor();
  const [filters, setFilters] = useState<InboxFilters>({ status: "open" });
  const [search, setSearch] = useState("");
  const members = useQuery(q.members(ws.id, { limit: 100 }));
  const list = useQuery({
    queryKey: tkey(ws.id, "surveys", "feedback", "list", filters, pager.cursor),
    queryFn: () => api("GET /api/v1/surveys/feedback", { query: { ...filters, limit: 20, cursor: pager.cursor } }),
  });
  const set = (patch: Partial<InboxFilters>) => {
    setFilters((f) => ({ ...f, ...patch }));
    pager.reset();
  };
  const nameOf = (id: string | null) => members.data?.data.find((m) => m.user_id === id)?.name;
  return (
    <Card bodyClassName="p-0">
      <form
        className="grid grid-cols-2 gap-2 border-b border-line p-3"
        onSubmit={(e) => {
          e.preventDefault();
          set({ q: search.trim() || undefined });
        }}
      >
        <Field label="Status">
          <Select value={filters.status ?? ""} onChange={(e) => set({ status: (e.target.value || undefined) as InboxFilters["status"] })}>
            <option value="">All</option>
            {Object.entries(STATUS_LABEL).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Category">
          <Select
            value={filters.category ?? ""}
            onChange={(e) => set({ category: (e.target.value || undefined) as InboxFilters["category"] })}
          >
            <option value="">All</option>
            {Object.entries(CATEGORY_LABEL).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Assignee">
          <Select value={filters.assignee ?? ""} onChange={(e) => set({ assignee: e.target.value || undefined })}>
            <option value="">Anyone</option>
            <option value="none">Unassigned</option>
            {(members.data?.data ?? []).map((m) => (
              <option key={m.user_id} value={m.user_id}>
                {m.name}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Tag">
          <Input value={filters.tag ?? ""} onChange={(e) => set({ tag: e.target.value.trim() || undefined })} placeholder="any" />
        </Field>
        <div className="col-span-2 flex items-end gap-2">
          <Field label="Search text or email" className="flex-1">
            <Input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
          </Field>
          <Button type="submit" variant="secondary">
            Search
          </Button>
        </div>
      </form>
      {list.isError ? (
        <p role="alert" className="p-4 text-danger">
          {errorMessage(list.error)}
        </p>
      ) : !list.data ? (
        <TableSkeleton rows={4} />
      ) : list.data.data.length === 0 ? (
        <EmptyState icon={<FeedbackIcon />} title="Nothing here">
          {filters.status === "open" && !filters.q
            ? "No open feedback. New messages from the Feedback button land here."
            : "No feedback matches these filters."}
        </EmptyState>
      ) : (
        <>
          <ul aria-label="Feedback" className="divide-y divide-line">
            {list.data.data.map((f) => (
              <li key={f.id}>
                <button
                  type="button"
                  aria-current={selected === f.id ? "true" : undefined}
                  onClick={() => onSelect(f.id)}
                  className={cx(
                    "block w-full px-4 py-3 text-left hover:bg-subtle/60 focus-visible:bg-subtle",
                    selected === f.id && "bg-accent-soft/60",
                  )}
                >
                  <span className="flex items-center gap-2 text-xs text-muted">
                    <Badge tone={f.category === "bug" ? "danger" : f.category === "idea" ? "accent" : "neutral"}>
                      {CATEGORY_LABEL[f.category]}
                    </Badge>
                    {f.status !== "open" && <Badge tone={f.status === "closed" ? "success" : "warning"}>{STATUS_LABEL[f.status]}</Badge>}
                    {f.has_screenshot && <Badge>screenshot</Badge>}
                    <span className="ml-auto">{formatRelative(f.created_at)}</span>
                  </span>
                  <span className="mt-1 line-clamp-2 block text-sm">{f.message}</span>
                  <span className="mt-1 block truncate text-xs text-muted">
                    {f.email ?? "anonymous"}
                    {f.assignee_id ? ` · ${nameOf(f.assignee_id) ?? "assigned"}` : ""}
                    {f.tags.length ? ` · ${f.tags.map((t) => `#${t}`).join(" ")}` : ""}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          <Pager
            page={pager.page}
            hasPrev={pager.hasPrev}
            hasNext={!!list.data.next_cursor}
            onPrev={pager.prev}
            onNext={() => pager.next(list.data.next_cursor)}
          />
        </>
      )}
    </Card>
  );
}
