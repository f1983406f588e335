import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { api, errorMessage } from "../../../lib/api";
import type { Dashboard } from "../../../lib/api-types";
import { formatRelative } from "../../../lib/format";
import { tkey, useWorkspace } from "../../../lib/workspace";
import { Button, buttonClass } from "../../ui/Button";
import { Card } from "../../ui/Card";
import { Dialog } from "../../ui/Dialog";
import { EmptyState } from "../../ui/EmptyState";
import { TableSkeleton } from "../../ui/Skeleton";
import { Pager, useCursor } from "../../ui/Table";
import { toast } from "../../ui/Toast";

export const dashboardKeys = {
  list: (t: string, cursor?: string) => tkey(t, "analytics", "dashboards", cursor ?? ""),
  one: (t: string, id: string) => tkey(t, "analytics", "dashboard", id),
};

/** Saved dashboards: open, delete (confirmed); new ones come from the custom dashboard wizard. */
export function DashboardsPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const canEdit = ws.can("analytics:edit");
  const cursor = useCursor();
  const list = useQuery({
    queryKey: dashboardKeys.list(ws.id, cursor.cursor),
    queryFn: () => api("GET /api/v1/analytics/dashboards", { query: { limit: 20, ...(cursor.cursor ? { cursor: cursor.cursor } : {}) } }),
  });
  const [deleting, setDeleting] = useState<Dashboard | null>(null);
  const del = useMutation({
    mutationFn: (d: Dashboard) => api("DELETE /api/v1/analytics/dashboards/{id}", { params: { id: d.id } }),
    onSuccess: (_, d) => {
      toast.success(`Deleted “${d.name}”.`);
      setDeleting(null);
      void qc.invalidateQueries({ queryKey: tkey(ws.id, "analytics", "dashboards") });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const rows = list.data?.data ?? [];
  const newLink = canEdit ? (
    <Link to="/wizards/$kind" params={{ kind: "dashboard" }} className={buttonClass("primary")}>
      New dashboard
    </Link>
  ) : null;
  return (
    <Card
      title="Dashboards"
      description="Your team's analytics questions, each on one page."
      actions={rows.length > 0 ? newLink : null}
      bodyClassName="p-0"
    >
      {list.isPending ? (
        <TableSkeleton rows={3} />
      ) : list.isError ? (
        <p role="alert" className="p-5 text-sm text-danger">
          {errorMessage(list.error)}
        </p>
      ) : rows.length === 0 && !cursor.cursor ? (
        <EmptyState title="No dashboards yet" action={newLink}>
          Pick charts — page views, visitors, top pages, a funnel — and keep them together. The wizard takes a minute.
        </EmptyState>
      ) : (
        <>
          <ul className="divide-y divide-line">
            {rows.map((d) => (
              <li key={d.id} className="flex flex-wrap items-center justify-between gap-3 px-5 py-3">
                <div className="min-w-0">
                  <Link to="/analytics/dashboards/$id" params={{ id: d.id }} className="font-medium hover:underline">
                    {d.name}
                  </Link>
                  <p className="text-sm text-muted">
                    {d.charts.length} chart{d.charts.length === 1 ? "" : "s"} · updated {formatRelative(d.updated_at)}
                    {d.description ? ` · ${d.description}` : ""}
                  </p>
                </div>
                {canEdit && (
                  <Button variant="ghost" size="sm" onClick={() => setDeleting(d)} aria-label={`Delete ${d.name}`}>
                    Delete
                  </Button>
                )}
              </li>
            ))}
          </ul>
          <Pager
            page={cursor.page}
            hasPrev={cursor.hasPrev}
            hasNext={!!list.data?.next_cursor}
            onPrev={cursor.prev}
            onNext={() => cursor.next(list.data?.next_cursor)}
          />
        </>
      )}
      <Dialog
        open={!!deleting}
        onClose={() => setDeleting(null)}
        title="Delete this dashboard?"
        description={deleting ? `“${deleting.name}” and its layout are deleted. The analytics data and saved funnels stay.` : undefined}
        footer={
          <>
            <Button variant="secondary" onClick={() => setDeleting(null)}>
              Cancel
            </Button>
            <Button variant="danger" onClick={() => deleting && del.mutate(deleting)} disabled={del.isPending}>
              Delete dashboard
            </Button>
          </>
        }
      />
    </Card>
  );
}
