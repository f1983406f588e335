import { and, eq, sql } from "drizzle-orm";
import { billingSubscriptions } from "../../../schema/billing";
import { auditInsert, type Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { latestOpenInvoice } from "./invoices.service";
import { PLANS } from "./plans";
import { notifyBillingContacts as notify } from "./notices";

const SYSTEM: Actor = { type: "system", id: null, ip: null, userAgent: null };

/**
 * Dunning step (cron): past-due workspaces whose grace period ended are limited to Free. With
 * `tenantId`, that workspace only (the simulator's test clock evaluates it at its own billing time).
 */
export async function restrictOverdue(env: Env, db: Db, at = Date.now(), tenantId?: string): Promise<string[]> {
  const rows = await db
    .select()
    .from(billingSubscriptions)
    .where(
      and(
        tenantId ? eq(billingSubscriptions.tenantId, tenantId) : undefined,
        eq(billingSubscriptions.status, "past_due"),
        sql`${billingSubscriptions.graceEndsAt} < ${at}`,
      ),
    );
  const out: string[] = [];
  for (const s of rows) {
    const res = await db
      .update(billingSubscriptions)
      .set({ status: "restricted", updatedAt: at })
      .where(and(eq(billingSubscriptions.tenantId, s.tenantId), eq(billingSubscriptions.status, "past_due")));
    if (!res.meta.changes) continue;
    await auditInsert(db, SYSTEM, {
      tenantId: s.tenantId,
      action: "billing.restricted",
      metadata: { plan: s.plan, grace_ended_at: s.graceEndsAt },
    });
    const open = await latestOpenInvoice(db, s.tenantId);
    await notify(
      env,
      db,
      s.tenantId,
      "billing.restricted",
      { plan: PLANS[s.plan].name },
      `billing.restricted:${s.tenantId}:${open?.id ?? s.graceEndsAt}`,
    );
    out.push(s.tenantId);
  }
  return out;
}
