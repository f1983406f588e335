// Public entry of the workflows module (docs/automation.md): the composition root wires its event
// listener and cron tick. The AutomationRun class is exported by workers/index.ts from
// automation-run.do.ts, not from here: it needs workerd's "cloudflare:workers" at load time.
export { onWorkspaceEvent } from "./triggers";
export { workflowRunsFailed } from "./daily-figures";
// Wizards (modules/wizards, workflow creation): a template's key settings, the draft saved from them, publish.
export { definitionWithSettings, getWorkflowRow, publishIfChanged, saveTemplateDraft, templateDefaults } from "./template-setup";
export type { TemplateSettings } from "./template-setup";
