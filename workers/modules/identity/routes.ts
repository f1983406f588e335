import { createRouter } from "../../platform/router";
export const identityRoutes = createRouter();
