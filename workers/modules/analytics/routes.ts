import { analyticsExpansionRoutes } from "./expansion.routes";
import { analyticsUpgradePromptRoutes } from "./upgrade-prompts.routes";
import { analyticsDestinationRoutes } from "./forwarding/destinations.routes";
import { analyticsFunnelRoutes } from "./funnels.routes";
import { analyticsGrowthRoutes } from "./growth.routes";
import { ingestApiRoutes, ingestPublicRoutes } from "./ingest.routes";
import { analyticsQueryRoutes } from "./query.routes";
import { analyticsSettingsRoutes } from "./settings.routes";
import { createRouter } from "../../platform/router";

/** Workspace routes (mounted at /api/v1). */
export const analyticsRoutes = createRouter();
analyticsRoutes.route("/", ingestApiRoutes);
analyticsRoutes.route("/", analyticsQueryRoutes);
analyticsRoutes.route("/", analyticsFunnelRoutes);
analyticsRoutes.route("/", analyticsGrowthRoutes);
analyticsRoutes.route("/", analyticsExpansionRoutes);
analyticsRoutes.route("/", analyticsUpgradePromptRoutes);
analyticsRoutes.route("/", analyticsSettingsRoutes);
analyticsRoutes.route("/", analyticsDestinationRoutes);

/** Tracker endpoints (mounted at /public/v1). */
export { ingestPublicRoutes as analyticsPublicRoutes };

/** The tracker snippet (mounted at /). */
export { trackerRoutes } from "./tracker.routes";

/** Local-only bench helpers (mounted at /dev/analytics-bench). */
export { analyticsBenchRoutes } from "./bench.routes";
