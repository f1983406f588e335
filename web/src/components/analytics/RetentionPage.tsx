import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Card } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { TableSkeleton } from "../ui/Skeleton";
import { EventInput, Segmented, useEventNameList } from "./QueryInputs";
import { RangePicker, useRange } from "./RangePicker";
import { RetentionTable } from "./RetentionTable";
import { useDebounced } from "./useDebounced";

export function RetentionPage() {
  const ws = useWorkspace();
  const { from, to } = useRange();
  const { listId, datalist, names } = useEventNameList();
  const fallback = names.includes("signed_up") ? "signed_up" : (names[0] ?? "$pageview");
  const [start, setStart] = useState<string | null>(null);
  const [ret, setRet] = useState<string | null>(null);
  const [period, setPeriod] = useState<"day" | "week">("week");
  const startEvent = start ?? fallback;
  const returnEvent = ret ?? (names.includes("$pageview") ? "$pageview" : fallback);
  const body = useDebounced({ start_event: startEvent.trim(), return_event: returnEvent.trim(), period, from, to });
  const res = useQuery({
    queryKey: tkey(ws.id, "analytics", "retention", body),
    queryFn: () => api("POST /api/v1/analytics/retention/query", { body }),
    enabled: !!body.start_event && !!body.return_event,
    placeholderData: keepPreviousData,
  });
  return (
    <div className="space-y-6">
      {datalist}
      <Card
        title="Retention"
        description="Of the people who first did the start event in a period, how many came back to do the return event later."
      >
        <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_auto_auto] xl:items-end">
          <EventInput label="Start event (first time)" value={startEvent} onChange={setStart} listId={listId} />
          <EventInput label="Return event" value={returnEvent} onChange={setRet} listId={listId} />
          <Segmented
            legend="Period"
            name="retention-period"
            value={period}
            onChange={setPeriod}
            options={[
              { value: "day", label: "Day" },
              { value: "week", label: "Week" },
            ]}
          />
          <fieldset>
            <legend className="mb-1.5 block text-sm font-medium">Range</legend>
            <RangePicker />
          </fieldset>
        </div>
      </Card>
      <Card
        title="Cohorts"
        description="Rows are cohorts by first start event; columns are periods after it. Hover a cell for the count."
        actions={res.isFetching && res.data ? <span className="text-xs text-muted">Updating…</span> : undefined}
      >
        {!body.start_event || !body.return_event ? (
          <EmptyState title="Pick two events">Choose the start and return events.</EmptyState>
        ) : res.isError ? (
          <p role="alert" className="text-sm text-danger">
            {errorMessage(res.error)}
          </p>
        ) : !res.data ? (
          <TableSkeleton rows={6} />
        ) : res.data.cohorts.every((c) => c.size === 0) ? (
          <EmptyState title="No one in these cohorts">Nobody did “{body.start_event}” in this range.</EmptyState>
        ) : (
          <div className={res.isPlaceholderData ? "opacity-60" : undefined}>
            <RetentionTable result={res.data} />
          </div>
        )}
      </Card>
    </div>
  );
}
