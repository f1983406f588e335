import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { api, errorMessage } from "../../lib/api";
import type { BillingSummary, PlanCatalog } from "../../lib/api-types";
import { q } from "../../lib/queries";
import { tkey } from "../../lib/workspace";
import { CheckIcon } from "../icons";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { cx } from "../ui/cx";
import { Dialog } from "../ui/Dialog";
import { Field, Input } from "../ui/Field";
import { toast } from "../ui/Toast";
import { quantity, usd } from "./format";

type PlanId = "free" | "starter" | "professional" | "enterprise";
type CatalogPlan = PlanCatalog["plans"][number];
const RANK: Record<PlanId, number> = { free: 0, starter: 1, professional: 2, enterprise: 3 };

/** Plan comparison with a monthly/yearly switch, seats, and the upgrade/downgrade flow. */
export function PlanPicker({ tenantId, summary, canManage }: { tenantId: string; summary: BillingSummary; canManage: boolean }) {
  const catalog = useQuery(q.billingPlans());
  const sub = summary.subscription;
  const [interval, setInterval] = useState<"month" | "year">(sub.plan === "free" ? "month" : sub.interval);
  const [seats, setSeats] = useState(Math.max(sub.seats, summary.usage.find((u) => u.meter === "seats")?.used ?? 1));
  const [choice, setChoice] = useState<CatalogPlan | null>(null);
  if (!catalog.data)
    return (
      <Card title="Plans">
        <p className="text-sm text-muted">{catalog.isError ? errorMessage(catalog.error) : "Loading plans…"}</p>
      </Card>
    );
  const limitLabel = (m: string, v: number | null) => {
    const meter = catalog.data.meters.find((x) => x.id === m);
    return v === null
      ? `Unlimited ${meter?.label.toLowerCase()}`
      : `${quantity(meter?.unit ?? "", v)} ${meter?.unit === "bytes" ? meter.label.toLowerCase() : meter?.label.toLowerCase()}`;
  };
  return (
    <Card
      title="Plans"
      description={`Compare plans. Yearly billing saves ${catalog.data.yearly_discount_percent}%.`}
      actions={
        <div role="radiogroup" aria-label="Billing interval" className="inline-flex rounded-lg border border-line p-0.5">
          {(["month", "year"] as const).map((i) => (
            <button
              key={i}
              type="button"
              role="radio"
              aria-checked={interval === i}
              onClick={() => setInterval(i)}
              className={cx(
                "rounded-md px-3 py-1 text-sm font-medium",
                interval === i ? "bg-accent text-accent-fg" : "text-muted hover:text-fg",
              )}
            >
              {i === "month" ? "Monthly" : `Yearly (−${catalog.data.yearly_discount_percent}%)`}
            </button>
          ))}
        </div>
      }
    >
      <div className="mb-4 max-w-48">
        <Field label="Seats" hint="Paid plans include some seats; more are billed per seat.">
          <Input type="number" min={1} max={1000} value={seats} onChange={(e) => setSeats(Math.max(1, Number(e.target.value) || 1))} />
        </Field>
      </div>
      <ul className="grid gap-4 md:grid-cols-2 xl:grid-cols-4" aria-label="Available plans">
        {catalog.data.plans.map((p) => {
          const current = p.id === sub.plan && (p.id === "free" || interval === sub.interval);
          const extra = Math.max(0, seats - p.included_seats);
          const price =
            (interval === "month" ? p.monthly_cents : p.yearly_cents) +
            extra * (interval === "month" ? p.seat_monthly_cents : p.seat_yearly_cents);
          const tooMany = p.max_seats !== null && seats > p.max_seats && p.id !== "free";
          const up = RANK[p.id] > RANK[sub.plan as PlanId];
          return (
            <li
              key={p.id}
              data-testid={`plan-${p.id}`}
              className={cx("flex flex-col rounded-xl border p-4", current ? "border-accent ring-1 ring-accent" : "border-line")}
            >
              <div className="flex items-center justify-between gap-2">
                <h3 className="text-base font-semibold">{p.name}</h3>
                {current && <Badge tone="accent">Current</Badge>}
              </div>
              <p className="mt-1 text-sm text-muted">{p.description}</p>
              <p className="mt-3 text-2xl font-semibold tabular-nums">
                {usd(price)}
                <span className="text-sm font-normal text-muted">/{interval === "month" ? "mo" : "yr"}</span>
              </p>
              <p className="text-xs text-muted">
                {p.id === "free"
                  ? `${p.included_seats} seats`
                  : `${p.included_seats} seats included${p.seat_monthly_cents ? `, then ${usd(interval === "month" ? p.seat_monthly_cents : p.seat_yearly_cents)}/seat` : ""}`}
              </p>
              <ul className="mt-3 flex-1 space-y-1 text-sm">
                {["emails", "leads", "campaigns", "ai_tokens", "storage_bytes"].map((m) => (
                  <li key={m}>{limitLabel(m, p.limits[m] ?? null)}</li>
                ))}
                {p.features.map((f) => (
                  <li key={f} className="flex items-center gap-1.5">
                    <CheckIcon className="size-3.5 text-success" aria-hidden />
                    {catalog.data.features.find((x) => x.id === f)?.label}
                  </li>
                ))}
              </ul>
              {canManage && !current && (
                <Button className="mt-4" variant={up ? "primary" : "secondary"} disabled={tooMany} onClick={() => setChoice(p)}>
                  {tooMany
                    ? `Up to ${p.max_seats} seats`
                    : up
                      ? `Upgrade to ${p.name}`
                      : p.id === sub.plan
                        ? `Switch to ${interval === "year" ? "yearly" : "monthly"}`
                        : `Downgrade to ${p.name}`}
                </Button>
              )}
            </li>
          );
        })}
      </ul>
      {choice && (
        <ChangeDialog
          tenantId={tenantId}
          summary={summary}
          plan={choice}
          interval={interval}
          seats={choice.id === "free" ? choice.included_seats : Math.max(seats, choice.included_seats)}
          onClose={() => setChoice(null)}
        />
      )}
    </Card>
  );
}

function ChangeDialog({
  tenantId,
  summary,
  plan,
  interval,
  seats,
  onClose,
}: {
  tenantId: string;
  summary: BillingSummary;
  plan: CatalogPlan;
  interval: "month" | "year";
  seats: number;
  onClose: () => void;
}) {
  const qc = useQueryClient();
  const fromFree = summary.subscription.plan === "free";
  const [provider, setProvider] = useState<"stripe" | "paypal">("stripe");
  const [trial, setTrial] = useState(fromFree && summary.trial_available && plan.trial_days > 0);
  const preview = useQuery({
    queryKey: tkey(tenantId, "billing-preview", plan.id, interval, seats),
    queryFn: () => api("GET /api/v1/billing/preview", { query: { plan: plan.id, interval, seats } }),
    enabled: plan.id !== "free",
  });
  const go = useMutation({
    mutationFn: async () => {
      if (fromFree) {
        const r = await api("POST /api/v1/billing/checkout", { body: { plan: plan.id, interval, seats, provider, trial } });
        window.location.assign(r.url);
        return "redirect" as const;
      }
      const r = await api("POST /api/v1/billing/subscription/change", { body: { plan: plan.id, interval, seats } });
      if (r.url) window.location.assign(r.url);
      return r.status;
    },
    onSuccess: (s) => {
      if (s === "redirect") return;
      toast.success(s === "scheduled" ? "Your plan will end at the end of this period" : "Plan updated");
      qc.invalidateQueries({ queryKey: tkey(tenantId) });
      onClose();
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const sim = summary.payment.simulator;
  return (
    <Dialog
      open
      onClose={onClose}
      title={plan.id === "free" ? "Downgrade to Free?" : `${fromFree ? "Subscribe to" : "Change to"} ${plan.name}`}
      description={
        plan.id === "free"
          ? "Your plan stays active until the end of the current period, then the workspace moves to Free and its limits."
          : `${seats} seat${seats === 1 ? "" : "s"}, billed ${interval === "month" ? "monthly" : "yearly"}.`
      }
      footer={
        <>
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button variant={plan.id === "free" ? "danger" : "primary"} loading={go.isPending} onClick={() => go.mutate()}>
            {plan.id === "free"
              ? "Downgrade at period end"
              : fromFree
                ? sim
                  ? "Continue to payment simulator"
                  : "Continue to payment"
                : "Confirm change"}
          </Button>
        </>
      }
    >
      {plan.id !== "free" && (
        <div className="space-y-4 text-sm">
          {preview.data && (
            <dl className="grid grid-cols-2 gap-y-1">
              <dt className="text-muted">Recurring</dt>
              <dd className="text-right tabular-nums">
                {usd(preview.data.recurring_cents)}/{interval === "month" ? "mo" : "yr"}
              </dd>
              {!trial && (
                <>
                  <dt className="text-muted">{fromFree ? "Due today (prorated)" : "Prorated now"}</dt>
                  <dd className="text-right tabular-nums" data-testid="due-now">
                    {usd(preview.data.due_now_cents)}
                  </dd>
                </>
              )}
            </dl>
          )}
          {fromFree && (
            <fieldset className="space-y-2">
              <legend className="font-medium">Pay with</legend>
              {(["stripe", "paypal"] as const).map((p) => (
                <label key={p} className="flex items-center gap-2">
                  <input
                    type="radio"
                    name="provider"
                    value={p}
                    checked={provider === p}
                    onChange={() => setProvider(p)}
                    disabled={!summary.payment[p]}
                  />
                  {p === "stripe" ? "Card (Stripe)" : "PayPal"}
                </label>
              ))}
            </fieldset>
          )}
          {fromFree && summary.trial_available && plan.trial_days > 0 && provider === "stripe" && (
            <label className="flex items-center gap-2">
              <input type="checkbox" checked={trial} onChange={(e) => setTrial(e.target.checked)} />
              Start with a {plan.trial_days}-day free trial
            </label>
          )}
          {sim && (
            <p className="rounded-lg bg-warning-soft px-3 py-2 text-warning" role="note">
              Payment simulator: no provider keys are configured, so payment is approved or declined on a local page. No real money moves.
            </p>
          )}
        </div>
      )}
    </Dialog>
  );
}
