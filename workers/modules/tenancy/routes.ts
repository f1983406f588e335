import { createRouter } from "../../platform/router";
import { apiKeysRoutes } from "./api-keys.routes";
import { auditRoutes } from "./audit.routes";
import { invitationsRoutes } from "./invitations.routes";
import { membersRoutes } from "./members.routes";
import { publishableKeysRoutes } from "./publishable-keys.routes";
import { tenantsRoutes } from "./tenants.routes";

/** Workspaces, members, invitations, keys and the audit log; mounted at /api/v1. */
export const tenancyRoutes = createRouter();
tenancyRoutes.route("/", tenantsRoutes);
tenancyRoutes.route("/", membersRoutes);
tenancyRoutes.route("/", invitationsRoutes);
tenancyRoutes.route("/", apiKeysRoutes);
tenancyRoutes.route("/", publishableKeysRoutes);
tenancyRoutes.route("/", auditRoutes);
