import { and, eq } from "drizzle-orm";
import {
  billingProviderRefs,
  type BillingInterval,
  type BillingProvider,
  type PlanId,
  type SubscriptionStatus,
} from "../../../schema/billing";
import type { Db } from "../../platform/db";
import type { LineDraft } from "./proration";

/** Provider events, normalised: what Stripe, PayPal and the simulator all turn into. */
export type BillingEvent =
  | {
      kind: "subscription.upsert";
      tenantId: string;
      provider: BillingProvider;
      customerId: string | null;
      subscriptionId: string;
      plan: PlanId;
      interval: BillingInterval;
      seats: number;
      status: SubscriptionStatus | "incomplete";
      trialEndsAt: number | null;
      periodStart: number | null;
      periodEnd: number | null;
      cancelAtPeriodEnd: boolean;
      at: number;
    }
  | { kind: "subscription.deleted"; tenantId: string; subscriptionId: string; at: number }
  | { kind: "trial.will_end"; tenantId: string; trialEndsAt: number; at: number }
  | {
      kind: "invoice.paid" | "invoice.payment_failed";
      tenantId: string;
      provider: BillingProvider;
      providerInvoiceId: string;
      weftInvoiceId: string | null;
      amountCents: number;
      hostedUrl: string | null;
      periodStart: number | null;
      periodEnd: number | null;
      lines: LineDraft[];
      at: number;
    };

export type ApplyOutcome = "applied" | "ignored_stale" | "ignored_unknown";

export async function rememberRef(db: Db, provider: "stripe" | "paypal", ref: string | null | undefined, tenantId: string) {
  if (!ref) return;
  await db.insert(billingProviderRefs).values({ provider, ref, tenantId, createdAt: Date.now() }).onConflictDoNothing();
}
export async function tenantForRef(db: Db, provider: "stripe" | "paypal", ref: string | null | undefined): Promise<string | null> {
  if (!ref) return null;
  const row = await db
    .select({ tenantId: billingProviderRefs.tenantId })
    .from(billingProviderRefs)
    .where(and(eq(billingProviderRefs.provider, provider), eq(billingProviderRefs.ref, ref)))
    .get();
  return row?.tenantId ?? null;
}
