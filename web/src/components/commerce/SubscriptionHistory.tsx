import { formatDate, formatDateTime } from "../../lib/format";
import { formatMoney } from "./client";
import type { SubscriptionDetail } from "./subscription-status";

interface Entry {
  key: string;
  at: string;
  tone: "success" | "danger" | "neutral" | "warning";
  title: string;
  detail?: string;
}

const DOT: Record<Entry["tone"], string> = {
  success: "bg-success",
  danger: "bg-danger",
  warning: "bg-warning",
  neutral: "bg-muted",
};

/**
 * The subscription's story from what the API keeps: when it started, each charge (first period and
 * renewals, paid or failed, with the period it paid for), the cancel request and the end.
 */
function entriesOf(s: SubscriptionDetail): Entry[] {
  const money = (n: number) => formatMoney(n, s.currency);
  const out: Entry[] = [{ key: "created", at: s.created_at, tone: "neutral", title: "Subscribed at checkout" }];
  for (const i of s.invoices) {
    const period = i.period_start && i.period_end ? `${formatDate(i.period_start)} – ${formatDate(i.period_end)}` : undefined;
    const what = i.kind === "first" ? "First period" : "Renewal";
    out.push(
      i.status === "paid"
        ? { key: i.id, at: i.created_at, tone: "success", title: `${what} paid · ${money(i.amount)}`, detail: period }
        : {
            key: i.id,
            at: i.created_at,
            tone: "danger",
            title: `${what} failed · ${money(i.amount)}`,
            detail: [i.failure_reason, period].filter(Boolean).join(" · ") || undefined,
          },
    );
  }
  // A cancel at the period's end keeps its flag after the end, so the request and the end are two entries.
  if (s.canceled_at && s.cancel_at_period_end)
    out.push({
      key: "cancel-requested",
      at: s.canceled_at,
      tone: "warning",
      title: "Set to cancel at the period's end",
      detail: s.cancel_reason ?? undefined,
    });
  if (s.status === "canceled")
    out.push({
      key: "ended",
      at: s.ended_at ?? s.canceled_at ?? s.created_at,
      tone: "neutral",
      title: "Ended",
      detail: s.cancel_at_period_end ? undefined : (s.cancel_reason ?? undefined),
    });
  return out.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

export function SubscriptionHistory({ sub }: { sub: SubscriptionDetail }) {
  const entries = entriesOf(sub);
  return (
    <ol className="space-y-4">
      {entries.map((e) => (
        <li key={e.key} className="flex gap-3 text-sm">
          <span aria-hidden="true" className={`mt-1.5 size-2 shrink-0 rounded-full ${DOT[e.tone]}`} />
          <div className="min-w-0">
            <p className="font-medium">{e.title}</p>
            {e.detail && <p className="text-muted">{e.detail}</p>}
            <p className="text-xs text-muted">{formatDateTime(e.at)}</p>
          </div>
        </li>
      ))}
    </ol>
  );
}
