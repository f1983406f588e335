import { z } from "@hono/zod-openapi";
import { ONBOARDING_FOCUS, ONBOARDING_STEPS } from "../../../schema/onboarding";
import { getDb } from "../../platform/db";
import { createRouter, defineRoute, jsonBody, jsonResponse } from "../../platform/router";
import { getProgress, saveProgress } from "./service";
import { recordProductEvent } from "../../platform/product-events";

const stepSchema = z.enum(ONBOARDING_STEPS);
const focusSchema = z.enum(ONBOARDING_FOCUS).openapi({ description: "What the workspace wants to set up first" });

const progressSchema = z
  .object({
    step: stepSchema.openapi({ description: "The step to resume at" }),
    completed_steps: z.array(stepSchema),
    focus: focusSchema.nullable(),
    invites_sent: z.number().int(),
    completed: z.boolean(),
    completed_at: z.string().nullable(),
    updated_at: z.string().nullable(),
  })
  .openapi("OnboardingProgress");

const updateSchema = z
  .object({
    step: stepSchema.optional(),
    completed_steps: z
      .array(stepSchema)
      .max(ONBOARDING_STEPS.length)
      .optional()
      .openapi({ description: "Steps to mark done (merged with saved ones)" }),
    focus: focusSchema.nullable().optional(),
    invites_sent: z
      .number()
      .int()
      .min(0)
      .max(100)
      .optional()
      .openapi({ description: "Invitations sent in this step (added to the count)" }),
    completed: z.boolean().optional().openapi({ description: "true finishes the wizard; false reopens it" }),
  })
  .openapi("UpdateOnboardingProgress");

/** First-run wizard progress, saved on the server so it can be resumed; mounted at /api/v1. */
export const onboardingRoutes = createRouter();

onboardingRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "tenant:read" },
    {
      method: "get",
      path: "/onboarding",
      tags: ["Onboarding"],
      summary: "The workspace's onboarding wizard progress",
      responses: { 200: jsonResponse(progressSchema, "Saved progress (defaults if never started)") },
    },
  ),
  async (c) => c.json(await getProgress(getDb(c.env.DB), c.get("tenant").id), 200),
);

onboardingRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "tenant:update" },
    {
      method: "patch",
      path: "/onboarding",
      tags: ["Onboarding"],
      summary: "Save onboarding progress (merge)",
      request: jsonBody(updateSchema),
      responses: { 200: jsonResponse(progressSchema, "The saved progress") },
    },
  ),
  async (c) => {
    const p = c.get("principal");
    const body = c.req.valid("json");
    const tenantId = c.get("tenant").id;
    const userId = p.kind === "user" ? p.userId : null;
    const saved = await saveProgress(getDb(c.env.DB), tenantId, userId, body);
    if (body.completed && saved.completed) {
      // Finishing the wizard is Weft's activation moment (seed 001's "onboarding completed").
      await recordProductEvent(c.env, { name: "onboarding_completed", userId, tenantId, key: `onboarding_completed:${tenantId}` });
      await recordProductEvent(c.env, { name: "activated", userId, tenantId, key: `activated:${tenantId}` });
    }
    return c.json(saved, 200);
  },
);
