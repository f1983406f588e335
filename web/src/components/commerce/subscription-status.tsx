import type { CommerceSubscription, CommerceSubscriptionDetail } from "../../lib/api-types";
import { Badge } from "../ui/Badge";
import { formatMoney } from "./client";

/** Subscription types, status labels and the small bits the list and the detail page share. */
export type Subscription = CommerceSubscription;
export type SubscriptionDetail = CommerceSubscriptionDetail;
export type SubscriptionInvoice = SubscriptionDetail["invoices"][number];
export type SubscriptionStatus = Subscription["status"];

/** Filter order: the statuses a shop looks at most come first. */
export const SUBSCRIPTION_STATUSES: SubscriptionStatus[] = [
  "active",
  "trialing",
  "past_due",
  "canceled",
  "incomplete",
  "incomplete_expired",
];

export const SUBSCRIPTION_STATUS_LABEL: Record<SubscriptionStatus, string> = {
  active: "Active",
  trialing: "Trial",
  past_due: "Past due",
  canceled: "Cancelled",
  incomplete: "Incomplete",
  incomplete_expired: "Never started",
};
const TONE: Record<SubscriptionStatus, "neutral" | "accent" | "success" | "warning" | "danger"> = {
  active: "success",
  trialing: "accent",
  past_due: "danger",
  canceled: "neutral",
  incomplete: "warning",
  incomplete_expired: "neutral",
};

/** Status, plus "Ends …" when it is set to cancel at the period's end (it still runs until then). */
export function SubscriptionStatusBadge({ sub }: { sub: Pick<Subscription, "status" | "cancel_at_period_end"> }) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      <Badge tone={TONE[sub.status]} className="whitespace-nowrap">
        {SUBSCRIPTION_STATUS_LABEL[sub.status]}
      </Badge>
      {sub.cancel_at_period_end && sub.status !== "canceled" && (
        <Badge tone="warning" className="whitespace-nowrap">
          Ending
        </Badge>
      )}
    </span>
  );
}

/** "$12.00 / month", "$100.00 / 3 months". */
export const priceLabel = (s: Pick<Subscription, "amount" | "currency" | "period_label">) =>
  `${formatMoney(s.amount, s.currency)} / ${s.period_label}`;

/** Still running, so it can be cancelled (a cancel at period end can also become "now"). */
export const isRunning = (s: Subscription) => s.status === "active" || s.status === "trialing" || s.status === "past_due";

export const PROVIDER_LABEL: Record<Subscription["provider"], string> = {
  stripe: "Stripe",
  paypal: "PayPal",
  simulator: "Payment simulator (local)",
};

/** The customers page's key for a buyer: their portal account, else their email. */
export const customerKeyOf = (s: Pick<Subscription, "end_user_id" | "email">) =>
  s.end_user_id ? `user:${s.end_user_id}` : `email:${s.email.toLowerCase()}`;
