import { useInfiniteQuery, useMutation, useQueryClient } from "@tanstack/react-query";
import { api, errorMessage, type Res } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { EmptyState } from "../ui/EmptyState";
import { Skeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { InsightIcon } from "./icons";

type Alert = Res<"GET /api/v1/insights/alerts">["data"][number];

/** The alerts of the workspace (newest first, "Load more" pages), each with the numbers it rests on. */
export function AlertsList({
  metric,
  status,
  selected,
  onSelect,
}: {
  metric: string;
  status: "" | "open" | "acknowledged";
  selected: string | null;
  onSelect: (a: Alert) => void;
}) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const query = { metric: metric || undefined, status: status || undefined, limit: 20 } as const;
  const list = useInfiniteQuery({
    queryKey: tkey(ws.id, "insights", "alerts", query),
    queryFn: ({ pageParam }) =>
      api("GET /api/v1/insights/alerts", { query: { ...query, metric: query.metric as "orders_paid" | undefined, cursor: pageParam } }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
  const ack = useMutation({
    mutationFn: (id: string) => api("POST /api/v1/insights/alerts/{id}/acknowledge", { params: { id } }),
    onSuccess: () => {
      toast.success("Alert acknowledged");
      qc.invalidateQueries({ queryKey: tkey(ws.id, "insights") });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const alerts = list.data?.pages.flatMap((p) => p.data) ?? [];
  if (list.isPending)
    return (
      <div className="space-y-3 p-5">
        <Skeleton className="h-14" />
        <Skeleton className="h-14" />
      </div>
    );
  if (!alerts.length)
    return (
      <EmptyState icon={<InsightIcon className="size-6" />} title={metric || status ? "No alerts match" : "No alerts yet"}>
        An alert appears when a daily figure is far outside its usual range (at least 14 days of history are needed first).
      </EmptyState>
    );
  return (
    <>
      <ul className="divide-y divide-line" aria-label="Alerts">
        {alerts.map((a) => (
          <li key={a.id} className={`flex flex-wrap items-start gap-3 px-5 py-4 ${selected === a.id ? "bg-accent-soft/50" : ""}`}>
            <div className="min-w-0 flex-1">
              <div className="flex flex-wrap items-center gap-2">
                <button
                  type="button"
                  className="text-left font-medium hover:underline focus-visible:outline-2 focus-visible:outline-accent"
                  aria-pressed={selected === a.id}
                  onClick={() => onSelect(a)}
                >
                  {a.label} {a.direction === "up" ? "jumped" : "dropped"} on {a.day}
                </button>
                <Badge tone={a.status === "open" ? "warning" : "neutral"}>{a.status === "open" ? "Open" : "Acknowledged"}</Badge>
              </div>
              <p className="mt-1 text-sm text-muted">{a.summary}</p>
            </div>
            {a.status === "open" && ws.can("insights:manage") && (
              <Button size="sm" variant="secondary" loading={ack.isPending && ack.variables === a.id} onClick={() => ack.mutate(a.id)}>
                Acknowledge
              </Button>
            )}
          </li>
        ))}
      </ul>
      {list.hasNextPage && (
        <div className="border-t border-line p-3 text-center">
          <Button variant="ghost" size="sm" loading={list.isFetchingNextPage} onClick={() => list.fetchNextPage()}>
            Load more
          </Button>
        </div>
      )}
    </>
  );
}
