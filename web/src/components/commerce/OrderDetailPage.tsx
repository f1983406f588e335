import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import { formatDateTime } from "../../lib/format";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Card, PageHeader } from "../ui/Card";
import { Skeleton } from "../ui/Skeleton";
import { toast } from "../ui/Toast";
import { formatMoney } from "./client";
import { CancelDialog, FulfilDialog, RefundDialog } from "./OrderDialogs";
import { FulfilmentBadge, OrderStatusBadge } from "./OrdersPage";
import { OrderTimeline } from "./OrderTimeline";

const PROVIDER: Record<string, string> = { stripe: "Stripe", paypal: "PayPal", simulator: "Payment simulator (local)" };
const REFUNDABLE = new Set(["paid", "fulfilled", "partially_refunded"]);

/** An order: lines and totals, buyer, payment, shipments, refunds and the timeline of every event, with the staff actions. */
export function OrderDetailPage({ id }: { id: string }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const [dialog, setDialog] = useState<"refund" | "fulfil" | "cancel" | null>(null);
  const key = tkey(ws.id, "commerce", "order", id);
  const order = useQuery({ queryKey: key, queryFn: () => api("GET /api/v1/commerce/orders/{id}", { params: { id } }) });
  const members = useQuery({
    queryKey: tkey(ws.id, "members", "all"),
    queryFn: () => api("GET /api/v1/members", { query: { limit: 100 } }),
    staleTime: 5 * 60_000,
  });
  const names = new Map((members.data?.data ?? []).map((m) => [m.user_id, m.name || m.email]));
  const refresh = () => {
    void qc.invalidateQueries({ queryKey: key });
    void qc.invalidateQueries({ queryKey: tkey(ws.id, "commerce", "orders") });
  };
  const resend = useMutation({
    mutationFn: () => api("POST /api/v1/commerce/orders/{id}/resend-receipt", { params: { id } }),
    onSuccess: () => {
      toast.success("Receipt sent again");
      refresh();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  if (order.isError)
    return (
      <>
        <PageHeader title="Order" />
        <p role="alert" className="text-sm text-danger">
          {errorMessage(order.error)}{" "}
          <Link to="/commerce/orders" className="text-accent underline underline-offset-2">
            Back to orders
          </Link>
        </p>
      </>
    );
  if (!order.data) return <Skeleton className="h-96" />;
  const o = order.data;
  const write = ws.can("commerce:write");
  const money = (n: number) => formatMoney(n, o.currency);
  const unfulfilled = o.lines.some((l) => l.type === "physical" && l.fulfilled_quantity < l.quantity - l.refunded_quantity);
  const canRefund = REFUNDABLE.has(o.status) && o.refunded < o.total;
  const canFulfil = (o.status === "paid" || o.status === "partially_refunded") && unfulfilled;
  // A paid order can be cancelled (refunded in full) only while nothing has gone out: digital goods are delivered at once.
  const canCancel = ["pending", "payment_failed"].includes(o.status) || (o.status === "paid" && o.fulfilment_status === "unfulfilled");
  const customerKey = o.end_user_id ? `user:${o.end_user_id}` : `email:${o.email.toLowerCase()}`;
  const a = o.shipping_address;
  return (
    <>
      <PageHeader
        title={`Order #${o.number}`}
        description={
          <span className="flex flex-wrap items-center gap-2">
            <Link to="/commerce/orders" className="text-accent underline underline-offset-2">
              Orders
            </Link>
            <span aria-hidden="true">›</span>
            <span>{formatDateTime(o.created_at)}</span>
            <OrderStatusBadge status={o.status} />
            <FulfilmentBadge status={o.fulfilment_status} />
          </span>
        }
        actions={
          write && (
            <>
              {o.paid_at && (
                <Button variant="secondary" loading={resend.isPending} onClick={() => resend.mutate()}>
                  Resend receipt
                </Button>
              )}
              {canCancel && (
                <Button variant="secondary" onClick={() => setDialog("cancel")}>
                  Cancel order
                </Button>
              )}
              {canRefund && (
                <Button variant="secondary" onClick={() => setDialog("refund")}>
                  Refund
                </Button>
              )}
              {canFulfil && <Button onClick={() => setDialog("fulfil")}>Mark as shipped</Button>}
            </>
          )
        }
      />
      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <div className="min-w-0 space-y-6">
          <Card title="Items" bodyClassName="p-0">
            <div className="relative overflow-x-auto">
              <table className="w-full text-left text-sm">
                <caption className="sr-only">Order lines</caption>
                <thead className="border-b border-line text-xs text-muted uppercase">
                  <tr>
                    <th scope="col" className="px-4 py-2 font-medium">
                      Item
                    </th>
                    <th scope="col" className="px-4 py-2 text-right font-medium">
                      Qty
                    </th>
                    <th scope="col" className="px-4 py-2 text-right font-medium">
                      Total
                    </th>
                  </tr>
                </thead>
                <tbody className="divide-y divide-line">
                  {o.lines.map((l) => (
                    <tr key={l.id}>
                      <td className="px-4 py-3">
                        <div className="font-medium">{l.title}</div>
                        <div className="text-xs text-muted">
                          {[l.variant_title, l.sku, l.type === "digital" ? "digital" : null].filter(Boolean).join(" · ")} ·{" "}
                          {money(l.unit_amount)} each
                        </div>
                        <div className="text-xs">
                          {l.fulfilled_quantity > 0 && (
                            <span className="text-success">
                              {l.fulfilled_quantity} {l.type === "digital" ? "delivered" : "shipped"}{" "}
                            </span>
                          )}
                          {l.refunded_quantity > 0 && <span className="text-warning">{l.refunded_quantity} refunded</span>}
                        </div>
                      </td>
                      <td className="px-4 py-3 text-right tabular-nums">{l.quantity}</td>
                      <td className="px-4 py-3 text-right tabular-nums">
                        {money(l.total)}
                        {l.discount > 0 && <div className="text-xs text-muted">−{money(l.discount)} off</div>}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <dl className="grid grid-cols-[1fr_auto] gap-x-4 gap-y-1 border-t border-line px-4 py-3 text-sm tabular-nums">
              <dt className="text-muted">Subtotal</dt>
              <dd className="text-right">{money(o.subtotal)}</dd>
              {o.discount > 0 && (
                <>
                  <dt className="text-muted">Discount{o.coupon_code && ` (${o.coupon_code})`}</dt>
                  <dd className="text-right">−{money(o.discount)}</dd>
                </>
              )}
              <dt className="text-muted">Shipping{o.shipping_name && ` (${o.shipping_name})`}</dt>
              <dd className="text-right">{money(o.shipping)}</dd>
              <dt className="text-muted">Tax</dt>
              <dd className="text-right">{money(o.tax)}</dd>
              <dt className="font-semibold">Total</dt>
              <dd className="text-right font-semibold">{money(o.total)}</dd>
              {o.refunded > 0 && (
                <>
                  <dt className="text-warning">Refunded</dt>
                  <dd className="text-right text-warning">−{money(o.refunded)}</dd>
                  <dt className="text-muted">Net</dt>
                  <dd className="text-right">{money(o.total - o.refunded)}</dd>
                </>
              )}
            </dl>
          </Card>
          <Card title="Timeline">
            <OrderTimeline order={o} members={names} canWrite={write} onChanged={refresh} />
          </Card>
        </div>
        <div className="space-y-6">
          <Card title="Customer">
            <p className="text-sm">
              <Link to="/commerce/customers/$key" params={{ key: customerKey }} className="font-medium text-accent hover:underline">
                {a?.name || o.email}
              </Link>
            </p>
            {a?.name && <p className="text-sm text-muted">{o.email}</p>}
            {a && (
              <address className="mt-3 text-sm not-italic text-muted">
                {a.line1}
                {a.line2 && <>, {a.line2}</>}
                <br />
                {a.postal_code} {a.city}
                {a.region && `, ${a.region}`}
                <br />
                {a.country}
                {a.phone && (
                  <>
                    <br />
                    {a.phone}
                  </>
                )}
              </address>
            )}
          </Card>
          <Card title="Payment">
            <dl className="grid gap-1 text-sm">
              <dt className="text-muted">Provider</dt>
              <dd>{PROVIDER[o.provider] ?? o.provider}</dd>
              {o.provider_payment_id && (
                <>
                  <dt className="text-muted">Payment id</dt>
                  <dd className="break-all font-mono text-xs">{o.provider_payment_id}</dd>
                </>
              )}
              {o.paid_at && (
                <>
                  <dt className="text-muted">Paid</dt>
                  <dd>{formatDateTime(o.paid_at)}</dd>
                </>
              )}
              {o.failure_reason && (
                <>
                  <dt className="text-muted">Failure</dt>
                  <dd className="text-danger">{o.failure_reason}</dd>
                </>
              )}
            </dl>
          </Card>
          {o.fulfilments.length > 0 && (
            <Card title="Shipments">
              <ul className="space-y-3 text-sm">
                {o.fulfilments.map((f) => (
                  <li key={f.id}>
                    <p>
                      {f.carrier ?? "Shipped"} · {formatDateTime(f.created_at)}
                    </p>
                    {f.tracking_number &&
                      (f.tracking_url ? (
                        <a
                          href={f.tracking_url}
                          target="_blank"
                          rel="noopener noreferrer"
                          className="font-mono text-xs text-accent hover:underline"
                        >
                          {f.tracking_number}
                        </a>
                      ) : (
                        <span className="font-mono text-xs">{f.tracking_number}</span>
                      ))}
                  </li>
                ))}
              </ul>
            </Card>
          )}
          {o.refunds.length > 0 && (
            <Card title="Refunds">
              <ul className="space-y-2 text-sm">
                {o.refunds.map((r) => (
                  <li key={r.id} className="flex justify-between gap-2">
                    <span>
                      {money(r.amount)} {r.reason && <span className="text-muted">· {r.reason}</span>}
                      {r.failure_reason && <span className="block text-xs text-danger">{r.failure_reason}</span>}
                    </span>
                    <span className={r.status === "succeeded" ? "text-success" : r.status === "failed" ? "text-danger" : "text-warning"}>
                      {r.status === "succeeded" ? "Refunded" : r.status === "failed" ? "Failed" : "Pending"}
                    </span>
                  </li>
                ))}
              </ul>
            </Card>
          )}
        </div>
      </div>
      <RefundDialog open={dialog === "refund"} order={o} onClose={() => setDialog(null)} onDone={refresh} />
      <FulfilDialog open={dialog === "fulfil"} order={o} onClose={() => setDialog(null)} onDone={refresh} />
      <CancelDialog open={dialog === "cancel"} order={o} onClose={() => setDialog(null)} onDone={refresh} />
    </>
  );
}
