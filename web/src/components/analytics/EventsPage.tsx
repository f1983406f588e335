import { keepPreviousData, useInfiniteQuery } from "@tanstack/react-query";
import { Fragment, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatDateTime, formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { ChevronDownIcon } from "../icons";
import { cx } from "../ui/cx";
import type { AnalyticsEvent } from "./client";
import { EventInput, useEventNameList } from "./QueryInputs";
import { ScrollRegion } from "./ScrollRegion";
import { useDebounced } from "./useDebounced";

/** The raw stream, newest first: filter by event and person, load more, auto-refresh while installing. */
export function EventsPage({ initialPerson = "" }: { initialPerson?: string }) {
  const ws = useWorkspace();
  const { listId, datalist } = useEventNameList();
  const [name, setName] = useState("");
  const [person, setPerson] = useState(initialPerson);
  const [live, setLive] = useState(false);
  const [open, setOpen] = useState<string | null>(null);
  const filters = useDebounced({ name: name.trim() || undefined, person: person.trim() || undefined });
  const events = useInfiniteQuery({
    queryKey: tkey(ws.id, "analytics", "events", filters),
    queryFn: ({ pageParam }) => api("GET /api/v1/analytics/events", { query: { ...filters, limit: 50, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
    refetchInterval: live ? 5000 : false,
    placeholderData: keepPreviousData,
  });
  const rows = events.data?.pages.flatMap((p) => p.data) ?? [];
  return (
    <Card
      title="Events"
      description="Every event as it was stored, newest first."
      bodyClassName="p-0"
      actions={
        <label className="inline-flex cursor-pointer items-center gap-2 text-sm">
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} className="size-4 accent-[var(--accent)]" />
          Auto-refresh every 5 s
          {live && (
            <span className="relative flex size-2" aria-hidden="true">
              <span className="absolute inline-flex size-full animate-ping rounded-full bg-success opacity-75 motion-reduce:animate-none" />
              <span className="relative inline-flex size-2 rounded-full bg-success" />
            </span>
          )}
        </label>
      }
    >
      {datalist}
      <div className="grid gap-3 border-b border-line p-4 sm:grid-cols-2 lg:grid-cols-3">
        <EventInput label="Event name" value={name} onChange={setName} listId={listId} placeholder="All events" />
        <Field label="Person ID">
          <Input value={person} onChange={(e) => setPerson(e.target.value)} placeholder="Everyone" spellCheck={false} autoComplete="off" />
        </Field>
        {(name || person) && (
          <div className="flex items-end">
            <Button
              variant="ghost"
              onClick={() => {
                setName("");
                setPerson("");
              }}
            >
              Clear filters
            </Button>
          </div>
        )}
      </div>
      {events.isPending ? (
        <TableSkeleton rows={8} />
      ) : events.isError ? (
        <p role="alert" className="p-4 text-sm text-danger">
          {errorMessage(events.error)}
        </p>
      ) : rows.length === 0 ? (
        <EmptyState title={filters.name || filters.person ? "No matching events" : "No events yet"}>
          {filters.name || filters.person
            ? "Nothing matches these filters."
            : "Install the tracker (see Overview) and turn on auto-refresh to watch events arrive."}
        </EmptyState>
      ) : (
        <>
          <div className="overflow-x-auto">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Events, newest first</caption>
              <thead className="border-b border-line text-xs font-medium tracking-wide text-muted uppercase">
                <tr>
                  <th scope="col" className="px-4 py-2.5 font-medium">
                    Event
                  </th>
                  <th scope="col" className="px-4 py-2.5 font-medium">
                    Person
                  </th>
                  <th scope="col" className="px-4 py-2.5 font-medium">
                    Page
                  </th>
                  <th scope="col" className="px-4 py-2.5 font-medium">
                    Where
                  </th>
                  <th scope="col" className="px-4 py-2.5 text-right font-medium">
                    When
                  </th>
                </tr>
              </thead>
              <tbody className={cx("divide-y divide-line", events.isPlaceholderData && "opacity-60")}>
                {rows.map((e) => (
                  <EventRow
                    key={e.id}
                    e={e}
                    open={open === e.id}
                    onToggle={() => setOpen(open === e.id ? null : e.id)}
                    onPerson={setPerson}
                  />
                ))}
              </tbody>
            </table>
          </div>
          {events.hasNextPage && (
            <div className="flex justify-center border-t border-line p-3">
              <Button variant="secondary" loading={events.isFetchingNextPage} onClick={() => void events.fetchNextPage()}>
                Load more
              </Button>
            </div>
          )}
        </>
      )}
    </Card>
  );
}

function EventRow({
  e,
  open,
  onToggle,
  onPerson,
}: {
  e: AnalyticsEvent;
  open: boolean;
  onToggle: () => void;
  onPerson: (p: string) => void;
}) {
  const detailId = `ev-${e.id}`;
  return (
    <Fragment>
      <tr className="hover:bg-subtle/60">
        <td className="px-4 py-2">
          <button
            type="button"
            onClick={onToggle}
            aria-expanded={open}
            aria-controls={detailId}
            className="inline-flex items-center gap-1.5 rounded font-medium hover:text-accent"
          >
            <ChevronDownIcon className={cx("size-4 text-muted transition-transform", !open && "-rotate-90")} />
            <span className="max-w-52 truncate">{e.name}</span>
          </button>
          {e.source === "server" && (
            <Badge className="ml-2" tone="accent">
              server
            </Badge>
          )}
          {e.is_bot && (
            <Badge className="ml-2" tone="warning">
              bot
            </Badge>
          )}
        </td>
        <td className="px-4 py-2">
          <button
            type="button"
            onClick={() => onPerson(e.person_id)}
            title={`Show only ${e.person_id}`}
            className="max-w-44 truncate text-left font-mono text-xs text-muted hover:text-accent"
          >
            {e.distinct_id}
          </button>
        </td>
        <td className="max-w-56 truncate px-4 py-2 text-muted" title={e.path ?? undefined}>
          {e.path ?? "—"}
        </td>
        <td className="px-4 py-2 whitespace-nowrap text-muted">{[e.country, e.browser, e.device].filter(Boolean).join(" · ") || "—"}</td>
        <td className="px-4 py-2 text-right whitespace-nowrap text-muted" title={formatDateTime(e.ts)}>
          <time dateTime={e.ts}>{formatRelative(e.ts)}</time>
        </td>
      </tr>
      {open && (
        <tr id={detailId}>
          <td colSpan={5} className="bg-subtle/50 px-4 py-3">
            {/* Stays in view when the table scrolls sideways on a phone. */}
            <div className="sticky left-4 max-w-[calc(100vw-4rem)] sm:max-w-none">
              <dl className="mb-2 flex flex-wrap gap-x-6 gap-y-1 text-xs text-muted">
                <div>
                  <dt className="inline">Time: </dt>
                  <dd className="inline text-fg">{formatDateTime(e.ts)}</dd>
                </div>
                <div>
                  <dt className="inline">Person: </dt>
                  <dd className="inline font-mono text-fg">{e.person_id}</dd>
                </div>
                {e.referrer_host && (
                  <div>
                    <dt className="inline">Referrer: </dt>
                    <dd className="inline text-fg">{e.referrer_host}</dd>
                  </div>
                )}
                <div>
                  <dt className="inline">ID: </dt>
                  <dd className="inline font-mono text-fg">{e.id}</dd>
                </div>
              </dl>
              <ScrollRegion label={`Properties of ${e.name}`} className="max-h-72 overflow-y-auto rounded-lg border border-line bg-surface">
                <pre className="p-3 text-xs">
                  <code>{JSON.stringify(e.props, null, 2)}</code>
                </pre>
              </ScrollRegion>
            </div>
          </td>
        </tr>
      )}
    </Fragment>
  );
}
