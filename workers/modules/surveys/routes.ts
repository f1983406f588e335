import { createRouter } from "../../platform/router";
import { feedbackRoutes } from "./feedback.routes";
import { npsRoutes } from "./nps.routes";

export { surveysPublicRoutes } from "./public.routes";
export { surveysScriptRoutes } from "./script.routes";

/** Dashboard API of the surveys module, mounted at /api/v1. */
export const surveysRoutes = createRouter();
surveysRoutes.route("/", npsRoutes);
surveysRoutes.route("/", feedbackRoutes);
