import { useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { api, errorMessage } from "../../lib/api";
import { formatDate, formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Card, PageHeader } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Skeleton } from "../ui/Skeleton";
import { Table, type Column } from "../ui/Table";
import { type CustomerDetail, formatMoney } from "./client";
import { lifetimeValue } from "./CustomersPage";
import { FulfilmentBadge, OrderStatusBadge } from "./OrdersPage";

type CustomerOrder = CustomerDetail["orders"][number];

/** One customer: their figures and every order of theirs (any status), newest first. */
export function CustomerDetailPage({ customerKey }: { customerKey: string }) {
  const ws = useWorkspace();
  const detail = useQuery({
    queryKey: tkey(ws.id, "commerce", "customer", customerKey),
    queryFn: () => api("GET /api/v1/commerce/customers/{key}", { params: { key: customerKey } }),
  });
  if (detail.isError)
    return (
      <>
        <PageHeader title="Customer" />
        <p role="alert" className="text-sm text-danger">
          {errorMessage(detail.error)}{" "}
          <Link to="/commerce/customers" className="text-accent underline underline-offset-2">
            Back to customers
          </Link>
        </p>
      </>
    );
  if (!detail.data) return <Skeleton className="h-80" />;
  const { customer: c, orders } = detail.data;
  const columns: Column<CustomerOrder>[] = [
    {
      key: "number",
      header: "Order",
      cell: (o) => (
        <Link to="/commerce/orders/$id" params={{ id: o.id }} className="font-medium text-accent hover:underline">
          #{o.number}
        </Link>
      ),
    },
    { key: "status", header: "Payment", cell: (o) => <OrderStatusBadge status={o.status} /> },
    { key: "fulfilment", header: "Fulfilment", hideOnMobile: true, cell: (o) => <FulfilmentBadge status={o.fulfilment_status} /> },
    {
      key: "total",
      header: "Total",
      className: "text-right tabular-nums",
      cell: (o) => (
        <>
          {formatMoney(o.total, o.currency)}
          {o.refunded > 0 && <span className="block text-xs text-muted">−{formatMoney(o.refunded, o.currency)}</span>}
        </>
      ),
    },
    { key: "items", header: "Items", hideOnMobile: true, className: "tabular-nums", cell: (o) => o.item_count },
    { key: "date", header: "Date", hideOnMobile: true, cell: (o) => <span className="text-muted">{formatDateTime(o.created_at)}</span> },
  ];
  return (
    <>
      <PageHeader
        title={c.name || c.email}
        description={
          <>
            <Link to="/commerce/customers" className="text-accent underline underline-offset-2">
              Customers
            </Link>{" "}
            › {c.email}
            {c.end_user_id && " · has a portal account"}
          </>
        }
      />
      <dl className="mb-6 grid grid-cols-2 gap-3 lg:grid-cols-4">
        {[
          ["Paid orders", String(c.orders)],
          ["Lifetime value", lifetimeValue(c)],
          ["First order", formatDate(c.first_order_at)],
          ["Last order", formatDate(c.last_order_at)],
        ].map(([k, v]) => (
          <div key={k} className="rounded-xl border border-line bg-surface p-4 shadow-sm">
            <dt className="text-sm text-muted">{k}</dt>
            <dd className="mt-1 text-lg font-semibold tabular-nums">{v}</dd>
          </div>
        ))}
      </dl>
      <Card title="Orders" bodyClassName="p-0">
        <Table caption="Their orders" columns={columns} rows={orders} rowKey={(o) => o.id} empty={<EmptyState title="No orders" />} />
      </Card>
    </>
  );
}
