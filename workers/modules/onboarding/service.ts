import { eq } from "drizzle-orm";
import { ONBOARDING_STEPS, onboardingProgress, type OnboardingFocus, type OnboardingStep } from "../../../schema/onboarding";
import type { Db } from "../../platform/db";
import { iso } from "../../platform/request";

type Row = typeof onboardingProgress.$inferSelect;

export interface OnboardingUpdate {
  step?: OnboardingStep;
  completed_steps?: OnboardingStep[];
  focus?: OnboardingFocus | null;
  invites_sent?: number;
  completed?: boolean;
}

export function serializeProgress(row: Row | undefined) {
  return {
    step: row?.step ?? "workspace",
    completed_steps: row?.completedSteps ?? [],
    focus: row?.focus ?? null,
    invites_sent: row?.invitesSent ?? 0,
    completed: Boolean(row?.completedAt),
    completed_at: iso(row?.completedAt),
    updated_at: iso(row?.updatedAt),
  };
}

/** The workspace's wizard progress (defaults when the wizard was never opened). */
export async function getProgress(db: Db, tenantId: string) {
  const row = await db.select().from(onboardingProgress).where(eq(onboardingProgress.tenantId, tenantId)).get();
  return serializeProgress(row);
}

/** Merges an update into the saved progress (one upsert, so concurrent saves never half-write). */
export async function saveProgress(db: Db, tenantId: string, userId: string | null, input: OnboardingUpdate) {
  const current = await db.select().from(onboardingProgress).where(eq(onboardingProgress.tenantId, tenantId)).get();
  const at = Date.now();
  const done = new Set<OnboardingStep>([...(current?.completedSteps ?? []), ...(input.completed_steps ?? [])]);
  const values = {
    tenantId,
    step: input.step ?? current?.step ?? "workspace",
    completedSteps: ONBOARDING_STEPS.filter((s) => done.has(s)),
    focus: input.focus === undefined ? (current?.focus ?? null) : input.focus,
    invitesSent: (current?.invitesSent ?? 0) + (input.invites_sent ?? 0),
    completedAt: input.completed === undefined ? (current?.completedAt ?? null) : input.completed ? (current?.completedAt ?? at) : null,
    updatedBy: userId,
    createdAt: current?.createdAt ?? at,
    updatedAt: at,
  };
  const { tenantId: _t, createdAt: _c, ...changes } = values;
  const row = await db
    .insert(onboardingProgress)
    .values(values)
    .onConflictDoUpdate({ target: onboardingProgress.tenantId, set: changes })
    .returning()
    .get();
  return serializeProgress(row);
}
