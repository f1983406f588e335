import { useQuery } from "@tanstack/react-query";
import { Link, useRouterState } from "@tanstack/react-router";
import { useState } from "react";
import { api } from "../../lib/api";
import type { BillingSummary } from "../../lib/api-types";
import { tkey, useWorkspace } from "../../lib/workspace";
import { cx } from "../ui/cx";
import { PLAN_LABEL, quantity } from "./format";

type Meter = BillingSummary["usage"][number];
const NEAR = 0.8;
const pct = new Intl.NumberFormat(undefined, { style: "percent", maximumFractionDigits: 0 });
const storageKey = (tenantId: string, meter: string) => `weft.usageBanner.${tenantId}.${meter}.${Math.round(NEAR * 100)}`;

/** "this month's analytics events" / "your storage": what the limit is on. */
const what = (m: Meter) => `${m.period === "total" ? "your" : "this month's"} ${m.label.toLowerCase()}`;

/**
 * The upgrade prompt (billing:read): when a meter of GET /api/v1/billing is at 80 % of its limit
 * or more, the fullest one is named with an "Upgrade" link to the billing page. Below 100 % it can be
 * dismissed for the browser session (per workspace, meter and threshold); at 100 % it stays, in the
 * warning tone. Unlimited meters (limit null) never count. Not shown on the billing page itself.
 */
export function UsageLimitBanner() {
  const ws = useWorkspace();
  const canRead = ws.can("billing:read");
  const path = useRouterState({ select: (s) => s.location.pathname });
  const billing = useQuery({
    queryKey: tkey(ws.id, "billing"),
    queryFn: () => api("GET /api/v1/billing"),
    enabled: canRead,
    staleTime: 5 * 60_000,
  });
  const [, setDismissed] = useState(0);
  if (!canRead || !billing.data || path.startsWith("/settings/billing")) return null;

  const near = billing.data.usage
    .filter((m): m is Meter & { limit: number } => m.limit !== null && m.limit > 0 && m.used / m.limit >= NEAR)
    .sort((a, b) => b.used / b.limit - a.used / a.limit);
  const shown = near.filter((m) => m.used >= m.limit || sessionStorage.getItem(storageKey(ws.id, m.meter)) !== "dismissed");
  const m = shown[0];
  if (!m) return null;
  const full = m.used >= m.limit;
  const plan = PLAN_LABEL[billing.data.effective_plan] ?? billing.data.effective_plan;
  const others = shown.length - 1;
  return (
    <aside
      aria-label="Plan limit"
      className={cx(
        "mb-6 flex flex-wrap items-center gap-x-3 gap-y-2 rounded-xl border px-4 py-2.5 text-sm",
        full ? "border-warning/40 bg-warning-soft text-warning" : "border-accent/30 bg-accent-soft text-fg",
      )}
    >
      <p className="min-w-0 flex-1">
        {full ? (
          <strong>
            You've used all of {what(m)} on the {plan} plan
          </strong>
        ) : (
          <>
            You've used <strong>{pct.format(Math.floor((m.used / m.limit) * 100) / 100)}</strong> of {what(m)} on the {plan} plan
          </>
        )}{" "}
        <span className={cx("tabular-nums", !full && "text-muted")}>
          ({quantity(m.unit, m.used)} of {quantity(m.unit, m.limit)})
        </span>
        {full && m.overage_enabled ? ". Extra usage is billed." : "."}
        {others > 0 && (
          <span className={cx(!full && "text-muted")}> {others === 1 ? "One more limit is" : `${others} more limits are`} close too.</span>
        )}
      </p>
      <div className="flex items-center gap-1">
        <Link
          to="/settings/billing"
          search={{ checkout: undefined }}
          className={cx(
            "rounded-md px-3 py-1 font-medium",
            full ? "bg-warning text-white hover:opacity-90 dark:text-canvas" : "bg-accent text-accent-fg hover:opacity-90",
          )}
        >
          Upgrade
        </Link>
        {!full && (
          <button
            type="button"
            className="rounded-md px-2 py-1 font-medium text-muted hover:bg-accent/10 hover:text-fg"
            aria-label={`Dismiss the ${m.label.toLowerCase()} limit notice`}
            onClick={() => {
              sessionStorage.setItem(storageKey(ws.id, m.meter), "dismissed");
              setDismissed((n) => n + 1);
            }}
          >
            Dismiss
          </button>
        )}
      </div>
    </aside>
  );
}
