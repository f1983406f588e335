import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, errorMessage } from "../../lib/api";
import type { Session } from "../../lib/api-types";
import { formatRelative } from "../../lib/format";
import { q } from "../../lib/queries";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { TableSkeleton } from "../ui/Skeleton";
import { Table, type Column } from "../ui/Table";
import { toast } from "../ui/Toast";

/** "Chrome on Linux" from a user agent, good enough to recognise a device. */
export function describeAgent(ua: string | null): string {
  if (!ua) return "Unknown device";
  const browser = /Edg\//.test(ua)
    ? "Edge"
    : /Firefox\//.test(ua)
      ? "Firefox"
      : /Chrome\//.test(ua)
        ? "Chrome"
        : /Safari\//.test(ua)
          ? "Safari"
          : /curl|node|undici/i.test(ua)
            ? "API client"
            : "Browser";
  const os = /Windows/.test(ua)
    ? "Windows"
    : /Mac OS X/.test(ua)
      ? "macOS"
      : /Android/.test(ua)
        ? "Android"
        : /iPhone|iPad/.test(ua)
          ? "iOS"
          : /Linux/.test(ua)
            ? "Linux"
            : "";
  return os ? `${browser} on ${os}` : browser;
}

export function SessionsCard() {
  const qc = useQueryClient();
  const sessions = useQuery(q.sessions());
  const revoke = useMutation({
    mutationFn: (id: string) => api("DELETE /api/v1/me/sessions/{id}", { params: { id } }),
    onSuccess: () => (toast.success("Session signed out"), qc.invalidateQueries({ queryKey: ["me", "sessions"] })),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const columns: Column<Session>[] = [
    {
      key: "device",
      header: "Device",
      cell: (s) => (
        <span className="font-medium">
          {describeAgent(s.user_agent)} {s.current && <Badge tone="success">This device</Badge>}
        </span>
      ),
    },
    { key: "ip", header: "IP address", hideOnMobile: true, cell: (s) => <code className="text-xs text-muted">{s.ip ?? "—"}</code> },
    {
      key: "seen",
      header: "Last active",
      sort: (s) => s.last_used_at,
      cell: (s) => <span className="text-muted">{formatRelative(s.last_used_at)}</span>,
    },
    {
      key: "created",
      header: "Signed in",
      sort: (s) => s.created_at,
      hideOnMobile: true,
      cell: (s) => <span className="text-muted">{formatRelative(s.created_at)}</span>,
    },
    {
      key: "actions",
      header: "Actions",
      className: "text-right",
      cell: (s) =>
        s.current ? null : (
          <Button
            size="sm"
            variant="ghost"
            className="text-danger"
            loading={revoke.isPending && revoke.variables === s.id}
            onClick={() => revoke.mutate(s.id)}
            aria-label={`Sign out ${describeAgent(s.user_agent)} session`}
          >
            Sign out
          </Button>
        ),
    },
  ];
  return (
    <Card title="Active sessions" description="Devices signed in to your account. Sign out any you don't recognise." bodyClassName="">
      {sessions.isPending ? (
        <TableSkeleton rows={2} />
      ) : sessions.isError ? (
        <p role="alert" className="p-4 text-sm text-danger">
          {errorMessage(sessions.error)}
        </p>
      ) : (
        <Table caption="Active sessions" columns={columns} rows={sessions.data.data} rowKey={(s) => s.id} />
      )}
    </Card>
  );
}
