import { asc, eq } from "drizzle-orm";
import { memberships, tenants } from "../../../schema/tenancy";
import type { Db } from "../../platform/db";

/** The workspaces a user belongs to, with their role in each (for /me and the workspace switcher). */
export async function listUserWorkspaces(db: Db, userId: string) {
  const rows = await db
    .select({ id: tenants.id, name: tenants.name, slug: tenants.slug, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(memberships.createdAt));
  return rows.map((r) => ({ tenant: { id: r.id, name: r.name, slug: r.slug }, role: r.role }));
}
