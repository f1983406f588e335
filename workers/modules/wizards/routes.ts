import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { actorOf } from "../../platform/audit";
import { currentTenantId, currentUserId } from "../../platform/auth";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { forbidden } from "../../platform/errors";
import { appOrigin } from "../../platform/request";
import { createRouter, defineRoute, jsonResponse, noContent, problemDoc } from "../../platform/router";
import {
  abandonWizard,
  completeWizard,
  describeWizard,
  goBack,
  listWizards,
  restartWizard,
  stepStatus,
  submitStep,
  wizardFor,
} from "./service";
import type { WizardContext, WizardDefinition } from "./types";
import { listBuddies } from "./buddies";

/** Wizards (mounted at /api/v1): guided, resumable set-ups; users only (an API key gets 403). */
export const wizardsRoutes = createRouter();

const tags = ["Wizards"];
const TENANT = { auth: "tenant" } as const;

const kindParam = z.object({
  kind: z
    .string()
    .min(1)
    .max(40)
    .openapi({ param: { name: "kind", in: "path" }, example: "security" }),
});
const stepParams = kindParam.extend({
  stepId: z
    .string()
    .min(1)
    .max(40)
    .openapi({ param: { name: "stepId", in: "path" }, example: "mfa" }),
});

const objectSchema = z.object({ type: z.string(), id: z.string(), label: z.string(), href: z.string() }).openapi("WizardObject");
const runSchema = z
  .object({
    status: z.enum(["not_started", "in_progress", "completed", "abandoned"]),
    current_step: z.string().openapi({ description: "The step to resume at" }),
    completed_steps: z.array(z.string()),
    progress: z.object({ done: z.number().int(), total: z.number().int() }),
    state: z.record(z.string(), z.unknown()).openapi({ description: "Answers so far, by step id, plus what steps stored" }),
    objects: z.array(objectSchema).openapi({ description: "What the finished run configured" }),
    started_at: z.string().nullable(),
    updated_at: z.string().nullable(),
    completed_at: z.string().nullable(),
  })
  .openapi("WizardRun");
const summaryFields = {
  kind: z.string(),
  title: z.string(),
  description: z.string(),
  group: z.enum(["Get started", "Sell", "Grow", "Build", "Settings"]),
  permission: z.string(),
};
const listItemSchema = z
  .object({
    ...summaryFields,
    status: runSchema.shape.status,
    current_step: z.string(),
    progress: runSchema.shape.progress,
    updated_at: z.string().nullable(),
  })
  .openapi("WizardListItem");
const definitionSchema = z
  .object({
    ...summaryFields,
    steps: z.array(z.object({ id: z.string(), title: z.string(), description: z.string(), has_status: z.boolean() })),
    run: runSchema,
  })
  .openapi("Wizard");
const stepResultSchema = z
  .object({
    run: runSchema,
    reveal: z.record(z.string(), z.unknown()).optional().openapi({ description: "Shown once, never stored (e.g. a new API key's secret)" }),
  })
  .openapi("WizardStepResult");
const statusSchema = z.object({ ready: z.boolean(), detail: z.record(z.string(), z.unknown()) }).openapi("WizardStepStatus");
const stepBody = {
  body: {
    required: true,
    description: "The step's answers (each step documents its own fields)",
    content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
  },
};

/** The kind the caller may run, and the wizard context its steps act with (users only). */
function wizardRequest(c: Context<AppEnv>, kind: string): { def: WizardDefinition; ctx: WizardContext } {
  if (c.get("principal").kind !== "user") throw forbidden("Wizards are run by a signed-in person, not an API key.");
  const def = wizardFor(kind, c.get("tenant").role);
  const db = getDb(c.env.DB);
  return {
    def,
    ctx: { c, env: c.env, db, tenantId: currentTenantId(c), userId: currentUserId(c), actor: actorOf(c), origin: appOrigin(c) },
  };
}

const refusals = {
  403: problemDoc("An API key, or the role lacks the wizard's permission"),
  404: problemDoc("No such wizard (or step)"),
};

wizardsRoutes.openapi(
  defineRoute(TENANT, {
    method: "get",
    path: "/wizards",
    tags,
    summary: "The set-up wizards the caller's role may run, with each run's status and progress",
    responses: { 200: jsonResponse(z.object({ items: z.array(listItemSchema) }), "Registered kinds, in order") },
  }),
  async (c) => {
    if (c.get("principal").kind !== "user") throw forbidden("Wizards are run by a signed-in person, not an API key.");
    return c.json({ items: await listWizards(getDb(c.env.DB), currentTenantId(c), c.get("tenant").role) }, 200);
  },
);

wizardsRoutes.openapi(
  defineRoute(TENANT, {
    method: "get",
    path: "/wizards/{kind}",
    tags,
    summary: "A wizard's steps with the workspace's run (answers so far and the step to resume at)",
    request: { params: kindParam },
    responses: { 200: jsonResponse(definitionSchema, "Definition and run"), ...refusals },
  }),
  async (c) => {
    const { def, ctx } = wizardRequest(c, c.req.valid("param").kind);
    return c.json(await describeWizard(ctx.db, ctx.tenantId, def), 200);
  },
);

wizardsRoutes.openapi(
  defineRoute(TENANT, {
    method: "post",
    path: "/wizards/{kind}/steps/{stepId}",
    tags,
    summary: "Submit a step: validated by the step's schema, applied, saved; the run advances",
    request: { params: stepParams, ...stepBody },
    responses: {
      200: jsonResponse(stepResultSchema, "Saved; the run points at the next step"),
      ...refusals,
      409: problemDoc("An earlier step is not done, the step is not ready, or the run is finished"),
      422: problemDoc("The step's answers fail validation (errors per field)"),
    },
  }),
  async (c) => {
    const { kind, stepId } = c.req.valid("param");
    const { def, ctx } = wizardRequest(c, kind);
    return c.json(await submitStep(ctx, def, stepId, c.req.valid("json")), 200);
  },
);

wizardsRoutes.openapi(
  defineRoute(TENANT, {
    method: "get",
    path: "/wizards/{kind}/steps/{stepId}/status",
    tags,
    summary: "A step's live status (e.g. first event received), polled while it is shown",
    request: { params: stepParams },
    responses: { 200: jsonResponse(statusSchema, "Ready, with details"), ...refusals },
  }),
  async (c) => {
    const { kind, stepId } = c.req.valid("param");
    const { def, ctx } = wizardRequest(c, kind);
    return c.json(await stepStatus(ctx, def, stepId), 200);
  },
);

const runAction = (path: string, summary: string, run: (ctx: WizardContext, def: WizardDefinition) => Promise<unknown>) =>
  wizardsRoutes.openapi(
    defineRoute(TENANT, {
      method: "post",
      path: `/wizards/{kind}/${path}`,
      tags,
      summary,
      request: { params: kindParam },
      responses: { 200: jsonResponse(runSchema, "The run"), ...refusals, 409: problemDoc("The run is not in a state that allows this") },
    }),
    async (c) => {
      const { def, ctx } = wizardRequest(c, c.req.valid("param").kind);
      return c.json((await run(ctx, def)) as z.infer<typeof runSchema>, 200);
    },
  );

runAction("back", "Go back one step (answers stay)", goBack);
runAction("complete", "Finish: create the remaining objects (idempotent: a second call returns the same objects)", completeWizard);
runAction("restart", "Start over (answers cleared; objects made earlier stay)", restartWizard);

wizardsRoutes.openapi(
  defineRoute(TENANT, {
    method: "delete",
    path: "/wizards/{kind}",
    tags,
    summary: "Abandon the run",
    request: { params: kindParam },
    responses: { 204: noContent, ...refusals },
  }),
  async (c) => {
    const { def, ctx } = wizardRequest(c, c.req.valid("param").kind);
    await abandonWizard(ctx, def);
    return c.body(null, 204);
  },
);

const buddySchema = z
  .object({
    invitation_id: z.string(),
    email: z.string(),
    buddy: z.object({ user_id: z.string(), name: z.string(), email: z.string() }),
    newcomer_user_id: z.string().nullable().openapi({ description: "Set once the invitation is accepted" }),
    notified_at: z.string().nullable().openapi({ description: "When the buddy was told the newcomer joined" }),
    created_at: z.string(),
  })
  .openapi("TeamBuddy");

wizardsRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "members:read" },
    {
      method: "get",
      path: "/team/buddies",
      tags: ["Wizards"],
      summary: "Buddies picked in the team set-up wizard (newest first, at most 200), shown on the Team page",
      responses: { 200: jsonResponse(z.object({ items: z.array(buddySchema) }), "Buddies") },
    },
  ),
  async (c) => c.json({ items: await listBuddies(getDb(c.env.DB), currentTenantId(c)) }, 200),
);
