import { z } from "zod";
import { PLAN_IDS, type BillingInterval, type PlanId, type SubscriptionStatus } from "../../../../schema/billing";
import type { Db } from "../../../platform/db";
import { PLANS } from "../plans";
import type { LineDraft } from "../proration";
import { tenantForRef, type BillingEvent } from "../provider-events";

/** The parts of Stripe objects we read (API 2025+ shapes, with older fields as fallbacks). */
const metadata = z.record(z.string(), z.string()).nullish();
const price = z.object({ id: z.string(), lookup_key: z.string().nullish(), unit_amount: z.number().nullish() }).passthrough();
const subItem = z
  .object({
    quantity: z.number().int().nullish(),
    price,
    current_period_start: z.number().nullish(),
    current_period_end: z.number().nullish(),
  })
  .passthrough();
export const stripeSubscriptionSchema = z
  .object({
    id: z.string(),
    customer: z.union([z.string(), z.object({ id: z.string() }).passthrough()]),
    status: z.string(),
    metadata,
    items: z.object({ data: z.array(subItem) }),
    trial_end: z.number().nullish(),
    cancel_at_period_end: z.boolean().nullish(),
    current_period_start: z.number().nullish(),
    current_period_end: z.number().nullish(),
  })
  .passthrough();
export const stripeInvoiceSchema = z
  .object({
    id: z.string(),
    customer: z.union([z.string(), z.object({ id: z.string() }).passthrough()]).nullish(),
    amount_due: z.number().int(),
    amount_paid: z.number().int().nullish(),
    hosted_invoice_url: z.string().nullish(),
    period_start: z.number().nullish(),
    period_end: z.number().nullish(),
    metadata,
    subscription: z.string().nullish(),
    parent: z
      .object({ subscription_details: z.object({ subscription: z.string().nullish(), metadata }).passthrough().nullish() })
      .passthrough()
      .nullish(),
    lines: z
      .object({
        data: z.array(
          z.object({ amount: z.number().int(), description: z.string().nullish(), quantity: z.number().nullish() }).passthrough(),
        ),
      })
      .nullish(),
  })
  .passthrough();
export const stripeEventSchema = z
  .object({
    id: z.string().min(1),
    type: z.string(),
    created: z.number().int(),
    data: z.object({ object: z.record(z.string(), z.unknown()) }),
    livemode: z.boolean().optional(),
  })
  .passthrough();
export type StripeEvent = z.infer<typeof stripeEventSchema>;

const idOf = (v: string | { id: string } | null | undefined) => (v == null ? null : typeof v === "string" ? v : v.id);

/** `weft_<plan>_<interval>` / `weft_<plan>_seat_<interval>` lookup keys → plan, interval, seats. */
export function planFromItems(
  items: z.infer<typeof subItem>[],
  meta?: Record<string, string> | null,
): { plan: PlanId; interval: BillingInterval; seats: number } | null {
  let plan: PlanId | null = null;
  let interval: BillingInterval | null = null;
  let extra = 0;
  for (const it of items) {
    const m = /^weft_([a-z]+)_(seat_)?(month|year)$/.exec(it.price.lookup_key ?? "");
    if (!m || !(PLAN_IDS as readonly string[]).includes(m[1]!)) continue;
    if (m[2]) extra += it.quantity ?? 0;
    else {
      plan = m[1] as PlanId;
      interval = m[3] as BillingInterval;
    }
  }
  if (!plan && meta?.plan && (PLAN_IDS as readonly string[]).includes(meta.plan)) {
    plan = meta.plan as PlanId;
    interval = meta.interval === "year" ? "year" : "month";
  }
  if (!plan || !interval) return null;
  const seats = meta?.seats && /^\d+$/.test(meta.seats) ? Number(meta.seats) : PLANS[plan].includedSeats + extra;
  return { plan, interval, seats };
}

const STATUS: Record<string, SubscriptionStatus | "incomplete"> = {
  active: "active",
  trialing: "trialing",
  past_due: "past_due",
  unpaid: "past_due",
  paused: "restricted",
  canceled: "canceled",
  incomplete: "incomplete",
  incomplete_expired: "canceled",
};

const ms = (s: number | null | undefined) => (s == null ? null : s * 1000);

/**
 * Turns a verified Stripe event into a BillingEvent (null = a type we do not act on). The tenant
 * comes from our metadata on the object, or from the provider refs we stored for its ids.
 */
export async function fromStripeEvent(db: Db, ev: StripeEvent): Promise<BillingEvent | null> {
  const obj = ev.data.object;
  const at = ev.created * 1000;
  switch (ev.type) {
    case "customer.subscription.created":
    case "customer.subscription.updated":
    case "customer.subscription.deleted":
    case "customer.subscription.paused":
    case "customer.subscription.resumed":
    case "customer.subscription.trial_will_end": {
      const s = stripeSubscriptionSchema.parse(obj);
      const tenantId =
        s.metadata?.tenant_id ?? (await tenantForRef(db, "stripe", s.id)) ?? (await tenantForRef(db, "stripe", idOf(s.customer)));
      if (!tenantId) return null;
      if (ev.type === "customer.subscription.deleted") return { kind: "subscription.deleted", tenantId, subscriptionId: s.id, at };
      if (ev.type === "customer.subscription.trial_will_end")
        return s.trial_end ? { kind: "trial.will_end", tenantId, trialEndsAt: s.trial_end * 1000, at } : null;
      const p = planFromItems(s.items.data, s.metadata);
      if (!p) return null;
      const first = s.items.data[0];
      return {
        kind: "subscription.upsert",
        tenantId,
        provider: s.metadata?.weft_simulator === "true" ? "simulator" : "stripe",
        customerId: idOf(s.customer),
        subscriptionId: s.id,
        ...p,
        status: STATUS[s.status] ?? "incomplete",
        trialEndsAt: s.status === "trialing" ? ms(s.trial_end) : null,
        periodStart: ms(first?.current_period_start ?? s.current_period_start),
        periodEnd: ms(first?.current_period_end ?? s.current_period_end),
        cancelAtPeriodEnd: !!s.cancel_at_period_end,
        at,
      };
    }
    case "invoice.paid":
    case "invoice.payment_failed": {
      const inv = stripeInvoiceSchema.parse(obj);
      const meta = { ...(inv.parent?.subscription_details?.metadata ?? {}), ...(inv.metadata ?? {}) };
      const subId = inv.parent?.subscription_details?.subscription ?? inv.subscription ?? null;
      const tenantId =
        meta.tenant_id ?? (await tenantForRef(db, "stripe", subId)) ?? (await tenantForRef(db, "stripe", idOf(inv.customer)));
      if (!tenantId) return null;
      const lines: LineDraft[] = (inv.lines?.data ?? []).map((l) => ({
        kind: l.amount < 0 ? "credit" : "platform_fee",
        description: l.description ?? "Stripe invoice line",
        quantity: 1,
        unitAmountCents: l.amount,
        unitSize: 1,
        amountCents: l.amount,
      }));
      return {
        kind: ev.type,
        tenantId,
        provider: meta.weft_simulator === "true" ? "simulator" : "stripe",
        providerInvoiceId: inv.id,
        weftInvoiceId: meta.weft_invoice_id ?? null,
        amountCents: inv.amount_due,
        hostedUrl: inv.hosted_invoice_url ?? null,
        periodStart: ms(inv.period_start),
        periodEnd: ms(inv.period_end),
        lines,
        at,
      };
    }
    default:
      return null;
  }
}
