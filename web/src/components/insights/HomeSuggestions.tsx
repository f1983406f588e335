import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { api, errorMessage } from "../../lib/api";
import type { AppPath } from "../../lib/navigation";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Card } from "../ui/Card";
import { Skeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { InsightIcon } from "./icons";

/**
 * The home page's suggestions (GET /insights/suggestions): each a sentence with its numbers and a
 * link; "Dismiss" hides it from this member for a week. Nothing to say → a quiet empty state.
 */
export function HomeSuggestions() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const key = tkey(ws.id, "insights", "suggestions");
  const list = useQuery({ queryKey: key, queryFn: () => api("GET /api/v1/insights/suggestions") });
  const dismiss = useMutation({
    mutationFn: (id: string) =>
      api("POST /api/v1/insights/suggestions/{id}/dismiss", { params: { id: id as "invoices_failed" }, body: { days: 7 } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: key }),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const items = list.data?.data ?? [];
  return (
    <Card
      title="Suggestions"
      description="From the last 7 days of your workspace"
      actions={
        <Link to="/insights" className="text-sm font-medium text-accent hover:underline">
          All insights
        </Link>
      }
      bodyClassName="p-0"
    >
      {list.isPending ? (
        <div className="space-y-2 p-5">
          <Skeleton className="h-5 w-3/4" />
          <Skeleton className="h-5 w-1/2" />
        </div>
      ) : items.length === 0 ? (
        <p className="flex items-center gap-2 px-5 py-4 text-sm text-muted">
          <InsightIcon className="size-4 shrink-0" />
          Nothing needs your attention right now.
        </p>
      ) : (
        <ul className="divide-y divide-line" aria-label="Suggestions">
          {items.map((s) => (
            <li key={s.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-5 py-3">
              <span
                aria-hidden="true"
                className={`size-2 shrink-0 rounded-full ${s.severity === "warning" ? "bg-warning" : "bg-accent"}`}
              />
              <span className="min-w-0 flex-1 text-sm">{s.text}</span>
              <span className="flex items-center gap-3 text-sm">
                <Link to={s.link as AppPath} className="font-medium text-accent hover:underline">
                  {s.link_label}
                </Link>
                <button
                  type="button"
                  className="rounded text-muted hover:text-fg focus-visible:outline-2 focus-visible:outline-accent"
                  aria-label={`Dismiss: ${s.text}`}
                  disabled={dismiss.isPending}
                  onClick={() => dismiss.mutate(s.id)}
                >
                  Dismiss
                </button>
              </span>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
