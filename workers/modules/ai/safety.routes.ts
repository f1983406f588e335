import { createRouter } from "../../platform/router";

/** The AI safety console: guardrails, the approval queue, the call log's summary and export, model evaluations (mounted at /api/v1; docs/sales.md). */
export const aiSafetyRoutes = createRouter();
