import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatDate, formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Card, PageHeader } from "../ui/Card";
import { Skeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { formatMoney } from "./client";
import { CancelSubscriptionDialog } from "./SubscriptionDialogs";
import { SubscriptionHistory } from "./SubscriptionHistory";
import {
  customerKeyOf,
  isRunning,
  PROVIDER_LABEL,
  priceLabel,
  type SubscriptionDetail,
  SubscriptionStatusBadge,
} from "./subscription-status";

/** A subscription: customer, plan and price, the current period, its charges and changes; cancel, resume, and the simulator's renewal. */
export function SubscriptionDetailPage({ id }: { id: string }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [cancelling, setCancelling] = useState(false);
  const key = tkey(ws.id, "commerce", "subscription", id);
  const detail = useQuery({ queryKey: key, queryFn: () => api("GET /api/v1/commerce/subscriptions/{id}", { params: { id } }) });
  const providers = useQuery({
    queryKey: tkey(ws.id, "commerce", "payment-providers"),
    queryFn: () => api("GET /api/v1/commerce/payment-providers"),
    staleTime: 60_000,
  });
  const members = useQuery({
    queryKey: tkey(ws.id, "members", "all"),
    queryFn: () => api("GET /api/v1/members", { query: { limit: 100 } }),
    staleTime: 5 * 60_000,
  });
  const names = new Map((members.data?.data ?? []).map((m) => [m.user_id, m.name || m.email]));
  // The actions answer with the subscription as the provider left it: show that at once, then refetch the lists.
  const applied = (after: SubscriptionDetail) => {
    qc.setQueryData(key, after);
    void qc.invalidateQueries({ queryKey: tkey(ws.id, "commerce", "subscriptions") });
  };
  const resume = useMutation({
    mutationFn: () => api("POST /api/v1/commerce/subscriptions/{id}/resume", { params: { id } }),
    onSuccess: (after) => {
      toast.success("Subscription resumed: it renews again");
      applied(after);
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const simulate = useMutation({
    mutationFn: (outcome: "paid" | "failed") =>
      api("POST /api/v1/commerce/subscriptions/{id}/simulate-renewal", { params: { id }, body: { outcome } }),
    onSuccess: (after, outcome) => {
      toast.success(
        after.status === "canceled"
          ? "Simulated: the period ended"
          : outcome === "paid"
            ? "Simulated: renewal paid"
            : "Simulated: renewal failed",
      );
      applied(after);
    },
    onError: (e) => toast.error(errorMessage(e)),
  });

  if (detail.isError)
    return (
      <>
        <PageHeader title="Subscription" />
        <p role="alert" className="text-sm text-danger">
          {errorMessage(detail.error)}{" "}
          <Link to="/commerce/subscriptions" className="text-accent underline underline-offset-2">
            Back to subscriptions
          </Link>
        </p>
      </>
    );
  if (!detail.data) return <Skeleton className="h-96" />;
  const s = detail.data;
  const write = ws.can("commerce:write");
  const running = isRunning(s);
  const simulator = s.provider === "simulator" && running && providers.data?.simulator.available === true;
  const canceledBy = s.canceled_by
    ? s.canceled_by === "customer"
      ? "the customer (portal)"
      : s.canceled_by === "provider"
        ? PROVIDER_LABEL[s.provider]
        : (names.get(s.canceled_by) ?? "a team member")
    : null;
  return (
    <>
      <PageHeader
        title={s.title}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Link to="/commerce/subscriptions" className="text-accent underline underline-offset-2">
              Subscriptions
            </Link>
            <span aria-hidden="true">›</span>
            <span>{s.email}</span>
            <SubscriptionStatusBadge sub={s} />
          </span>
        }
        actions={
          write &&
          running && (
            <>
              {s.cancel_at_period_end && (
                <Button variant="secondary" loading={resume.isPending} onClick={() => resume.mutate()}>
                  Resume
                </Button>
              )}
              <Button variant="secondary" onClick={() => setCancelling(true)}>
                {s.cancel_at_period_end ? "Cancel now…" : "Cancel subscription…"}
              </Button>
            </>
          )
        }
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="min-w-0 space-y-6">
          <Card title="Plan">
            <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
              <dt className="text-muted">Product</dt>
              <dd>
                <Link to="/commerce/products/$id" params={{ id: s.product_id }} className="text-accent hover:underline">
                  {s.title}
                </Link>
                {s.variant_title && s.variant_title !== "Default" && <span className="text-muted"> · {s.variant_title}</span>}
                {s.quantity > 1 && <span className="text-muted"> · {s.quantity} ×</span>}
              </dd>
              <dt className="text-muted">Price</dt>
              <dd className="tabular-nums">
                {priceLabel(s)}
                <span className="block text-xs text-muted">
                  What the checkout charged (tax, shipping and coupon included), every period.
                </span>
              </dd>
              {s.trial_days > 0 && (
                <>
                  <dt className="text-muted">Trial</dt>
                  <dd>
                    {s.trial_days} days{s.trial_end && ` · until ${formatDate(s.trial_end)}`}
                  </dd>
                </>
              )}
              <dt className="text-muted">Current period</dt>
              <dd>
                {s.current_period_start && s.current_period_end
                  ? `${formatDate(s.current_period_start)} – ${formatDate(s.current_period_end)}`
                  : "Not started"}
                {running && s.current_period_end && (
                  <span className="block text-xs text-muted">
                    {s.cancel_at_period_end ? "Ends" : "Renews"} {formatDateTime(s.current_period_end)}
                  </span>
                )}
              </dd>
              {s.canceled_at && (
                <>
                  <dt className="text-muted">{s.status === "canceled" ? "Cancelled" : "Cancel requested"}</dt>
                  <dd>
                    {formatDateTime(s.canceled_at)}
                    {canceledBy && <span className="text-muted"> by {canceledBy}</span>}
                    {s.cancel_reason && <span className="block text-xs text-muted">“{s.cancel_reason}”</span>}
                  </dd>
                </>
              )}
            </dl>
          </Card>
          <Card title="History" description="Charges (the first period's and each renewal) and changes, newest first.">
            <SubscriptionHistory sub={s} />
          </Card>
        </div>
        <div className="space-y-6">
          <Card title="Customer">
            <p className="text-sm">
              <Link
                to="/commerce/customers/$key"
                params={{ key: customerKeyOf(s) }}
                className="font-medium break-all text-accent hover:underline"
              >
                {s.email}
              </Link>
            </p>
            <p className="mt-1 text-sm text-muted">{s.end_user_id ? "Has a portal account: can cancel it there." : "Bought as a guest."}</p>
            <p className="mt-3 text-sm">
              <Link to="/commerce/orders/$id" params={{ id: s.order_id }} className="text-accent hover:underline">
                First order
              </Link>
            </p>
          </Card>
          <Card title="Payment">
            <dl className="grid gap-1 text-sm">
              <dt className="text-muted">Provider</dt>
              <dd>{PROVIDER_LABEL[s.provider]}</dd>
              {s.provider_subscription_id && (
                <>
                  <dt className="text-muted">Subscription id</dt>
                  <dd className="break-all font-mono text-xs">{s.provider_subscription_id}</dd>
                </>
              )}
              <dt className="text-muted">Charged so far</dt>
              <dd className="tabular-nums">
                {formatMoney(
                  s.invoices.filter((i) => i.status === "paid").reduce((sum, i) => sum + i.amount, 0),
                  s.currency,
                )}
              </dd>
            </dl>
          </Card>
          {simulator && write && (
            <Card
              title="Payment simulator"
              description="Local and development only: end the current period now, as the simulator's signed webhooks would."
            >
              {s.cancel_at_period_end ? (
                <>
                  <Button variant="secondary" size="sm" loading={simulate.isPending} onClick={() => simulate.mutate("paid")}>
                    Simulate the period's end
                  </Button>
                  <p className="mt-2 text-xs text-muted">It is set to end: the period ends now and it is cancelled.</p>
                </>
              ) : (
                <div className="flex flex-wrap gap-2">
                  {(["paid", "failed"] as const).map((outcome) => (
                    <Button
                      key={outcome}
                      variant="secondary"
                      size="sm"
                      loading={simulate.isPending && simulate.variables === outcome}
                      disabled={simulate.isPending}
                      onClick={() => simulate.mutate(outcome)}
                    >
                      Simulate renewal ({outcome})
                    </Button>
                  ))}
                </div>
              )}
            </Card>
          )}
        </div>
      </div>
      <CancelSubscriptionDialog
        key={String(s.cancel_at_period_end)}
        open={cancelling}
        sub={s}
        onClose={() => setCancelling(false)}
        onDone={applied}
      />
    </>
  );
}
