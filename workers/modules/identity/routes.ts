import { createRouter } from "../../platform/router";
import { authRoutes } from "./auth.routes";
import { meRoutes } from "./me.routes";
import { mfaRoutes } from "./mfa.routes";

export const identityRoutes = createRouter();
identityRoutes.route("/", authRoutes);
identityRoutes.route("/", meRoutes);
identityRoutes.route("/", mfaRoutes);
