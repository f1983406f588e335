import { createRouter } from "../../platform/router";
export const tenancyRoutes = createRouter();
