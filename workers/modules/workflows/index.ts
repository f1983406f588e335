// Public entry of the workflows module (docs/automation.md): the composition root wires its event
// listener and cron tick; no other module imports it.
export { onWorkspaceEvent } from "./triggers";
export { AutomationRun } from "./engine";
export { workflowRunsFailed } from "./daily-figures";
// Wizards (modules/wizards, workflow creation): a template's key settings, the draft saved from them, publish.
export { definitionWithSettings, getWorkflowRow, publishIfChanged, saveTemplateDraft, templateDefaults } from "./template-setup";
export type { TemplateSettings } from "./template-setup";
