// Public entry of the analytics module: the only file other modules import (see docs/engineering.md).
export { recordHouseEvent } from "./house";
export { recordWorkspaceEvents } from "./server-events";
export type { WorkspaceEvent } from "./server-events";
// Lead scoring (modules/sales): page views per identified person with an email.
export { pageViewsByPerson } from "./visits.port";
export type { PageViewsPage, PersonPageViews } from "./visits.port";
