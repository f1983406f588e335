/**
 * Sub-workspaces (issue 18, the multi-tenant configuration wizard): a workspace may have child
 * workspaces — an agency's clients, a franchise's branches. A child is an ordinary workspace (its
 * own members, data, plan and billing; tenant isolation treats it like any other) whose
 * `parent_tenant_id` points at the parent, created with the parent's owner as its first owner.
 * One level only: a child cannot have children of its own, which keeps "whose child is this" a
 * single lookup and avoids cycles.
 */
import { and, asc, eq } from "drizzle-orm";
import { tenants } from "../../../schema/tenancy";
import type { Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { getTenant, type Tenant } from "../../platform/directory";
import { conflict } from "../../platform/errors";
import { createTenantWithOwner } from "./tenants.service";

export const MAX_SUB_WORKSPACES = 50;

export interface SubWorkspace {
  id: string;
  name: string;
  slug: string;
  createdAt: number;
}

export async function listSubWorkspaces(db: Db, parentTenantId: string): Promise<SubWorkspace[]> {
  return db
    .select({ id: tenants.id, name: tenants.name, slug: tenants.slug, createdAt: tenants.createdAt })
    .from(tenants)
    .where(eq(tenants.parentTenantId, parentTenantId))
    .orderBy(asc(tenants.createdAt), asc(tenants.id))
    .limit(MAX_SUB_WORKSPACES)
    .all();
}

/** The workspace's parent, or null for a top-level workspace. */
export async function parentOf(db: Db, tenantId: string): Promise<string | null> {
  return (await getTenant(db, tenantId)).parentTenantId ?? null;
}

/**
 * Creates a child of `parentTenantId` owned by `ownerUserId` (the caller checks the person is the
 * parent's owner and the plan allows it). A child with the same name already under this parent is
 * returned instead of a second one, so a retried wizard step creates nothing twice.
 */
export async function createSubWorkspace(
  db: Db,
  input: { parentTenantId: string; name: string; ownerUserId: string },
  actor: Actor,
): Promise<Tenant> {
  const parent = await getTenant(db, input.parentTenantId);
  if (parent.parentTenantId) {
    throw conflict(
      "This workspace is itself a sub-workspace; sub-workspaces are created from the top-level workspace.",
      "nested-sub-workspace",
    );
  }
  const name = input.name.trim();
  const same = await db
    .select()
    .from(tenants)
    .where(and(eq(tenants.parentTenantId, parent.id), eq(tenants.name, name)))
    .get();
  if (same) return same;
  const existing = await listSubWorkspaces(db, parent.id);
  if (existing.length >= MAX_SUB_WORKSPACES) {
    throw conflict(`A workspace can have at most ${MAX_SUB_WORKSPACES} sub-workspaces.`, "too-many-sub-workspaces");
  }
  return createTenantWithOwner(db, { name, ownerUserId: input.ownerUserId, parentTenantId: parent.id }, actor);
}
