// Public entry of the analytics module: the only file other modules import (see docs/engineering.md).
export { recordHouseEvent } from "./house";
export { recordWorkspaceEvents } from "./server-events";
export type { WorkspaceEvent } from "./server-events";
// Lead scoring (modules/sales): page views per identified person with an email.
export { pageViewsByPerson } from "./visits.port";
export type { PageViewsPage, PersonPageViews } from "./visits.port";
// Wizards (modules/wizards, the analytics set-up): the first tracker event since a moment, the tracker options.
export { firstTrackerEventSince, saveTrackerOptions, trackerOptions } from "./tracker-setup";
export type { TrackerOptions } from "./tracker-setup";
export { analyticsDailyFigures } from "./daily-figures";
// Wizards (modules/wizards, custom dashboard): saved dashboards and the gallery of charts.
export { createDashboard, chartInputSchema, DASHBOARD_GALLERY, getDashboard, type ChartInput } from "./dashboards.service";
