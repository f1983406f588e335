import { createRouter } from "../../platform/router";

/** ICP and lead scoring: the profile, scores with explanations, rescoring, refits (mounted at /api/v1; docs/sales.md). */
export const scoringRoutes = createRouter();
