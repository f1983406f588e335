import type { Role } from "../../schema/tenancy";

/**
 * The permission matrix: the single source of truth, rendered into docs/permissions.md by
 * `npm run docs:permissions` and enforced by requirePermission(). Modules add their permissions here.
 */
export const PERMISSIONS = {
  "tenant:read": { roles: ["owner", "admin", "member", "viewer"], description: "See workspace details" },
  "tenant:update": { roles: ["owner", "admin"], description: "Rename the workspace, change its slug" },
  "members:read": { roles: ["owner", "admin", "member", "viewer"], description: "List members and their roles" },
  "members:invite": { roles: ["owner", "admin"], description: "Create, resend and revoke invitations" },
  "members:update": { roles: ["owner", "admin"], description: "Change a member's role (admins cannot grant or touch owner)" },
  "members:remove": { roles: ["owner", "admin"], description: "Remove a member (admins cannot remove owners)" },
  "ownership:transfer": { roles: ["owner"], description: "Transfer ownership to another member" },
  "api_keys:read": { roles: ["owner", "admin"], description: "List secret API keys (never their secrets)" },
  "api_keys:manage": { roles: ["owner", "admin"], description: "Create and revoke secret API keys" },
  "publishable_keys:read": { roles: ["owner", "admin", "member"], description: "List publishable keys" },
  "publishable_keys:manage": { roles: ["owner", "admin"], description: "Create, edit origins of, and revoke publishable keys" },
  "audit:read": { roles: ["owner", "admin"], description: "Read the audit log" },
} as const satisfies Record<string, { roles: readonly Role[]; description: string }>;

export type Permission = keyof typeof PERMISSIONS;
export const ALL_PERMISSIONS = Object.keys(PERMISSIONS) as Permission[];

const byRole = new Map<Role, Set<Permission>>();
for (const perm of ALL_PERMISSIONS) {
  for (const role of PERMISSIONS[perm].roles as readonly Role[]) {
    if (!byRole.has(role)) byRole.set(role, new Set());
    byRole.get(role)!.add(perm);
  }
}

export function roleHas(role: Role, perm: Permission): boolean {
  return byRole.get(role)?.has(perm) ?? false;
}

export function permissionsOf(role: Role): Permission[] {
  return [...(byRole.get(role) ?? [])];
}

/** Role rank, for "may not grant a role above your own" checks. */
export const ROLE_RANK: Record<Role, number> = { owner: 3, admin: 2, member: 1, viewer: 0 };

export function isPermission(value: string): value is Permission {
  return value in PERMISSIONS;
}
