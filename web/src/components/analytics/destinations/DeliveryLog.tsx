import { useQuery } from "@tanstack/react-query";
import { api, errorMessage } from "../../../lib/api";
import { formatDateTime } from "../../../lib/format";
import { tkey, useWorkspace } from "../../../lib/workspace";
import { TableSkeleton } from "../../ui/Skeleton";
import { Pager, useCursor } from "../../ui/Table";
import { BatchBadge, type Destination, type ForwardBatch } from "./common";

const plural = (n: number, word: string) => `${n.toLocaleString()} ${word}${n === 1 ? "" : "s"}`;

interface Details {
  renamed?: { from: string; to: string }[];
  dropped?: { name: string; reason: string; count: number }[];
  rejected?: { event: string; field: string | null; message: string }[];
  queued?: { endpoint_id: string; message_ids: string[] }[];
  not_enabled?: string[];
  note?: string;
}

function BatchDetails({ b }: { b: ForwardBatch }) {
  const d = b.details as Details;
  const lines: string[] = [];
  for (const r of d.renamed ?? []) lines.push(`Renamed “${r.from}” → ${r.to}`);
  for (const x of d.dropped ?? []) lines.push(`Left out ${plural(x.count, "event")} “${x.name}”: ${x.reason}`);
  for (const x of d.rejected ?? []) lines.push(`Rejected “${x.event}”${x.field ? ` (${x.field})` : ""}: ${x.message}`);
  if (d.queued?.length) lines.push(`Handed to ${plural(d.queued.length, "webhook endpoint")}; see its delivery log under Webhooks.`);
  if (d.not_enabled?.length) lines.push(`Not sent to ${plural(d.not_enabled.length, "endpoint")} that is deleted or disabled.`);
  if (!lines.length) return null;
  return (
    <ul className="mt-1 list-disc space-y-0.5 pl-5 text-xs text-muted">
      {lines.slice(0, 8).map((l) => (
        <li key={l} className="break-words">
          {l}
        </li>
      ))}
    </ul>
  );
}

/** The destination's forwarded batches, newest first (refreshes while it is open). */
export function DeliveryLog({ destination }: { destination: Destination }) {
  const ws = useWorkspace();
  const pager = useCursor();
  const list = useQuery({
    queryKey: tkey(ws.id, "analytics", "destinations", destination.id, "deliveries", pager.cursor),
    queryFn: () =>
      api("GET /api/v1/analytics/destinations/{id}/deliveries", {
        params: { id: destination.id },
        query: { limit: 10, cursor: pager.cursor },
      }),
    refetchInterval: 5_000,
  });
  if (list.isPending) return <TableSkeleton rows={2} />;
  if (list.isError)
    return (
      <p role="alert" className="text-sm text-danger">
        {errorMessage(list.error)}
      </p>
    );
  if (!list.data.data.length)
    return <p className="text-sm text-muted">Nothing forwarded yet. Batches appear here as new events are ingested.</p>;
  return (
    <div>
      <h3 className="sr-only">Delivery log</h3>
      <ul className="divide-y divide-line text-sm">
        {list.data.data.map((b) => (
          <li key={b.id} className="py-2">
            <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
              <BatchBadge status={b.status} />
              <span className="font-medium">{plural(b.event_count, "event")}</span>
              <span className="text-xs text-muted">
                {b.sent_count.toLocaleString()} sent
                {b.failed_count ? ` · ${b.failed_count.toLocaleString()} failed` : ""}
                {b.skipped_count ? ` · ${b.skipped_count.toLocaleString()} left out` : ""} · {plural(b.attempts, "attempt")}
                {b.last_status_code ? ` · HTTP ${b.last_status_code}` : ""}
              </span>
              <time className="text-xs text-muted sm:ml-auto" dateTime={b.created_at}>
                {formatDateTime(b.created_at)}
              </time>
            </div>
            {b.error && <p className="mt-1 break-words text-xs text-danger">{b.error}</p>}
            {b.status === "retrying" && b.next_attempt_at && (
              <p className="mt-1 text-xs text-warning">Next attempt {formatDateTime(b.next_attempt_at)}</p>
            )}
            <BatchDetails b={b} />
          </li>
        ))}
      </ul>
      <Pager
        page={pager.page}
        hasPrev={pager.hasPrev}
        hasNext={Boolean(list.data.next_cursor)}
        onPrev={pager.prev}
        onNext={() => pager.next(list.data.next_cursor)}
      />
    </div>
  );
}
