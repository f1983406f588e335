import { z } from "zod";
import type { Db } from "../../../platform/db";
import { tenantForRef, type BillingEvent } from "../provider-events";
import { parseCustomId, paypalSubscriptionSchema, type PaypalSubscription } from "./client";

export const paypalEventSchema = z
  .object({
    id: z.string().min(1),
    event_type: z.string(),
    create_time: z.string(),
    resource_type: z.string().optional(),
    resource: z.record(z.string(), z.unknown()),
  })
  .passthrough();
export type PaypalEvent = z.infer<typeof paypalEventSchema>;

const saleSchema = z
  .object({
    id: z.string(),
    amount: z.object({ total: z.string(), currency: z.string().optional() }).passthrough(),
    billing_agreement_id: z.string().nullish(),
    custom: z.string().nullish(),
    custom_id: z.string().nullish(),
    invoice_number: z.string().nullish(),
  })
  .passthrough();

const STATUS: Record<string, "active" | "past_due" | "restricted" | "canceled" | "incomplete"> = {
  APPROVAL_PENDING: "incomplete",
  APPROVED: "incomplete",
  ACTIVE: "active",
  SUSPENDED: "restricted",
  CANCELLED: "canceled",
  EXPIRED: "canceled",
};

const toCents = (v: string) => {
  const m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(v.trim());
  if (!m) throw new Error(`bad amount ${v}`);
  return Number(m[1]) * 100 + Number((m[2] ?? "0").padEnd(2, "0"));
};

/** A PayPal subscription resource → subscription event (also used on the approval return). */
export function fromPaypalSubscription(s: PaypalSubscription, at: number, simulated = false): BillingEvent | null {
  const c = parseCustomId(s.custom_id);
  if (!c) return null;
  const next = s.billing_info?.next_billing_time ? Date.parse(s.billing_info.next_billing_time) : null;
  return {
    kind: "subscription.upsert",
    tenantId: c.tenantId,
    provider: simulated ? "simulator" : "paypal",
    customerId: s.subscriber?.payer_id ?? null,
    subscriptionId: s.id,
    plan: c.plan,
    interval: c.interval,
    seats: c.seats,
    status: STATUS[s.status] ?? "incomplete",
    trialEndsAt: null,
    periodStart: null,
    periodEnd: next && Number.isFinite(next) ? next : null,
    cancelAtPeriodEnd: false,
    at,
  };
}

export async function fromPaypalEvent(db: Db, ev: PaypalEvent, simulated = false): Promise<BillingEvent | null> {
  const at = Date.parse(ev.create_time);
  if (!Number.isFinite(at)) return null;
  switch (ev.event_type) {
    case "BILLING.SUBSCRIPTION.ACTIVATED":
    case "BILLING.SUBSCRIPTION.UPDATED":
    case "BILLING.SUBSCRIPTION.RE-ACTIVATED":
    case "BILLING.SUBSCRIPTION.SUSPENDED":
      return fromPaypalSubscription(paypalSubscriptionSchema.parse(ev.resource), at, simulated);
    case "BILLING.SUBSCRIPTION.CANCELLED":
    case "BILLING.SUBSCRIPTION.EXPIRED": {
      const s = paypalSubscriptionSchema.parse(ev.resource);
      const tenantId = parseCustomId(s.custom_id)?.tenantId ?? (await tenantForRef(db, "paypal", s.id));
      return tenantId ? { kind: "subscription.deleted", tenantId, subscriptionId: s.id, at } : null;
    }
    case "BILLING.SUBSCRIPTION.PAYMENT.FAILED": {
      const s = paypalSubscriptionSchema.parse(ev.resource);
      const tenantId = parseCustomId(s.custom_id)?.tenantId ?? (await tenantForRef(db, "paypal", s.id));
      if (!tenantId) return null;
      const amount = (s.billing_info as { last_failed_payment?: { amount?: { value?: string } } } | null | undefined)?.last_failed_payment
        ?.amount?.value;
      return {
        kind: "invoice.payment_failed",
        tenantId,
        provider: simulated ? "simulator" : "paypal",
        providerInvoiceId: `${s.id}:${ev.id}`,
        weftInvoiceId: null,
        amountCents: amount ? toCents(amount) : 0,
        hostedUrl: null,
        periodStart: null,
        periodEnd: null,
        lines: [],
        at,
      };
    }
    case "PAYMENT.SALE.COMPLETED": {
      const sale = saleSchema.parse(ev.resource);
      const custom = sale.custom_id ?? sale.custom ?? null;
      const weftInvoiceId = sale.invoice_number?.startsWith("inv_") ? sale.invoice_number : null;
      const tenantId = parseCustomId(custom)?.tenantId ?? (await tenantForRef(db, "paypal", sale.billing_agreement_id));
      if (!tenantId) return null;
      const cents = toCents(sale.amount.total);
      return {
        kind: "invoice.paid",
        tenantId,
        provider: simulated ? "simulator" : "paypal",
        providerInvoiceId: sale.id,
        weftInvoiceId,
        amountCents: cents,
        hostedUrl: null,
        periodStart: null,
        periodEnd: null,
        lines: [],
        at,
      };
    }
    default:
      return null;
  }
}
