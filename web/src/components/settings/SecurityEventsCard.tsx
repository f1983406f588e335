import { useQuery } from "@tanstack/react-query";
import { errorMessage } from "../../lib/api";
import type { SecurityEvent } from "../../lib/api-types";
import { formatDateTime, humanizeAction } from "../../lib/format";
import { q } from "../../lib/queries";
import { Card } from "../ui/Card";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../ui/Table";
import { describeAgent } from "./SessionsCard";

export function SecurityEventsCard() {
  const pager = useCursor();
  const list = useQuery(q.securityEvents({ limit: 10, cursor: pager.cursor }));
  const columns: Column<SecurityEvent>[] = [
    { key: "action", header: "Event", cell: (e) => <span className="font-medium">{humanizeAction(e.action)}</span> },
    { key: "device", header: "Device", hideOnMobile: true, cell: (e) => <span className="text-muted">{describeAgent(e.user_agent)}</span> },
    { key: "ip", header: "IP", hideOnMobile: true, cell: (e) => <code className="text-xs text-muted">{e.ip ?? "—"}</code> },
    {
      key: "time",
      header: "Time",
      cell: (e) => (
        <time dateTime={e.created_at} className="text-muted">
          {formatDateTime(e.created_at)}
        </time>
      ),
    },
  ];
  return (
    <Card title="Security activity" description="Sign-ins, password and two-factor changes on your account." bodyClassName="">
      {list.isPending ? (
        <TableSkeleton rows={3} />
      ) : list.isError ? (
        <p role="alert" className="p-4 text-sm text-danger">
          {errorMessage(list.error)}
        </p>
      ) : (
        <Table
          caption="Security activity"
          columns={columns}
          rows={list.data.data}
          rowKey={(e) => e.id}
          empty={<p className="p-5 text-sm text-muted">No security events yet.</p>}
        />
      )}
      <Pager
        page={pager.page}
        hasPrev={pager.hasPrev}
        hasNext={Boolean(list.data?.next_cursor)}
        onPrev={pager.prev}
        onNext={() => pager.next(list.data?.next_cursor)}
      />
    </Card>
  );
}
