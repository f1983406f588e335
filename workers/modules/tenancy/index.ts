// Public entry of the tenancy module: the only file other modules import (see docs/engineering.md).
export { acceptInvitation } from "./invitation-accept.service";
export { createTenantWithOwner } from "./tenants.service";
export { listUserWorkspaces } from "./user-workspaces.service";
