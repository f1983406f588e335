import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatDateTime, formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { PageHeader } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../ui/Table";
import {
  FULFILMENT_LABEL,
  FULFILMENT_STATUSES,
  formatMoney,
  ORDER_STATUSES,
  type Order,
  STATUS_LABEL,
  STATUS_TONE,
  type FulfilmentStatus,
  type OrderStatus,
} from "./client";
import { BagIcon } from "./icons";

export function OrderStatusBadge({ status }: { status: OrderStatus }) {
  return (
    <Badge tone={STATUS_TONE[status]} className="whitespace-nowrap">
      {STATUS_LABEL[status]}
    </Badge>
  );
}
export function FulfilmentBadge({ status }: { status: FulfilmentStatus }) {
  if (status === "not_required") return <span className="text-xs whitespace-nowrap text-muted">{FULFILMENT_LABEL[status]}</span>;
  return (
    <Badge tone={status === "fulfilled" ? "success" : status === "partial" ? "warning" : "neutral"} className="whitespace-nowrap">
      {FULFILMENT_LABEL[status]}
    </Badge>
  );
}

/** A UTC day "2026-12-01" → the instant it starts, for the API's from/to. */
const dayStart = (d: string) => (d ? `${d}T00:00:00.000Z` : undefined);
const dayEnd = (d: string) => (d ? new Date(Date.parse(`${d}T00:00:00.000Z`) + 86_400_000).toISOString() : undefined);

/** Orders, newest first: status / fulfilment / date filters, search by number or email, cursor pages. */
export function OrdersPage() {
  const ws = useWorkspace();
  const pager = useCursor();
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  const [status, setStatus] = useState<"" | OrderStatus>("");
  const [fulfilment, setFulfilment] = useState<"" | FulfilmentStatus>("");
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the typed search changes; a new search starts at page 1
  useEffect(() => {
    const t = setTimeout(() => {
      if (search.trim() === q) return;
      setQ(search.trim().replace(/^#/, ""));
      pager.reset();
    }, 250);
    return () => clearTimeout(t);
  }, [search]);
  const query = {
    limit: 25,
    cursor: pager.cursor,
    q: q || undefined,
    status: status || undefined,
    fulfilment_status: fulfilment || undefined,
    from: dayStart(from),
    to: dayEnd(to),
  };
  const list = useQuery({
    queryKey: tkey(ws.id, "commerce", "orders", query),
    queryFn: () => api("GET /api/v1/commerce/orders", { query }),
    placeholderData: keepPreviousData,
  });
  const filter =
    <T,>(set: (v: T) => void) =>
    (v: T) => {
      set(v);
      pager.reset();
    };

  const columns: Column<Order>[] = [
    {
      key: "number",
      header: "Order",
      cell: (o) => (
        <div className="min-w-0">
          <Link to="/commerce/orders/$id" params={{ id: o.id }} className="font-medium text-accent hover:underline">
            #{o.number}
          </Link>
          {/* On a phone the customer column is hidden: the buyer shows under the number. */}
          <span className="block max-w-40 truncate text-xs text-muted sm:hidden">{o.shipping_address?.name || o.email}</span>
        </div>
      ),
      sort: (o) => o.number,
    },
    {
      key: "customer",
      header: "Customer",
      hideOnMobile: true,
      cell: (o) => (
        <div className="min-w-0 max-w-56">
          <div className="truncate">{o.shipping_address?.name || o.email}</div>
          {o.shipping_address?.name && <div className="truncate text-xs text-muted">{o.email}</div>}
        </div>
      ),
    },
    {
      key: "status",
      header: "Payment",
      cell: (o) => <OrderStatusBadge status={o.status} />,
    },
    { key: "fulfilment", header: "Fulfilment", hideOnMobile: true, cell: (o) => <FulfilmentBadge status={o.fulfilment_status} /> },
    {
      key: "total",
      header: "Total",
      className: "text-right tabular-nums",
      cell: (o) => (
        <span>
          {formatMoney(o.total, o.currency)}
          {o.refunded > 0 && <span className="block text-xs text-muted">−{formatMoney(o.refunded, o.currency)} refunded</span>}
        </span>
      ),
      sort: (o) => o.total,
    },
    { key: "items", header: "Items", hideOnMobile: true, className: "tabular-nums", cell: (o) => o.item_count },
    {
      key: "date",
      header: "Date",
      hideOnMobile: true,
      cell: (o) => (
        <span className="whitespace-nowrap text-muted" title={formatDateTime(o.created_at)}>
          {formatRelative(o.created_at)}
        </span>
      ),
      sort: (o) => o.created_at,
    },
  ];

  const filtered = Boolean(q || status || fulfilment || from || to);
  return (
    <>
      <PageHeader
        title="Orders"
        description="Everything bought through your checkout, newest first. Open one for its timeline, refunds and shipping."
      />
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        <div className="grid grid-cols-2 gap-3 border-b border-line p-4 lg:grid-cols-[1fr_10rem_10rem_9.5rem_9.5rem]">
          <Field label="Search orders" className="col-span-2 lg:col-span-1">
            <Input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Order number or email" />
          </Field>
          <Field label="Payment">
            <Select value={status} onChange={(e) => filter(setStatus)(e.target.value as "" | OrderStatus)}>
              <option value="">Any</option>
              {ORDER_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {STATUS_LABEL[s]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Fulfilment">
            <Select value={fulfilment} onChange={(e) => filter(setFulfilment)(e.target.value as "" | FulfilmentStatus)}>
              <option value="">Any</option>
              {FULFILMENT_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {FULFILMENT_LABEL[s]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="From (UTC)">
            <Input type="date" value={from} max={to || undefined} onChange={(e) => filter(setFrom)(e.target.value)} />
          </Field>
          <Field label="To (UTC)">
            <Input type="date" value={to} min={from || undefined} onChange={(e) => filter(setTo)(e.target.value)} />
          </Field>
        </div>
        {list.isPending ? (
          <TableSkeleton rows={6} />
        ) : list.isError ? (
          <p role="alert" className="p-4 text-sm text-danger">
            {errorMessage(list.error)}
          </p>
        ) : (
          <Table
            caption="Orders"
            columns={columns}
            rows={list.data.data}
            rowKey={(o) => o.id}
            empty={
              filtered ? (
                <EmptyState title="No orders match">Try another number, email, status or dates.</EmptyState>
              ) : (
                <EmptyState icon={<BagIcon />} title="No orders yet">
                  Orders appear here as soon as a buyer starts paying on your checkout: pending first, then paid once the payment provider
                  confirms it.
                </EmptyState>
              )
            }
          />
        )}
        <Pager
          page={pager.page}
          hasPrev={pager.hasPrev}
          hasNext={Boolean(list.data?.next_cursor)}
          onPrev={pager.prev}
          onNext={() => pager.next(list.data?.next_cursor)}
        />
      </section>
    </>
  );
}
