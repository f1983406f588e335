import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createFileRoute, useNavigate } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { PLAN_LABEL, STATUS_TONE, usd } from "../../../components/billing/format";
import { InvoicesCard } from "../../../components/billing/InvoicesCard";
import { PlanPicker } from "../../../components/billing/PlanPicker";
import { TestClockCard } from "../../../components/billing/TestClockCard";
import { UsageCard } from "../../../components/billing/UsageCard";
import { ConfirmDialog } from "../../../components/team/ConfirmDialog";
import { Badge } from "../../../components/ui/Badge";
import { Button } from "../../../components/ui/Button";
import { Card } from "../../../components/ui/Card";
import { PageSkeleton } from "../../../components/ui/Skeleton";
import { toast } from "../../../components/ui/Toast";
import { api, errorMessage } from "../../../lib/api";
import { formatDate } from "../../../lib/format";
import { tkey, useWorkspace } from "../../../lib/workspace";
import { q } from "../../../lib/queries";

export const Route = createFileRoute("/_app/settings/billing")({
  component: BillingPage,
  validateSearch: (s: Record<string, unknown>) => ({ checkout: typeof s.checkout === "string" ? s.checkout : undefined }),
});

function BillingPage() {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const navigate = useNavigate();
  const { checkout } = Route.useSearch();
  const summary = useQuery({ queryKey: tkey(ws.id, "billing"), queryFn: () => api("GET /api/v1/billing") });
  const canManage = ws.can("billing:manage");
  const [confirmCancel, setConfirmCancel] = useState(false);
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id) });

  useEffect(() => {
    if (!checkout) return;
    if (checkout === "success") toast.success("Payment approved: your plan is active");
    else if (checkout === "declined") toast.error("The payment was declined; your plan did not change");
    else toast.info("Checkout cancelled");
    void navigate({ to: "/settings/billing", search: { checkout: undefined }, replace: true });
  }, [checkout, navigate]);

  const portal = useMutation({
    mutationFn: () => api("POST /api/v1/billing/portal"),
    onSuccess: (r) => window.location.assign(r.url),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const cancel = useMutation({
    mutationFn: (resume: boolean) => api("POST /api/v1/billing/subscription/cancel", { body: { resume } }),
    onSuccess: (_r, resume) => (
      toast.success(resume ? "Cancellation withdrawn" : "Your plan ends at the end of this period"), setConfirmCancel(false), refresh()
    ),
    onError: (e) => toast.error(errorMessage(e)),
  });
  const overage = useMutation({
    mutationFn: (allow: boolean) => api("PATCH /api/v1/billing/settings", { body: { allow_overage: allow } }),
    onSuccess: refresh,
    onError: (e) => toast.error(errorMessage(e)),
  });
  const simPay = useMutation({
    mutationFn: (outcome: "paid" | "failed") => api("POST /api/v1/billing/simulator/payment", { body: { outcome } }),
    onSuccess: refresh,
    onError: (e) => toast.error(errorMessage(e)),
  });

  // Same query (and cache) as the plan picker: included and maximum seats per plan.
  const catalog = useQuery(q.billingPlans());

  if (summary.isPending) return <PageSkeleton />;
  if (summary.isError)
    return (
      <p role="alert" className="text-sm text-danger">
        {errorMessage(summary.error)}
      </p>
    );
  const s = summary.data;
  const sub = s.subscription;
  const paid = sub.plan !== "free";
  const simulated = sub.provider === "simulator";
  const seatsUsed = s.usage.find((u) => u.meter === "seats")?.used ?? 1;
  const plan = catalog.data?.plans.find((p) => p.id === sub.plan);

  return (
    <div className="space-y-6">
      {s.dunning && (
        <div
          role="alert"
          data-testid="dunning-banner"
          className="rounded-xl border border-danger/40 bg-danger-soft px-4 py-3 text-sm text-danger"
        >
          <p className="font-semibold">
            {s.dunning.status === "restricted"
              ? "Payment overdue: this workspace is limited to the Free plan's limits."
              : "Your last payment failed."}
          </p>
          <p>
            {s.dunning.status === "restricted"
              ? "Pay the open invoice to restore your plan."
              : `Update your payment method before ${formatDate(s.dunning.grace_ends_at)} to keep ${PLAN_LABEL[sub.plan]}.`}
          </p>
          {canManage && (
            <div className="mt-2 flex flex-wrap gap-2">
              <Button size="sm" variant="danger" loading={portal.isPending} onClick={() => portal.mutate()}>
                Update payment method
              </Button>
              {simulated && (
                <Button size="sm" variant="secondary" loading={simPay.isPending} onClick={() => simPay.mutate("paid")}>
                  Pay now (simulator)
                </Button>
              )}
            </div>
          )}
        </div>
      )}
      {s.payment.simulator && (
        <p
          role="note"
          data-testid="simulator-note"
          className="rounded-xl border border-warning/40 bg-warning-soft px-4 py-2 text-sm text-warning"
        >
          <strong>Payment simulator</strong> — local development: no Stripe or PayPal keys are set, so checkouts are approved or declined on
          a local page that sends correctly signed webhook events.
        </p>
      )}

      <Card
        title="Current plan"
        actions={
          canManage &&
          paid && (
            <>
              <Button variant="secondary" loading={portal.isPending} onClick={() => portal.mutate()}>
                Payment method
              </Button>
              {sub.cancel_at_period_end ? (
                <Button variant="secondary" loading={cancel.isPending} onClick={() => cancel.mutate(true)}>
                  Keep my plan
                </Button>
              ) : (
                <Button variant="ghost" className="text-danger" onClick={() => setConfirmCancel(true)}>
                  Cancel plan
                </Button>
              )}
            </>
          )
        }
      >
        <div className="flex flex-wrap items-center gap-3">
          <p className="text-2xl font-semibold" data-testid="current-plan">
            {PLAN_LABEL[sub.plan]}
          </p>
          <Badge tone={STATUS_TONE[sub.status] ?? "neutral"}>{sub.status.replace("_", " ")}</Badge>
          {simulated && <Badge tone="warning">Payment simulator</Badge>}
        </div>
        <dl className="mt-3 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <div>
            <dt className="text-muted">Price</dt>
            <dd className="tabular-nums">{paid ? `${usd(s.recurring_cents)} / ${sub.interval === "month" ? "month" : "year"}` : "Free"}</dd>
          </div>
          <div>
            <dt className="text-muted">Seats</dt>
            <dd data-testid="seats">
              {seatsUsed} used · {paid ? `${sub.seats} paid` : `${s.usage.find((u) => u.meter === "seats")?.limit ?? 3} on Free`}
              {plan && (
                <span className="block text-xs text-muted">
                  {paid
                    ? `${plan.included_seats} included${plan.max_seats === null ? "" : `, up to ${plan.max_seats}`}; a new member beyond the paid seats adds one (${usd(sub.interval === "month" ? plan.seat_monthly_cents : plan.seat_yearly_cents)}/${sub.interval}, prorated)`
                    : "Upgrade for more seats"}
                </span>
              )}
            </dd>
          </div>
          {s.trial && (
            <div>
              <dt className="text-muted">Trial ends</dt>
              <dd>{formatDate(s.trial.ends_at)}</dd>
            </div>
          )}
          {paid && (
            <div>
              <dt className="text-muted">{sub.cancel_at_period_end ? "Ends" : "Renews"}</dt>
              <dd>{formatDate(sub.current_period_end)}</dd>
            </div>
          )}
          {s.pending_items_cents !== 0 && (
            <div>
              <dt className="text-muted">On next invoice</dt>
              <dd className="tabular-nums">{usd(s.pending_items_cents)} prorations</dd>
            </div>
          )}
        </dl>
        {simulated && canManage && !s.dunning && (
          <p className="mt-3 text-xs text-muted">
            Simulator: renewals and trial conversions run by themselves on the billing cron with the simulated payment method (change it
            under Payment method: a declining card leads to dunning, none ends a trial on Free, a working card collects failed invoices). Or{" "}
            <button type="button" className="underline" onClick={() => simPay.mutate("failed")}>
              fail the open invoice
            </button>{" "}
            to try the dunning flow now.
          </p>
        )}
      </Card>

      {simulated && s.payment.simulator && <TestClockCard tenantId={ws.id} canManage={canManage} />}

      <UsageCard
        summary={s}
        overageToggle={
          canManage &&
          paid && (
            <label className="flex items-center gap-2 text-sm">
              <input
                type="checkbox"
                checked={sub.allow_overage}
                disabled={overage.isPending}
                onChange={(e) => overage.mutate(e.target.checked)}
              />
              Bill overage instead of blocking
            </label>
          )
        }
      />
      <PlanPicker tenantId={ws.id} summary={s} canManage={canManage} />
      <InvoicesCard tenantId={ws.id} />

      <ConfirmDialog
        open={confirmCancel}
        onClose={() => setConfirmCancel(false)}
        busy={cancel.isPending}
        title={`Cancel ${PLAN_LABEL[sub.plan]}?`}
        confirmLabel="Cancel at period end"
        onConfirm={() => cancel.mutate(false)}
      >
        Your plan stays active until {formatDate(sub.current_period_end)}. After that the workspace moves to Free and its limits.
      </ConfirmDialog>
    </div>
  );
}
