/**
 * The wizard engine (issue 18, docs/automation.md § Wizards): one run per (workspace, kind) in
 * `wizard_runs`, steps validated by their zod schema and done in order, each step's `apply` run and
 * its result merged into the saved state, `complete` called once (a second call returns the same
 * objects). Kinds are plain definitions (`types.ts`) registered in `kinds/index.ts`.
 */
import { and, eq, sql } from "drizzle-orm";
import { auditLogs } from "../../../schema/audit";
import { wizardRuns, type WizardObjectRow } from "../../../schema/wizards";
import type { Role } from "../../../schema/tenancy";
import { newId } from "../../platform/ids";
import type { Db } from "../../platform/db";
import { conflict, forbidden, notFound, Problem, zodIssues } from "../../platform/errors";
import { roleHas } from "../../platform/rbac";
import { iso } from "../../platform/request";
import { findWizard, WIZARDS } from "./kinds";
import { REVEAL_KEY, type WizardContext, type WizardDefinition, type WizardObject, type WizardState, type WizardStep } from "./types";

type RunRow = typeof wizardRuns.$inferSelect;

/** The kind's definition, if the caller's role may run it (404 for an unknown kind, 403 otherwise). */
export function wizardFor(kind: string, role: Role | null): WizardDefinition {
  const def = findWizard(kind);
  if (!def) throw notFound("Wizard");
  if (!role || !roleHas(role, def.permission)) {
    throw forbidden(`Your role (${role ?? "API key"}) does not allow \`${def.permission}\`, which the ${def.title} wizard needs.`);
  }
  return def;
}

/** The step and its position; 404 for a step the kind does not have. */
function findStep(def: WizardDefinition, stepId: string): { i: number; step: WizardStep } {
  const i = def.steps.findIndex((s) => s.id === stepId);
  const step = def.steps[i];
  if (!step) throw notFound("Wizard step");
  return { i, step };
}

/** The first step not yet done (the furthest a person may go), or the step count when all are done. */
function firstOpenStep(def: WizardDefinition, done: readonly string[]): number {
  const i = def.steps.findIndex((s) => !done.includes(s.id));
  return i < 0 ? def.steps.length : i;
}

async function loadRun(db: Db, tenantId: string, kind: string): Promise<RunRow | undefined> {
  return db
    .select()
    .from(wizardRuns)
    .where(and(eq(wizardRuns.tenantId, tenantId), eq(wizardRuns.kind, kind)))
    .get();
}

function serializeRun(def: WizardDefinition, run: RunRow | undefined) {
  const done = run ? def.steps.filter((s) => run.completedSteps.includes(s.id)).map((s) => s.id) : [];
  return {
    status: run?.status ?? ("not_started" as const),
    current_step: run?.currentStep ?? def.steps[0]?.id ?? "",
    completed_steps: done,
    progress: { done: done.length, total: def.steps.length },
    state: run?.state ?? {},
    objects: run?.objects ?? [],
    started_at: iso(run?.createdAt),
    updated_at: iso(run?.updatedAt),
    completed_at: iso(run?.completedAt),
  };
}
export type SerializedRun = ReturnType<typeof serializeRun>;

const serializeSummary = (def: WizardDefinition) => ({
  kind: def.kind,
  title: def.title,
  description: def.description,
  group: def.group,
  permission: def.permission,
});

/** Every registered kind the role may run, with its run's status and progress (the list page). */
export async function listWizards(db: Db, tenantId: string, role: Role | null) {
  const runs = await db.select().from(wizardRuns).where(eq(wizardRuns.tenantId, tenantId));
  const byKind = new Map(runs.map((r) => [r.kind, r]));
  return WIZARDS.filter((def) => role && roleHas(role, def.permission)).map((def) => {
    const run = serializeRun(def, byKind.get(def.kind));
    return {
      ...serializeSummary(def),
      status: run.status,
      current_step: run.current_step,
      progress: run.progress,
      updated_at: run.updated_at,
    };
  });
}

/** The definition (steps) with the workspace's run. */
export async function describeWizard(db: Db, tenantId: string, def: WizardDefinition) {
  return {
    ...serializeSummary(def),
    steps: def.steps.map((s) => ({ id: s.id, title: s.title, description: s.description, has_status: Boolean(s.status) })),
    run: serializeRun(def, await loadRun(db, tenantId, def.kind)),
  };
}

/** A fresh run's values (also what restart writes: the answers go, objects made earlier stay in their modules). */
function freshRun(def: WizardDefinition, tenantId: string, userId: string, at: number) {
  return {
    tenantId,
    kind: def.kind,
    status: "in_progress" as const,
    currentStep: def.steps[0]?.id ?? "",
    completedSteps: [] as string[],
    state: {} as WizardState,
    objects: null,
    startedBy: userId,
    updatedBy: userId,
    completedAt: null,
    abandonedAt: null,
    createdAt: at,
    updatedAt: at,
  };
}

async function saveRun(db: Db, values: ReturnType<typeof freshRun> | RunRow): Promise<RunRow> {
  const { tenantId: _t, kind: _k, ...changes } = values;
  return db
    .insert(wizardRuns)
    .values(values)
    .onConflictDoUpdate({ target: [wizardRuns.tenantId, wizardRuns.kind], set: changes })
    .returning()
    .get();
}

/**
 * Submits one step: 409 when an earlier step is not done yet or the run is completed (restart it to
 * run again), 422 with the failing fields when the input fails the step's schema. Runs the step's
 * `apply`, merges its result into the state and advances to the next step. A value `apply` returns
 * under REVEAL_KEY (a secret shown once) goes back in this response only and is never stored.
 */
export async function submitStep(ctx: WizardContext, def: WizardDefinition, stepId: string, input: unknown) {
  const at = Date.now();
  const { i, step } = findStep(def, stepId);
  const existing = await loadRun(ctx.db, ctx.tenantId, def.kind);
  if (existing?.status === "completed") {
    throw conflict(`The ${def.title} wizard is finished; run it again (restart) to change its answers.`, "wizard-completed");
  }
  const run = existing && existing.status === "in_progress" ? existing : { ...freshRun(def, ctx.tenantId, ctx.userId, at), createdAt: at };
  const open = firstOpenStep(def, run.completedSteps);
  if (i > open) {
    const missing = def.steps[open];
    throw new Problem(409, "wizard-step-out-of-order", "Step out of order", `Finish "${missing?.title}" before "${def.steps[i]?.title}".`, {
      expected_step: missing?.id,
    });
  }
  const parsed = step.schema.safeParse(input ?? {});
  if (!parsed.success) {
    const errors = zodIssues(parsed.error);
    throw new Problem(
      422,
      "validation-failed",
      "Check the highlighted fields",
      errors.map((e) => `${e.path || "body"}: ${e.message}`).join("; "),
      {
        errors,
      },
    );
  }
  if (step.requireReady && step.status) {
    const status = await step.status(ctx, run.state);
    if (!status.ready) throw conflict(`"${step.title}" is not ready yet.`, "wizard-step-not-ready");
  }
  const withInput: WizardState = { ...run.state, [step.id]: parsed.data };
  const applied = (await step.apply?.(ctx, parsed.data, withInput)) ?? {};
  const { [REVEAL_KEY]: reveal, ...keep } = applied;
  const completed = def.steps.filter((s) => s.id === step.id || run.completedSteps.includes(s.id)).map((s) => s.id);
  const next = def.steps[Math.min(i + 1, def.steps.length - 1)] ?? step;
  const saved = await saveRun(ctx.db, {
    ...run,
    state: { ...withInput, ...keep },
    completedSteps: completed,
    currentStep: next.id,
    updatedBy: ctx.userId,
    updatedAt: at,
  });
  return { run: serializeRun(def, saved), ...(reveal === undefined ? {} : { reveal: reveal as Record<string, unknown> }) };
}

/** The step's live status (ready + detail); a step without one is always ready. */
export async function stepStatus(ctx: WizardContext, def: WizardDefinition, stepId: string) {
  const { step } = findStep(def, stepId);
  if (!step.status) return { ready: true, detail: {} };
  const run = await loadRun(ctx.db, ctx.tenantId, def.kind);
  return step.status(ctx, run?.state ?? {});
}

/** Moves the resume point one step back (answers stay; the step can be submitted again). */
export async function goBack(ctx: WizardContext, def: WizardDefinition) {
  const run = await loadRun(ctx.db, ctx.tenantId, def.kind);
  if (run?.status !== "in_progress") throw conflict(`The ${def.title} wizard is not in progress.`, "wizard-not-in-progress");
  const i = Math.max(0, def.steps.findIndex((s) => s.id === run.currentStep) - 1);
  const saved = await saveRun(ctx.db, {
    ...run,
    currentStep: def.steps[i]?.id ?? run.currentStep,
    updatedBy: ctx.userId,
    updatedAt: Date.now(),
  });
  return serializeRun(def, saved);
}

/**
 * Finishes the run: every step must be done (409 otherwise); calls the kind's `complete`, stores the
 * objects and writes the `wizard.completed` audit row in one batch. A finished run answers with the
 * objects it stored, so a retried Finish creates nothing twice.
 */
export async function completeWizard(ctx: WizardContext, def: WizardDefinition) {
  const run = await loadRun(ctx.db, ctx.tenantId, def.kind);
  if (run?.status === "completed") return serializeRun(def, run);
  if (run?.status !== "in_progress") throw conflict(`Start the ${def.title} wizard first.`, "wizard-not-in-progress");
  const open = firstOpenStep(def, run.completedSteps);
  if (open < def.steps.length) {
    throw new Problem(409, "wizard-step-out-of-order", "Steps left", `Finish "${def.steps[open]?.title}" first.`, {
      expected_step: def.steps[open]?.id,
    });
  }
  const objects: WizardObjectRow[] = (await def.complete(ctx, run.state)).map((o: WizardObject) => ({
    type: o.type,
    id: o.id,
    label: o.label,
    href: o.href,
  }));
  const at = Date.now();
  const values = { ...run, status: "completed" as const, objects, completedAt: at, updatedBy: ctx.userId, updatedAt: at };
  const { tenantId: _t, kind: _k, ...changes } = values;
  // Only an in-progress row turns completed, and the audit row is written only when that update
  // changed a row (SQLite's changes(), same connection inside the batch): two concurrent Finishes
  // store and audit once.
  const audit = { type: "wizard", id: def.kind, objects: JSON.stringify({ objects: objects.map((o) => ({ type: o.type, id: o.id })) }) };
  const [updated] = await ctx.db.batch([
    ctx.db
      .update(wizardRuns)
      .set(changes)
      .where(and(eq(wizardRuns.tenantId, ctx.tenantId), eq(wizardRuns.kind, def.kind), eq(wizardRuns.status, "in_progress")))
      .returning(),
    // Columns in the table's order (tenant_id, id, action, actor_type, actor_id, target_type, target_id, ip, user_agent, metadata, created_at).
    ctx.db.insert(auditLogs).select(
      sql`select ${ctx.tenantId}, ${newId("aud")}, 'wizard.completed', ${ctx.actor.type}, ${ctx.actor.id}, ${audit.type}, ${audit.id},
        ${ctx.actor.ip}, ${ctx.actor.userAgent}, ${audit.objects}, ${at} where changes() > 0`,
    ),
  ]);
  if (!updated.length) {
    const again = await loadRun(ctx.db, ctx.tenantId, def.kind);
    return serializeRun(def, again);
  }
  return serializeRun(def, updated[0]);
}

/** Starts the run over (any status): the answers are cleared, the objects it made stay where they are. */
export async function restartWizard(ctx: WizardContext, def: WizardDefinition) {
  const at = Date.now();
  return serializeRun(def, await saveRun(ctx.db, freshRun(def, ctx.tenantId, ctx.userId, at)));
}

/** Abandons the run (404 when there is none); it shows as abandoned until restarted. */
export async function abandonWizard(ctx: WizardContext, def: WizardDefinition): Promise<void> {
  const run = await loadRun(ctx.db, ctx.tenantId, def.kind);
  if (!run) throw notFound("Wizard run");
  await saveRun(ctx.db, { ...run, status: "abandoned", abandonedAt: Date.now(), updatedBy: ctx.userId, updatedAt: Date.now() });
}
