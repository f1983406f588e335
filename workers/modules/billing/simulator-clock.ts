import { eq, sql } from "drizzle-orm";
import { simulatorClocks } from "../../../schema/billing";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { billingConfig } from "./config";

/**
 * The payment simulator's test clocks: the state only (the advance is in simulator-test-clock.ts).
 *
 * The rule: a workspace's billing time is real time + its clock's offset (0 without a clock, and
 * always 0 where the simulator cannot run, i.e. in production or with provider keys). The offset
 * only grows, so billing time is never behind real time and never goes back. Everything that
 * decides *when* in the subscription's life something happens uses it: the simulator's events,
 * the cron's renewals / trial ends / dunning / monthly invoices for that workspace, prorations
 * applied from the webhooks, and plan-change previews. Usage metering stays on real time.
 */
export async function clockOffset(db: Db, tenantId: string): Promise<number> {
  const row = await db
    .select({ offset: simulatorClocks.offsetMs })
    .from(simulatorClocks)
    .where(eq(simulatorClocks.tenantId, tenantId))
    .get();
  return row?.offset ?? 0;
}

/** The workspace's billing time (see above). Without the simulator it is the real time, without a lookup. */
export async function billingNow(env: Env, db: Db, tenantId: string, real = Date.now()): Promise<number> {
  if (!(await billingConfig(env)).simulatorSecret) return real;
  return real + (await clockOffset(db, tenantId));
}

/** Every workspace with a clock ahead of real time, and its offset (the daily cron evaluates each at its own time). */
export async function clockOffsets(db: Db): Promise<Map<string, number>> {
  const rows = await db
    .select({ tenantId: simulatorClocks.tenantId, offset: simulatorClocks.offsetMs })
    .from(simulatorClocks)
    .where(sql`${simulatorClocks.offsetMs} > 0`);
  return new Map(rows.map((r) => [r.tenantId, r.offset]));
}

/**
 * Moves the workspace's clock so that its billing time at real time `real` is `simulatedAt`.
 * Never backwards: the stored offset is the larger of the old and the new one (two advances racing
 * each other end on the later time).
 */
export async function moveClockTo(db: Db, tenantId: string, simulatedAt: number, real = Date.now()): Promise<void> {
  const offset = Math.max(0, Math.round(simulatedAt - real));
  await db
    .insert(simulatorClocks)
    .values({ tenantId, offsetMs: offset, advancedAt: real, createdAt: real, updatedAt: real })
    .onConflictDoUpdate({
      target: simulatorClocks.tenantId,
      set: {
        offsetMs: sql`max(${simulatorClocks.offsetMs}, excluded.offset_ms)`,
        advancedAt: sql`excluded.advanced_at`,
        updatedAt: sql`excluded.updated_at`,
      },
    });
}
