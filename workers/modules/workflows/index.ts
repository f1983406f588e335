// Public entry of the workflows module (docs/automation.md): the composition root wires its event
// listener and cron tick; no other module imports it.
export { onWorkspaceEvent } from "./triggers";
export { AutomationRun } from "./engine";
