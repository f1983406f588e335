// Public entry of the tenancy module: the only file other modules import (see docs/engineering.md).
export { acceptInvitation } from "./invitation-accept.service";
export { createTenantWithOwner } from "./tenants.service";
export { listUserWorkspaces } from "./user-workspaces.service";
// Wizards (modules/wizards, the analytics set-up): the tracker's publishable key, created or given more origins.
export { ensureTrackerKey, liveTrackerKeys } from "./tracker-key-setup";
// Automation (modules/workflows): the update_record step changes a member's role through the members route's guards.
export { changeMemberRoleFromWorkflow } from "./workflow-member-role";
// Wizards (modules/wizards, wizards-core): API keys, bulk invitations, the workspace security policy.
export { createApiKey, revokeApiKey, SECRET_KEY_PREFIX } from "./api-keys.service";
export { createInvitation, describeInviter, normalizeEmail, type InviteContext } from "./invitations.service";
export {
  getSecurityPolicy,
  mfaNeededFirst,
  securityPolicyInput,
  SESSION_LIFETIME_HOURS,
  setSecurityPolicy,
  userHasMfa,
  type SecurityPolicy,
} from "./security-policy";
export { inviteeConflicts } from "./team-setup";
export { workspaceIdsAfter } from "./workspace-scan";
// Wizards (modules/wizards, multi-tenant configuration): child workspaces of a workspace.
export { createSubWorkspace, listSubWorkspaces, MAX_SUB_WORKSPACES, type SubWorkspace } from "./sub-workspaces";
