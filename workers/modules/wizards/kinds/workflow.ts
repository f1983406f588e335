/**
 * Workflow creation wizard: a template → its key settings (fixed recipients of its messages,
 * approvers and timeout of its approval steps, its schedule) → saved as a draft → optionally
 * published → a link to the builder. Gated like the workflows routes: the plan must include
 * `workflows` (402), and publishing needs `workflows:publish`.
 */
import { z } from "zod";
import { requireFeature } from "../../billing";
import { conflict, forbidden } from "../../../platform/errors";
import { roleHas } from "../../../platform/rbac";
import { getWorkflowRow, publishIfChanged, saveTemplateDraft, templateDefaults } from "../../workflows";
import type { WizardDefinition, WizardStep } from "../types";

const step = <S extends z.ZodTypeAny>(s: WizardStep<S>) => s as unknown as WizardStep;
const ROLES = ["owner", "admin", "member", "viewer"] as const;

const templateStep = z.object({ template_id: z.string().min(1, "Pick a template").max(64) });
const settingsStep = z.object({
  name: z.string().trim().min(1, "Name the workflow").max(120),
  recipients: z.record(z.string(), z.string().trim().min(1, "Who receives it?").max(500)).default({}),
  approvals: z
    .record(
      z.string(),
      z.object({
        approver_roles: z.array(z.enum(ROLES)).min(1, "Pick at least one approver role").max(4),
        timeout_hours: z.number().min(0.5).max(720),
      }),
    )
    .default({}),
  schedule: z
    .object({ cron: z.string().trim().min(1).max(100), timezone: z.string().trim().min(1).max(64) })
    .nullable()
    .default(null),
});
const publishStep = z.object({ publish: z.boolean() });

type Answers = {
  template?: z.infer<typeof templateStep>;
  settings?: z.infer<typeof settingsStep>;
  publish?: z.infer<typeof publishStep>;
  workflow_id?: string;
};

export const workflowWizard: WizardDefinition = {
  kind: "workflow",
  title: "Create a workflow",
  description: "Start from a ready-made workflow, fill in who it notifies and who approves, and publish it.",
  permission: "workflows:write",
  group: "Build",
  steps: [
    step({
      id: "template",
      title: "Template",
      description: "Each template is a complete, runnable workflow you can change later in the builder.",
      schema: templateStep,
      apply: async (ctx, input) => {
        await requireFeature(ctx.c, "workflows");
        templateDefaults(input.template_id); // 404 for an unknown template
        return undefined;
      },
    }),
    step({
      id: "settings",
      title: "Key settings",
      description: "Who gets its messages, who approves, and when it runs. Saving creates the workflow as a draft.",
      schema: settingsStep,
      status: async (_ctx, state) => {
        const id = (state as Answers).template?.template_id;
        return { ready: true, detail: id ? (templateDefaults(id) as unknown as Record<string, unknown>) : {} };
      },
      apply: async (ctx, input, state) => {
        await requireFeature(ctx.c, "workflows");
        const a = state as Answers;
        const templateId = a.template?.template_id ?? "";
        const row = await saveTemplateDraft(
          ctx.db,
          ctx.env,
          ctx.tenantId,
          {
            templateId,
            name: input.name,
            settings: { recipients: input.recipients, approvals: input.approvals, schedule: input.schedule },
            existingId: a.workflow_id ?? null,
          },
          ctx.actor,
        );
        return { workflow_id: row.id };
      },
    }),
    step({
      id: "publish",
      title: "Publish",
      description: "A published workflow starts on its trigger; a draft waits in the builder until you publish it.",
      schema: publishStep,
      apply: async (ctx, input) => {
        if (input.publish && !roleHas(ctx.c.get("tenant").role ?? "viewer", "workflows:publish"))
          throw forbidden("Publishing needs `workflows:publish` (owners and admins); keep it as a draft.");
        return undefined;
      },
    }),
  ],
  complete: async (ctx, state) => {
    const a = state as Answers;
    await requireFeature(ctx.c, "workflows");
    if (!a.workflow_id) throw conflict("Save the key settings first.", "wizard-step-missing");
    let row = await getWorkflowRow(ctx.db, ctx.tenantId, a.workflow_id);
    if (a.publish?.publish) row = await publishIfChanged(ctx.db, ctx.tenantId, row.id, ctx.actor);
    return [
      {
        type: "workflow",
        id: row.id,
        label: `${row.name} (${row.status === "published" ? `published, version ${row.publishedVersion}` : "draft"})`,
        href: `/workflows/${row.id}`,
      },
    ];
  },
};
