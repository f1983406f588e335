import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { lazy, Suspense, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Card } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Skeleton } from "../ui/Skeleton";
import { type FilterDraft, fmtNumber, fmtPeriod, SERIES_COLORS, toFilters, type TrendsResult, validProperty } from "./client";
import { EventInput, FilterRows, PropertyInput, Segmented, useEventNameList } from "./QueryInputs";
import { RangePicker, useRange } from "./RangePicker";
import { seriesName } from "./series-name";
import { ScrollRegion } from "./ScrollRegion";
import { useDebounced } from "./useDebounced";

const TrendsChart = lazy(() => import("./TrendsChart"));
type Interval = "day" | "week" | "month";
type Measure = "count" | "uniques";

export function TrendsPage() {
  const ws = useWorkspace();
  const { from, to } = useRange();
  const { listId, datalist, names } = useEventNameList();
  const [eventInput, setEvent] = useState<string | null>(null);
  const event = eventInput ?? names[0] ?? "$pageview";
  const [interval, setInterval] = useState<Interval>("day");
  const [measure, setMeasure] = useState<Measure>("count");
  const [breakdown, setBreakdown] = useState("");
  const [filters, setFilters] = useState<FilterDraft[]>([]);

  const body = useDebounced({
    event: event.trim(),
    interval,
    from,
    to,
    filters: toFilters(filters),
    breakdown: breakdown && validProperty(breakdown) ? breakdown : undefined,
  });
  const res = useQuery({
    queryKey: tkey(ws.id, "analytics", "trends", body),
    queryFn: () => api("POST /api/v1/analytics/trends/query", { body }),
    enabled: body.event !== "",
    placeholderData: keepPreviousData,
  });

  return (
    <div className="space-y-6">
      {datalist}
      <Card title="Trends" description="How often an event happens, or how many people do it, over time.">
        <div className="space-y-5">
          <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto_auto]">
            <EventInput label="Event" value={event} onChange={setEvent} listId={listId} />
            <PropertyInput label="Breakdown" value={breakdown} onChange={setBreakdown} allowNone />
            <Segmented
              legend="Interval"
              name="trends-interval"
              value={interval}
              onChange={setInterval}
              options={[
                { value: "day", label: "Day" },
                { value: "week", label: "Week" },
                { value: "month", label: "Month" },
              ]}
            />
            <Segmented
              legend="Measure"
              name="trends-measure"
              value={measure}
              onChange={setMeasure}
              options={[
                { value: "count", label: "Total count" },
                { value: "uniques", label: "Unique people" },
              ]}
            />
          </div>
          <FilterRows value={filters} onChange={setFilters} />
          <RangePicker />
        </div>
      </Card>

      <Card
        title={body.event ? `${body.event}: ${measure === "count" ? "total count" : "unique people"} per ${interval}` : "Result"}
        actions={res.isFetching && res.data ? <span className="text-xs text-muted">Updating…</span> : undefined}
      >
        {!body.event ? (
          <EmptyState title="Pick an event">Choose one of your events or type its name.</EmptyState>
        ) : res.isError ? (
          <p role="alert" className="text-sm text-danger">
            {errorMessage(res.error)}
          </p>
        ) : !res.data ? (
          <Skeleton className="h-72" />
        ) : res.data.series.every((s) => s.total_count === 0) ? (
          <EmptyState title="No matching events">
            Nothing matched in this range. Try another event, fewer filters or a longer range.
          </EmptyState>
        ) : (
          <div className={res.isPlaceholderData ? "space-y-6 opacity-60" : "space-y-6"}>
            <Suspense fallback={<Skeleton className="h-72" />}>
              <TrendsChart result={res.data} measure={measure} event={body.event} breakdown={!!body.breakdown} />
            </Suspense>
            <TrendsTable result={res.data} measure={measure} breakdown={!!body.breakdown} />
          </div>
        )}
      </Card>
    </div>
  );
}

function TrendsTable({ result, measure, breakdown }: { result: TrendsResult; measure: Measure; breakdown: boolean }) {
  const periods = result.series[0]?.points.map((p) => p.period) ?? [];
  return (
    <ScrollRegion label="Trends table" className="rounded-lg border border-line">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">Values per series and period</caption>
        <thead className="border-b border-line text-xs font-medium tracking-wide text-muted">
          <tr>
            <th scope="col" className="sticky left-0 bg-surface px-3 py-2 font-medium">
              {breakdown ? "Value" : "Series"}
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium whitespace-nowrap">
              Total
            </th>
            <th scope="col" className="px-3 py-2 text-right font-medium whitespace-nowrap">
              People
            </th>
            {periods.map((p) => (
              <th key={p} scope="col" className="px-3 py-2 text-right font-medium whitespace-nowrap">
                {fmtPeriod(p, result.interval)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-line">
          {result.series.map((s, j) => (
            <tr key={s.breakdown_value ?? `none-${j}`}>
              <th
                scope="row"
                className="sticky left-0 max-w-56 truncate bg-surface px-3 py-2 font-medium"
                title={s.breakdown_value ?? undefined}
              >
                <span
                  aria-hidden="true"
                  className="mr-2 inline-block size-2.5 rounded-full"
                  style={{ background: SERIES_COLORS[j % SERIES_COLORS.length] }}
                />
                {seriesName(s.breakdown_value, breakdown)}
              </th>
              <td className="px-3 py-2 text-right font-medium tabular-nums">{fmtNumber(s.total_count)}</td>
              <td className="px-3 py-2 text-right tabular-nums">{fmtNumber(s.total_uniques)}</td>
              {s.points.map((p) => (
                <td key={p.period} className="px-3 py-2 text-right text-muted tabular-nums">
                  {fmtNumber(p[measure])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollRegion>
  );
}
