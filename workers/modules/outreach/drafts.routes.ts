import { createRouter } from "../../platform/router";

/** The writer's drafts and their approval, writer settings, variant (bandit) figures (mounted at /api/v1; docs/sales.md). */
export const draftsRoutes = createRouter();
