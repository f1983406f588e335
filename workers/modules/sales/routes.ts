import { createRouter } from "../../platform/router";

/** CRM: leads, companies, custom fields, activities, stages and deals, tasks, CSV import/export (mounted at /api/v1; docs/sales.md). */
export const salesRoutes = createRouter();
