import { useSyncExternalStore } from "react";
import { roleHas, type Permission } from "../../../workers/platform/rbac";
import type { Me } from "./api-types";
import { useMe } from "./auth";
import { queryClient } from "./query";
import { getTenantId, setTenantId } from "./session";

export type Role = "owner" | "admin" | "member" | "viewer";
export type Membership = Me["memberships"][number];

const subs = new Set<() => void>();
const subscribe = (f: () => void) => (subs.add(f), () => subs.delete(f));

/** Pick the workspace the API calls act in (sent as X-Tenant-ID) and remember it. */
export function switchWorkspace(id: string) {
  if (id === getTenantId()) return;
  setTenantId(id);
  // Workspace data is keyed by tenant; drop it so nothing from the old one flashes.
  queryClient.removeQueries({ predicate: (q) => q.queryKey[0] === "t" });
  subs.forEach((f) => f());
}

/** The stored choice if it is still one of the user's memberships, else their first workspace. */
export function resolveWorkspace(me: Me | null | undefined): Membership | null {
  if (!me || me.memberships.length === 0) return null;
  const stored = getTenantId();
  const m = me.memberships.find((x) => x.tenant?.id === stored) ?? me.memberships[0]!;
  if (m.tenant && m.tenant.id !== stored) setTenantId(m.tenant.id);
  return m;
}

export interface Workspace {
  id: string;
  name: string;
  slug: string;
  role: Role;
  can: (p: Permission) => boolean;
}

/** The current workspace and what the user's role there allows. Only inside the app shell. */
export function useWorkspace(): Workspace {
  useSyncExternalStore(subscribe, getTenantId);
  const { data: me } = useMe();
  const m = resolveWorkspace(me);
  if (!m?.tenant) throw new Error("useWorkspace outside a workspace");
  const role = m.role as Role;
  return { id: m.tenant.id, name: m.tenant.name, slug: m.tenant.slug, role, can: (p) => roleHas(role, p) };
}

/** Query key for workspace data: ["t", tenantId, ...rest]. */
export const tkey = (tenantId: string, ...rest: unknown[]) => ["t", tenantId, ...rest] as const;
