import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, tenantId, timestamp, updatedAt } from "./columns";

export const ONBOARDING_STEPS = ["workspace", "invite", "focus"] as const;
export type OnboardingStep = (typeof ONBOARDING_STEPS)[number];
export const ONBOARDING_FOCUS = ["team", "api", "widget", "security"] as const;
export type OnboardingFocus = (typeof ONBOARDING_FOCUS)[number];

/** First-run wizard progress, one row per workspace, so it can be resumed from any device. */
export const onboardingProgress = sqliteTable(
  "onboarding_progress",
  {
    tenantId: tenantId(),
    step: text("step", { enum: ONBOARDING_STEPS }).notNull(),
    completedSteps: text("completed_steps", { mode: "json" }).$type<OnboardingStep[]>().notNull(),
    focus: text("focus", { enum: ONBOARDING_FOCUS }),
    invitesSent: integer("invites_sent").notNull().default(0),
    completedAt: timestamp("completed_at"),
    updatedBy: text("updated_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.tenantId] })],
);
