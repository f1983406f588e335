// Public entry of the analytics module: the only file other modules import (see docs/engineering.md).
export { recordHouseEvent } from "./house";
export { recordWorkspaceEvents } from "./server-events";
export type { WorkspaceEvent } from "./server-events";
