import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatDate, formatDateTime, formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { PageHeader } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Input } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../ui/Table";
import { type Customer, formatMoney } from "./client";
import { BuyerIcon } from "./icons";

/** "$120.00 · €40.00" — lifetime value in each currency the customer paid in. */
export const lifetimeValue = (c: Customer) => c.lifetime_value.map((v) => formatMoney(v.amount, v.currency)).join(" · ") || "—";

/** Everyone who paid for an order: orders, lifetime value, last order; most recent buyer first. */
export function CustomersPage() {
  const ws = useWorkspace();
  const pager = useCursor();
  const [search, setSearch] = useState("");
  const [q, setQ] = useState("");
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the typed search changes; a new search starts at page 1
  useEffect(() => {
    const t = setTimeout(() => {
      if (search.trim() === q) return;
      setQ(search.trim());
      pager.reset();
    }, 250);
    return () => clearTimeout(t);
  }, [search]);
  const query = { limit: 25, cursor: pager.cursor, q: q || undefined };
  const list = useQuery({
    queryKey: tkey(ws.id, "commerce", "customers", query),
    queryFn: () => api("GET /api/v1/commerce/customers", { query }),
    placeholderData: keepPreviousData,
  });
  const columns: Column<Customer>[] = [
    {
      key: "who",
      header: "Customer",
      cell: (c) => (
        <Link to="/commerce/customers/$key" params={{ key: c.key }} className="block min-w-0 max-w-64 hover:underline">
          <span className="block truncate font-medium">{c.name || c.email}</span>
          {c.name && <span className="block truncate text-xs text-muted">{c.email}</span>}
        </Link>
      ),
    },
    {
      key: "account",
      header: "Account",
      hideOnMobile: true,
      cell: (c) => (c.end_user_id ? <Badge tone="accent">Portal account</Badge> : <span className="text-xs text-muted">Guest</span>),
    },
    { key: "orders", header: "Orders", className: "tabular-nums", cell: (c) => c.orders, sort: (c) => c.orders },
    {
      key: "value",
      header: "Lifetime value",
      className: "tabular-nums",
      cell: lifetimeValue,
      sort: (c) => c.lifetime_value[0]?.amount ?? 0,
    },
    {
      key: "last",
      header: "Last order",
      hideOnMobile: true,
      cell: (c) => (
        <span className="text-muted" title={formatDateTime(c.last_order_at)}>
          {formatRelative(c.last_order_at)}
        </span>
      ),
    },
    {
      key: "first",
      header: "Customer since",
      hideOnMobile: true,
      cell: (c) => <span className="text-muted">{formatDate(c.first_order_at)}</span>,
    },
  ];
  return (
    <>
      <PageHeader
        title="Customers"
        description="Everyone who has paid for an order, by email or portal account. Value is net of refunds."
      />
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        <div className="border-b border-line p-4">
          <Field label="Search customers">
            <Input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Email or name" />
          </Field>
        </div>
        {list.isPending ? (
          <TableSkeleton rows={5} />
        ) : list.isError ? (
          <p role="alert" className="p-4 text-sm text-danger">
            {errorMessage(list.error)}
          </p>
        ) : (
          <Table
            caption="Customers"
            columns={columns}
            rows={list.data.data}
            rowKey={(c) => c.key}
            empty={
              q ? (
                <EmptyState title="No customers match">Try part of the email address or the name.</EmptyState>
              ) : (
                <EmptyState icon={<BuyerIcon />} title="No customers yet">
                  A buyer becomes a customer when their first payment is confirmed.
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
