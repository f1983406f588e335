import { and, eq } from "drizzle-orm";
import { aiCalls } from "../../../schema/ai";
import { aiGuardrails, type ClaimRule, type Disclaimer } from "../../../schema/ai-safety";
import { auditInsert, type Actor } from "../../platform/audit";
import { getDb, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { validationFailed } from "../../platform/errors";
import { createLogger } from "../../platform/logger";
import { checkQuota } from "../billing";
import { evaluate, NO_RULES, ruleNames, type GuardrailRules, type SafetyDecision, type Surface } from "./guardrails";

const log = createLogger({ component: "ai-safety" });

/**
 * How long the AI call log is kept, per plan (days) — the one place this is defined. A workspace
 * may keep it shorter (`log_retention_days`), never longer; the daily cron prunes (calls.service.ts).
 */
export const AI_LOG_RETENTION_DAYS: Record<string, number> = { free: 7, starter: 30, professional: 90, enterprise: 365 };
export const planLogRetentionDays = (plan: string) => AI_LOG_RETENTION_DAYS[plan] ?? 7;
export const effectiveLogRetentionDays = (plan: string, setting: number | null) =>
  setting === null ? planLogRetentionDays(plan) : Math.min(setting, planLogRetentionDays(plan));

/** The workspace's plan id (its subscription through billing's quota state; no side effects). */
export async function currentPlan(db: Db, d1: D1Database, tenantId: string): Promise<string> {
  return (await checkQuota(db, d1, tenantId, "ai_tokens", 0)).plan;
}

export interface Guardrails extends GuardrailRules {
  dailySendCap: number | null;
  logRetentionDays: number | null;
  updatedBy: string | null;
  updatedAt: number | null;
}

export async function getGuardrails(db: Db, tenantId: string): Promise<Guardrails> {
  const row = await db.select().from(aiGuardrails).where(eq(aiGuardrails.tenantId, tenantId)).get();
  if (!row) return { ...NO_RULES, dailySendCap: null, logRetentionDays: null, updatedBy: null, updatedAt: null };
  return {
    blockedTopics: row.blockedTopics,
    blockedPhrases: row.blockedPhrases,
    disclaimers: row.disclaimers,
    claimRules: row.claimRules,
    onBlocked: row.onBlocked,
    dailySendCap: row.dailySendCap ?? null,
    logRetentionDays: row.logRetentionDays ?? null,
    updatedBy: row.updatedBy ?? null,
    updatedAt: row.updatedAt ?? null,
  };
}

export interface GuardrailsInput {
  blockedTopics: string[];
  blockedPhrases: string[];
  disclaimers: Disclaimer[];
  claimRules: ClaimRule[];
  onBlocked: "hold" | "block";
  dailySendCap: number | null;
  logRetentionDays: number | null;
}

/** Replaces the workspace's guardrails (the route checked the plan feature); audited. */
export async function putGuardrails(db: Db, d1: D1Database, tenantId: string, input: GuardrailsInput, actor: Actor): Promise<Guardrails> {
  if (input.logRetentionDays !== null) {
    const plan = await currentPlan(db, d1, tenantId);
    const max = planLogRetentionDays(plan);
    if (input.logRetentionDays > max)
      throw validationFailed([{ path: "log_retention_days", message: `Your plan keeps the AI call log for at most ${max} days.` }]);
  }
  const now = Date.now();
  const values = { ...input, updatedBy: actor.id, updatedAt: now };
  await db.batch([
    db
      .insert(aiGuardrails)
      .values({ tenantId, ...values })
      .onConflictDoUpdate({ target: aiGuardrails.tenantId, set: values }),
    auditInsert(db, actor, {
      tenantId,
      action: "ai.guardrails.updated",
      metadata: {
        blocked_topics: input.blockedTopics.length,
        blocked_phrases: input.blockedPhrases.length,
        disclaimers: input.disclaimers.length,
        claim_rules: input.claimRules.map((c) => c.kind),
        on_blocked: input.onBlocked,
        daily_send_cap: input.dailySendCap,
        log_retention_days: input.logRetentionDays,
      },
    }),
  ]);
  return getGuardrails(db, tenantId);
}

/** Writes a safety decision on its call's `ai_calls` row (rules fired, action taken). */
export async function recordDecision(db: Db, tenantId: string, callId: string, d: Pick<SafetyDecision, "action" | "rules">) {
  await db
    .update(aiCalls)
    .set({ rulesFired: ruleNames(d.rules), action: d.action })
    .where(and(eq(aiCalls.tenantId, tenantId), eq(aiCalls.id, callId)))
    .catch((e) => log.error("ai_decision_log_failed", { tenant_id: tenantId, call_id: callId, error: String(e) }));
}

/**
 * The safety check every AI output in Weft goes through (contract in docs/sales.md):
 * "allowed" (show as is), "modified" (a disclaimer was appended: use `text`), "held" (needs a
 * person's approval: see holdForApproval), "blocked" (must not be shown). With `callId` the
 * decision is also written on that call's `ai_calls` row.
 */
export async function checkOutput(
  env: Env,
  tenantId: string,
  surface: Surface,
  text: string,
  opts: { callId?: string | null; db?: Db } = {},
): Promise<SafetyDecision> {
  const db = opts.db ?? getDb(env.DB);
  const decision = evaluate(await getGuardrails(db, tenantId), surface, text);
  if (opts.callId) await recordDecision(db, tenantId, opts.callId, decision);
  return decision;
}

/** How many more AI-written emails the workspace may send today (null: no cap). */
export async function dailySendCapRemaining(env: Env, tenantId: string, sentToday: number): Promise<number | null> {
  const row = await getDb(env.DB)
    .select({ cap: aiGuardrails.dailySendCap })
    .from(aiGuardrails)
    .where(eq(aiGuardrails.tenantId, tenantId))
    .get();
  const cap = row?.cap ?? null;
  return cap === null ? null : Math.max(0, cap - Math.max(0, sentToday));
}
