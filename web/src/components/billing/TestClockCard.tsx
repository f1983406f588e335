import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import { api, errorMessage } from "../../lib/api";
import type { AdvanceSimulatorClock, SimulatorClockAdvance } from "../../lib/api-types";
import { formatDate, formatDateTime } from "../../lib/format";
import { tkey } from "../../lib/workspace";
import { Badge } from "../ui/Badge";
import { Button } from "../ui/Button";
import { Input } from "../ui/Field";
import { toast } from "../ui/Toast";

type Step = SimulatorClockAdvance["steps"][number]["step"];
const STEP_LABEL: Record<Step, string> = {
  trial_warned: "Trial ends in 3 days: notice sent",
  trial_converted: "Trial converted: first invoice paid",
  trial_ended: "Trial ended without a working payment method: back on Free",
  renewed: "Renewed: invoice paid",
  renewal_failed: "Renewal charge declined: past due, payment-failed email sent",
  ended: "Cancelled plan ended: back on Free",
  recovered: "Failed invoices collected: active again",
  restricted: "Grace period over: limited to Free",
  monthly_invoice: "Monthly invoice (yearly plan)",
};
const PAYMENT_METHOD = { card: "working card", card_declines: "card that declines", none: "none" } as const;
const DAY = 86_400_000;

/**
 * The payment simulator's test clock (local only), shown on the billing page while the
 * subscription runs on the simulator: the workspace's simulated now, and buttons that move it
 * forward. The server runs what the provider and the billing cron would have done by then, for
 * this workspace only; the page then refreshes (status, invoices, dunning banner).
 */
export function TestClockCard({ tenantId, canManage }: { tenantId: string; canManage: boolean }) {
  const qc = useQueryClient();
  const daysId = useId();
  const [days, setDays] = useState("7");
  const [last, setLast] = useState<SimulatorClockAdvance | null>(null);
  const clock = useQuery({
    queryKey: tkey(tenantId, "billing", "simulator-clock"),
    queryFn: () => api("GET /api/v1/billing/simulator/clock"),
  });
  const advance = useMutation({
    mutationFn: (body: AdvanceSimulatorClock) => api("POST /api/v1/billing/simulator/clock/advance", { body }),
    onSuccess: (r) => {
      setLast(r);
      toast.success(`Test clock at ${formatDateTime(r.to)}${r.steps.length ? `: ${STEP_LABEL[r.steps[r.steps.length - 1].step]}` : ""}`);
      return qc.invalidateQueries({ queryKey: tkey(tenantId) });
    },
    onError: (e) => toast.error(errorMessage(e)),
  });
  const n = Number(days);
  const daysValid = Number.isInteger(n) && n >= 1 && n <= 366;
  const c = clock.data;
  const ahead = c ? Math.floor(c.offset_ms / DAY) : 0;
  const busy = advance.isPending;

  return (
    <section
      aria-labelledby={`${daysId}-title`}
      data-testid="test-clock"
      className="rounded-xl border border-dashed border-warning/60 bg-surface shadow-sm"
    >
      <header className="border-b border-line px-5 py-4">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <h2 id={`${daysId}-title`} className="text-base font-semibold">
            Test clock (payment simulator, local only)
          </h2>
          <Badge tone="warning">Simulated time</Badge>
        </div>
        <p className="mt-0.5 text-sm text-muted">
          Moves this workspace's billing time forward. Renewals, the trial end and dunning then happen at once, at the simulated time, with
          the same signed webhooks the billing cron would send. Other workspaces are not affected. Time only moves forward: there is no
          reset (start over in a new workspace).
        </p>
      </header>
      <div className="space-y-4 p-5">
        {clock.isPending ? (
          <p className="text-sm text-muted">Reading the test clock…</p>
        ) : clock.isError || !c ? (
          <p role="alert" className="text-sm text-danger">
            {errorMessage(clock.error)}
          </p>
        ) : (
          <>
            <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-3">
              <div>
                <dt className="text-muted">Simulated now</dt>
                <dd className="font-medium tabular-nums" data-testid="test-clock-now">
                  <time dateTime={c.now}>{formatDateTime(c.now)}</time>
                </dd>
              </div>
              <div>
                <dt className="text-muted">Ahead of real time</dt>
                <dd className="tabular-nums" data-testid="test-clock-ahead">
                  {c.offset_ms === 0 ? "Not advanced yet" : ahead === 0 ? "Less than a day" : `${ahead} day${ahead === 1 ? "" : "s"}`}
                </dd>
              </div>
              <div>
                <dt className="text-muted">Charges go to</dt>
                <dd>{PAYMENT_METHOD[c.payment_method]} (set under Payment method)</dd>
              </div>
            </dl>
            {canManage ? (
              <div className="flex flex-wrap items-end gap-2">
                {c.targets.renewal && (
                  <Button variant="secondary" loading={busy} onClick={() => advance.mutate({ to: "renewal" })}>
                    Advance to next renewal ({formatDate(c.targets.renewal)})
                  </Button>
                )}
                {c.targets.trial_end && (
                  <Button variant="secondary" loading={busy} onClick={() => advance.mutate({ to: "trial_end" })}>
                    Advance to trial end ({formatDate(c.targets.trial_end)})
                  </Button>
                )}
                {c.targets.grace_end && (
                  <Button variant="secondary" loading={busy} onClick={() => advance.mutate({ to: "grace_end" })}>
                    Advance past grace end ({formatDate(c.targets.grace_end)})
                  </Button>
                )}
                <form
                  className="flex items-end gap-2"
                  onSubmit={(e) => {
                    e.preventDefault();
                    if (daysValid) advance.mutate({ to: "days", days: n });
                  }}
                >
                  <label htmlFor={daysId} className="sr-only">
                    Days to advance
                  </label>
                  <Input
                    id={daysId}
                    type="number"
                    inputMode="numeric"
                    min={1}
                    max={366}
                    value={days}
                    onChange={(e) => setDays(e.target.value)}
                    aria-invalid={!daysValid || undefined}
                    className="w-20"
                  />
                  <Button type="submit" variant="secondary" loading={busy} disabled={!daysValid}>
                    Advance {daysValid ? n : "…"} day{n === 1 ? "" : "s"}
                  </Button>
                </form>
              </div>
            ) : (
              <p className="text-sm text-muted">Only members who manage billing can move the test clock.</p>
            )}
            <p className="text-xs text-muted">
              Failed invoices are retried at every step while a working card is on file; switching to a working card under Payment method
              collects them at once.
            </p>
          </>
        )}
        <div role="status" aria-live="polite" data-testid="test-clock-result">
          {last && (
            <div className="rounded-lg bg-subtle px-3 py-2 text-sm">
              <p className="font-medium">
                Advanced to {formatDateTime(last.to)}
                {last.reached ? "" : " (stopped early: advance again to continue)"}
                {last.steps.length ? ":" : ": nothing was due in between."}
              </p>
              {last.steps.length > 0 && (
                <ol className="mt-1 list-inside list-decimal text-muted">
                  {last.steps.map((s) => (
                    // One step of a kind per instant (a stop repeats no step), so instant + step is unique.
                    <li key={`${s.at}-${s.step}`}>
                      <time dateTime={s.at}>{formatDate(s.at)}</time> — {STEP_LABEL[s.step]}
                    </li>
                  ))}
                </ol>
              )}
            </div>
          )}
        </div>
      </div>
    </section>
  );
}
