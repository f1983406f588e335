// Public entry of the tenancy module: the only file other modules import (see docs/engineering.md).
export { acceptInvitation } from "./invitation-accept.service";
export { containsPattern, getMember, listMembers } from "./members.service";
export { resolvePublishableKey } from "./publishable-keys.service";
export { createTenantWithOwner, getTenant } from "./tenants.service";
export type { Tenant } from "./tenants.service";
export { listUserWorkspaces } from "./user-workspaces.service";
