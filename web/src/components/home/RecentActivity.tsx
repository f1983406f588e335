import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import type { AuditLogEntry } from "../../lib/api-types";
import { formatRelative, humanizeAction } from "../../lib/format";
import { q } from "../../lib/queries";
import { ActivityIcon } from "../icons";
import { Card } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { TableSkeleton } from "../ui/Skeleton";

interface Row {
  id: string;
  action: string;
  created_at: string;
  detail?: string | null;
}

/** Recent workspace audit events for admins; your own security events for everyone else. */
export function RecentActivity({ canAudit, audit, auditLoading }: { canAudit: boolean; audit?: AuditLogEntry[]; auditLoading: boolean }) {
  const mine = useQuery({ ...q.securityEvents({ limit: 8 }), enabled: !canAudit });
  const rows: Row[] | undefined = canAudit
    ? audit?.slice(0, 8).map((e) => ({
        id: e.id,
        action: e.action,
        created_at: e.created_at,
        detail: e.target_type ? `${e.target_type.replace(/_/g, " ")} · ${e.target_id ?? ""}` : null,
      }))
    : mine.data?.data.map((e) => ({ id: e.id, action: e.action, created_at: e.created_at, detail: e.ip }));
  const loading = canAudit ? auditLoading : mine.isPending;
  return (
    <Card
      title={canAudit ? "Recent activity" : "Your recent security activity"}
      actions={
        canAudit ? (
          <Link to="/audit-log" className="text-sm font-medium text-accent hover:underline">
            View audit log
          </Link>
        ) : undefined
      }
      bodyClassName=""
    >
      {loading ? (
        <TableSkeleton rows={4} />
      ) : !rows?.length ? (
        <EmptyState icon={<ActivityIcon />} title="Nothing here yet">
          Actions like invitations, role changes and new keys show up here.
        </EmptyState>
      ) : (
        <ul className="divide-y divide-line">
          {rows.map((r) => (
            <li key={r.id} className="flex items-center justify-between gap-4 px-5 py-3 text-sm">
              <div className="min-w-0">
                <p className="font-medium">{humanizeAction(r.action)}</p>
                {r.detail && <p className="truncate text-xs text-muted">{r.detail}</p>}
              </div>
              <time dateTime={r.created_at} className="shrink-0 text-xs text-muted">
                {formatRelative(r.created_at)}
              </time>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
