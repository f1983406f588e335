import { index, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, tenantId, timestamp, updatedAt } from "./columns";

/** Wizards (modules/wizards, docs/automation.md § Wizards). */
export const WIZARD_RUN_STATUSES = ["in_progress", "completed", "abandoned"] as const;
export type WizardRunStatus = (typeof WIZARD_RUN_STATUSES)[number];

/** What a finished wizard configured, for its summary (kept as returned by the kind's `complete`). */
export interface WizardObjectRow {
  type: string;
  id: string;
  label: string;
  href: string;
}

/**
 * One run per (workspace, kind): the answers so far (state, keyed by step id, plus what a step's
 * `apply` stored), the step to resume at and the steps done, so a person can leave and resume on
 * any device. A restart resets the answers; the objects an earlier run made stay where they are.
 */
export const wizardRuns = sqliteTable(
  "wizard_runs",
  {
    tenantId: tenantId(),
    kind: text("kind").notNull(),
    status: text("status", { enum: WIZARD_RUN_STATUSES }).notNull(),
    currentStep: text("current_step").notNull(),
    completedSteps: text("completed_steps", { mode: "json" }).$type<string[]>().notNull(),
    state: text("state", { mode: "json" }).$type<Record<string, unknown>>().notNull(),
    objects: text("objects", { mode: "json" }).$type<WizardObjectRow[]>(),
    startedBy: text("started_by").notNull(),
    updatedBy: text("updated_by").notNull(),
    completedAt: timestamp("completed_at"),
    abandonedAt: timestamp("abandoned_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.kind] })],
);

/**
 * The team wizard's buddies: an existing member who helps a newcomer. Keyed by the invitation; the
 * newcomer's user id and `notified_at` are filled when the invitation is accepted (member.joined),
 * which notifies the buddy once.
 */
export const teamBuddies = sqliteTable(
  "team_buddies",
  {
    tenantId: tenantId(),
    invitationId: text("invitation_id").notNull(),
    email: text("email").notNull(),
    buddyUserId: text("buddy_user_id").notNull(),
    newcomerUserId: text("newcomer_user_id"),
    notifiedAt: timestamp("notified_at"),
    createdBy: text("created_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.tenantId, t.invitationId] }),
    index("team_buddies_tenant_email_idx").on(t.tenantId, t.email),
    index("team_buddies_tenant_newcomer_idx").on(t.tenantId, t.newcomerUserId),
  ],
);
