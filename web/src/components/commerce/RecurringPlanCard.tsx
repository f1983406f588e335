import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Link } from "@tanstack/react-router";
import { useState } from "react";
import { api, ApiError, errorMessage } from "../../lib/api";
import { tkey, useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Card } from "../ui/Card";
import { Dialog } from "../ui/Dialog";
import { Field, Input, Select } from "../ui/Field";
import { toast } from "../ui/Toast";
import type { Product } from "./client";

type Interval = "month" | "year";
const every = (interval: Interval, count: number) => (count === 1 ? `every ${interval}` : `every ${count} ${interval}s`);

/**
 * The product editor's "Recurring" section: sell the product as a subscription (its variants'
 * prices become the price per period) or one-off again. Running subscriptions keep the plan they
 * were bought with either way.
 */
export function RecurringPlanCard({ product }: { product: Product }) {
  const ws = useWorkspace();
  const qc = useQueryClient();
  const plan = product.recurring;
  const write = ws.can("commerce:write");
  const [editing, setEditing] = useState(false);
  const [interval, setPeriodUnit] = useState<Interval>(plan?.interval ?? "month");
  const [count, setCount] = useState(String(plan?.interval_count ?? 1));
  const [trial, setTrial] = useState(String(plan?.trial_days ?? 0));
  const [error, setError] = useState<ApiError | null>(null);
  const [removing, setRemoving] = useState(false);
  const refresh = () => qc.invalidateQueries({ queryKey: tkey(ws.id, "commerce") });
  const reset = () => {
    setPeriodUnit(plan?.interval ?? "month");
    setCount(String(plan?.interval_count ?? 1));
    setTrial(String(plan?.trial_days ?? 0));
    setError(null);
    setEditing(false);
  };
  const countN = Number(count);
  const trialN = Number(trial);
  const countError = Number.isInteger(countN) && countN >= 1 && countN <= 12 ? undefined : "A whole number from 1 to 12";
  const trialError = Number.isInteger(trialN) && trialN >= 0 && trialN <= 730 ? undefined : "A whole number of days from 0 to 730";
  const save = useMutation({
    mutationFn: () =>
      api("PUT /api/v1/commerce/products/{id}/recurring", {
        params: { id: product.id },
        body: { interval, interval_count: countN, trial_days: trialN },
      }),
    onSuccess: (p) => {
      toast.success(`${product.title} is sold ${every(p.interval, p.interval_count)}`);
      setError(null);
      setEditing(false);
      void refresh();
    },
    onError: (e) => (e instanceof ApiError ? setError(e) : toast.error(errorMessage(e))),
  });
  const remove = useMutation({
    mutationFn: () => api("DELETE /api/v1/commerce/products/{id}/recurring", { params: { id: product.id } }),
    onSuccess: () => {
      toast.success(`${product.title} is sold one-off again`);
      setRemoving(false);
      setEditing(false);
      void refresh();
    },
    onError: (e) => {
      setRemoving(false);
      toast.error(errorMessage(e));
    },
  });

  const summary = plan ? (
    <p className="text-sm">
      Sold as a subscription, charged <strong>{every(plan.interval, plan.interval_count)}</strong>
      {plan.trial_days > 0 ? ` after a ${plan.trial_days}-day free trial` : ""}. Each variant's price is the price per period.{" "}
      <Link to="/commerce/subscriptions" className="text-accent underline underline-offset-2">
        See subscriptions
      </Link>
    </p>
  ) : (
    <p className="text-sm text-muted">Sold one-off. Make it recurring to sell it as a subscription that renews every period.</p>
  );

  return (
    <Card
      title="Recurring"
      description="A subscription checkout holds this product alone; renewals are charged by the payment provider (Stripe or the simulator)."
      actions={
        write &&
        !editing && (
          <>
            {plan && (
              <Button variant="secondary" size="sm" onClick={() => setRemoving(true)}>
                Make one-off
              </Button>
            )}
            <Button variant="secondary" size="sm" onClick={() => setEditing(true)}>
              {plan ? "Change plan" : "Make recurring"}
            </Button>
          </>
        )
      }
    >
      {editing ? (
        <form
          aria-label="Recurring plan"
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            if (!countError && !trialError) save.mutate();
          }}
        >
          {error && !error.problem.errors?.length && (
            <p role="alert" className="text-sm text-danger">
              {error.message}
            </p>
          )}
          <div className="grid gap-3 sm:grid-cols-3">
            <Field label="Charge every" error={error?.field("interval_count") ?? countError}>
              <Input type="number" inputMode="numeric" min={1} max={12} value={count} onChange={(e) => setCount(e.target.value)} />
            </Field>
            <Field label="Period" error={error?.field("interval")}>
              <Select value={interval} onChange={(e) => setPeriodUnit(e.target.value as Interval)}>
                <option value="month">{countN === 1 ? "Month" : "Months"}</option>
                <option value="year">{countN === 1 ? "Year" : "Years"}</option>
              </Select>
            </Field>
            <Field label="Free trial (days)" hint="0 for none" error={error?.field("trial_days") ?? trialError}>
              <Input type="number" inputMode="numeric" min={0} max={730} value={trial} onChange={(e) => setTrial(e.target.value)} />
            </Field>
          </div>
          {plan && (
            <p className="text-xs text-muted">Running subscriptions keep the plan they were bought with; new checkouts get this one.</p>
          )}
          <div className="flex flex-wrap gap-2">
            <Button type="submit" size="sm" loading={save.isPending} disabled={Boolean(countError || trialError)}>
              {plan ? "Save plan" : "Make recurring"}
            </Button>
            <Button variant="secondary" size="sm" onClick={reset}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        summary
      )}
      <Dialog
        open={removing}
        onClose={() => setRemoving(false)}
        title={`Sell ${product.title} one-off again?`}
        description="New checkouts buy it once. Subscriptions already running go on renewing until they are cancelled (Sell › Subscriptions)."
        footer={
          <>
            <Button variant="secondary" onClick={() => setRemoving(false)}>
              Keep recurring
            </Button>
            <Button variant="danger" loading={remove.isPending} onClick={() => remove.mutate()}>
              Make one-off
            </Button>
          </>
        }
      />
    </Card>
  );
}
