import type { Db } from "../../platform/db";
import { getTenant } from "../../platform/directory";
import type { Env } from "../../platform/env";
import { send } from "../messaging";
import { money } from "./receipts";
import type { SubscriptionInvoiceRow, SubscriptionRow } from "./subscriptions.service";
import { periodLabel } from "./subscriptions.plans";

/**
 * Subscription emails through messaging templates the workspace can edit, transactional like the
 * order receipt: `commerce.subscription_renewed` (a renewal's receipt),
 * `commerce.subscription_payment_failed`, `commerce.subscription_canceled` (ending at the period's
 * end, ended, or resumed). Each carries an idempotency key of the change it reports, so a change
 * applied twice queues one email. The link is the portal's subscriptions page.
 */

export type SubscriptionNotice = "renewed" | "payment_failed" | "ending" | "canceled" | "resumed";

const day = (t: number | null) => (t ? new Date(t).toISOString().slice(0, 10) : "");

export async function sendSubscriptionNotice(
  env: Env,
  db: Db,
  sub: SubscriptionRow,
  notice: SubscriptionNotice,
  invoice?: SubscriptionInvoiceRow,
): Promise<void> {
  const t = await getTenant(db, sub.tenantId);
  const what = `${sub.quantity > 1 ? `${sub.quantity} × ` : ""}${sub.title}${sub.variantTitle ? ` (${sub.variantTitle})` : ""}`;
  const state = {
    ending: `It will end on ${day(sub.currentPeriodEnd)} and will not renew.`,
    canceled: "It has ended and will not renew.",
    resumed: `It will renew on ${day(sub.currentPeriodEnd)} as before.`,
  };
  const data = {
    workspace: t.name,
    subscription: what,
    price: `${money(sub.amount, sub.currency)} / ${periodLabel(sub)}`,
    amount: invoice ? money(invoice.amount, invoice.currency) : "",
    period_end: day(invoice?.periodEnd ?? sub.currentPeriodEnd),
    state: notice === "ending" || notice === "canceled" || notice === "resumed" ? state[notice] : "",
    link: `${env.APP_URL.replace(/\/$/, "")}/portal/${t.slug}/subscriptions`,
  };
  const template =
    notice === "renewed"
      ? "commerce.subscription_renewed"
      : notice === "payment_failed"
        ? "commerce.subscription_payment_failed"
        : "commerce.subscription_canceled";
  await send(db, env.OUTBOX, {
    tenantId: sub.tenantId,
    to: { email: sub.email },
    channels: ["email"],
    template,
    data,
    category: "transactional",
    idempotencyKey: `${template}:${sub.id}:${invoice?.id ?? `${notice}:${sub.updatedAt}:${sub.currentPeriodEnd ?? 0}`}`,
  });
}
