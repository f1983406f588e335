import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatDate, formatDateTime, formatRelative } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { PageHeader } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Field, Select } from "../ui/Field";
import { TableSkeleton } from "../ui/Skeleton";
import { Pager, Table, useCursor, type Column } from "../ui/Table";
import { RepeatIcon } from "./icons";
import {
  priceLabel,
  SUBSCRIPTION_STATUS_LABEL,
  SUBSCRIPTION_STATUSES,
  type Subscription,
  SubscriptionStatusBadge,
  type SubscriptionStatus,
} from "./subscription-status";

/** What the "Next" column says: the renewal date, the end date, or when it ended. */
function nextLabel(s: Subscription): string {
  if (s.status === "canceled") return s.ended_at ? `Ended ${formatDate(s.ended_at)}` : "Ended";
  if (!s.current_period_end) return "—";
  if (s.cancel_at_period_end) return `Ends ${formatDate(s.current_period_end)}`;
  // Past due: the renewal at the period's end failed and the provider retries; it has not moved on.
  if (s.status === "past_due") return `Renewal failed ${formatDate(s.current_period_end)}`;
  if (s.status === "trialing") return `Trial ends ${formatDate(s.trial_end ?? s.current_period_end)}`;
  return `Renews ${formatDate(s.current_period_end)}`;
}

/** Subscriptions sold through checkout, newest first: status filter, cursor pages. */
export function SubscriptionsPage() {
  const ws = useWorkspace();
  const pager = useCursor();
  const [status, setStatus] = useState<"" | SubscriptionStatus>("");
  const query = { limit: 25, cursor: pager.cursor, status: status || undefined };
  const list = useQuery({
    queryKey: tkey(ws.id, "commerce", "subscriptions", query),
    queryFn: () => api("GET /api/v1/commerce/subscriptions", { query }),
    placeholderData: keepPreviousData,
  });

  const columns: Column<Subscription>[] = [
    {
      key: "customer",
      header: "Customer",
      cell: (s) => (
        <div className="min-w-0 max-w-64">
          <Link to="/commerce/subscriptions/$id" params={{ id: s.id }} className="block truncate font-medium text-accent hover:underline">
            {s.email}
          </Link>
          {/* On a phone the plan column is hidden: what they subscribe to shows under the email. */}
          <span className="block truncate text-xs text-muted sm:hidden">
            {s.title} · {priceLabel(s)}
          </span>
        </div>
      ),
      sort: (s) => s.email,
    },
    {
      key: "plan",
      header: "Plan",
      hideOnMobile: true,
      cell: (s) => (
        <div className="min-w-0 max-w-56">
          <div className="truncate">
            {s.quantity > 1 && `${s.quantity} × `}
            {s.title}
          </div>
          {s.variant_title && s.variant_title !== "Default" && <div className="truncate text-xs text-muted">{s.variant_title}</div>}
        </div>
      ),
      sort: (s) => s.title,
    },
    { key: "status", header: "Status", cell: (s) => <SubscriptionStatusBadge sub={s} /> },
    {
      key: "price",
      header: "Price",
      hideOnMobile: true,
      className: "text-right tabular-nums whitespace-nowrap",
      cell: (s) => priceLabel(s),
      sort: (s) => s.amount,
    },
    {
      key: "next",
      header: "Next",
      hideOnMobile: true,
      cell: (s) => <span className="whitespace-nowrap text-muted">{nextLabel(s)}</span>,
      sort: (s) => s.current_period_end ?? "",
    },
    {
      key: "started",
      header: "Started",
      hideOnMobile: true,
      cell: (s) => (
        <span className="whitespace-nowrap text-muted" title={formatDateTime(s.created_at)}>
          {formatRelative(s.created_at)}
        </span>
      ),
      sort: (s) => s.created_at,
    },
  ];

  return (
    <>
      <PageHeader
        title="Subscriptions"
        description="Customers who pay for a recurring product every period. Open one for its charges, to cancel it or to resume it."
      />
      <section className="rounded-xl border border-line bg-surface shadow-sm">
        <div className="grid gap-3 border-b border-line p-4 sm:grid-cols-[12rem]">
          <Field label="Status">
            <Select
              value={status}
              onChange={(e) => {
                setStatus(e.target.value as "" | SubscriptionStatus);
                pager.reset();
              }}
            >
              <option value="">Any</option>
              {SUBSCRIPTION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {SUBSCRIPTION_STATUS_LABEL[s]}
                </option>
              ))}
            </Select>
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
            caption="Subscriptions"
            columns={columns}
            rows={list.data.data}
            rowKey={(s) => s.id}
            empty={
              status ? (
                <EmptyState title={`No ${SUBSCRIPTION_STATUS_LABEL[status].toLowerCase()} subscriptions`}>Try another status.</EmptyState>
              ) : (
                <EmptyState icon={<RepeatIcon />} title="No subscriptions yet">
                  Make a product recurring in its editor (Products › a product › Recurring). Each checkout of it then starts a subscription
                  that renews every period until it is cancelled.
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
