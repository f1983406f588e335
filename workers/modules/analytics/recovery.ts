/**
 * The churn-recovery email series: people whose churn-risk score reaches the workspace's threshold
 * (and whose traits carry an email) get three emails — on entering, 4 and 10 days later — through
 * messaging templates the workspace can edit (`analytics.churn_recovery_1…3`, category "product",
 * so recipients can opt out). A person whose score falls below the threshold has recovered and
 * leaves the series; one who slips again after 30 days starts over. Each email is sent once
 * (series state per person, plus an idempotency key on the send). Runs from the daily cron.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { analyticsRecovery, type RecoveryConfig } from "../../../schema/analytics";
import { getDb } from "../../platform/db";
import { getTenant } from "../../platform/directory";
import type { Env } from "../../platform/env";
import { send } from "../messaging";
import { DAY_MS } from "./query/filters";
import { churnRisk } from "./query/growth";

export const RECOVERY_STEPS = [
  { step: 1, afterDays: 0, template: "analytics.churn_recovery_1" },
  { step: 2, afterDays: 4, template: "analytics.churn_recovery_2" },
  { step: 3, afterDays: 10, template: "analytics.churn_recovery_3" },
] as const;
const RESTART_AFTER_MS = 30 * DAY_MS;

const emailOf = (traits: Record<string, unknown>) => (typeof traits.email === "string" && traits.email.includes("@") ? traits.email : null);
const nameOf = (traits: Record<string, unknown>) =>
  typeof traits.name === "string" ? traits.name : typeof traits.first_name === "string" ? traits.first_name : "there";

export async function runRecovery(env: Env, tenantId: string, cfg: RecoveryConfig, now = Date.now()) {
  const db = getDb(env.DB);
  const risky = (await churnRisk(db, tenantId, now, 500)).filter((r) => r.score >= cfg.min_score && emailOf(r.traits));
  const rows = await db.select().from(analyticsRecovery).where(eq(analyticsRecovery.tenantId, tenantId));
  const byPerson = new Map(rows.map((r) => [r.personId, r]));
  const workspace = (await getTenant(db, tenantId)).name;
  const link = env.APP_URL;
  let started = 0;
  let sent = 0;
  let recovered = 0;

  const sendStep = async (personId: string, email: string, name: string, startedAt: number, step: (typeof RECOVERY_STEPS)[number]) => {
    await send(db, env.OUTBOX, {
      tenantId,
      to: { email },
      channels: ["email"],
      template: step.template,
      data: { name, workspace, link },
      category: "product",
      idempotencyKey: `churn-recovery:${tenantId}:${personId}:${startedAt}:${step.step}`,
    });
    sent++;
  };

  for (const r of risky) {
    const email = emailOf(r.traits) ?? "";
    const row = byPerson.get(r.person_id);
    if (!row || (row.recoveredAt !== null && now - row.recoveredAt > RESTART_AFTER_MS)) {
      await db
        .insert(analyticsRecovery)
        .values({ tenantId, personId: r.person_id, email, startedAt: now, step: 1, lastSentAt: now, recoveredAt: null })
        .onConflictDoUpdate({
          target: [analyticsRecovery.tenantId, analyticsRecovery.personId],
          set: { email, startedAt: now, step: 1, lastSentAt: now, recoveredAt: null },
        });
      await sendStep(r.person_id, email, nameOf(r.traits), now, RECOVERY_STEPS[0]);
      started++;
      continue;
    }
    if (row.recoveredAt !== null) continue; // came back recently: leave them be
    const next = RECOVERY_STEPS.find((s) => s.step === row.step + 1);
    if (!next || now - row.startedAt < next.afterDays * DAY_MS) continue;
    // Claim the step first (compare-and-set on the step), so an overlapping run cannot send it twice.
    const claimed = await db
      .update(analyticsRecovery)
      .set({ step: next.step, lastSentAt: now })
      .where(
        and(eq(analyticsRecovery.tenantId, tenantId), eq(analyticsRecovery.personId, r.person_id), eq(analyticsRecovery.step, row.step)),
      )
      .returning({ step: analyticsRecovery.step });
    if (claimed.length) await sendStep(r.person_id, email, nameOf(r.traits), row.startedAt, next);
  }

  const stillRisky = new Set(risky.map((r) => r.person_id));
  for (const row of rows) {
    if (row.recoveredAt === null && !stillRisky.has(row.personId)) {
      await db
        .update(analyticsRecovery)
        .set({ recoveredAt: now })
        .where(
          and(
            eq(analyticsRecovery.tenantId, tenantId),
            eq(analyticsRecovery.personId, row.personId),
            isNull(analyticsRecovery.recoveredAt),
          ),
        );
      recovered++;
    }
  }
  return { started, sent, recovered };
}

/** Daily: every workspace with the series switched on. */
export async function runAllRecoveries(env: Env, now = Date.now()) {
  const db = getDb(env.DB);
  const tenants = await db.all<{ tenant_id: string; recovery: string }>(
    sql`SELECT tenant_id, recovery FROM analytics_settings WHERE json_extract(recovery, '$.enabled') = 1`,
  );
  let sent = 0;
  for (const t of tenants) {
    const cfg = JSON.parse(t.recovery) as RecoveryConfig;
    sent += (await runRecovery(env, t.tenant_id, cfg, now)).sent;
  }
  return { tenants: tenants.length, sent };
}
