import { createRouter } from "../../platform/router";

/** Mailboxes, sequences, enrolments and the dev inbox (mounted at /api/v1; docs/sales.md). */
export const outreachRoutes = createRouter();
