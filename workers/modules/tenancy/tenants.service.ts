import { eq } from "drizzle-orm";
import { memberships, tenants } from "../../../schema/tenancy";
import type { Actor } from "../../platform/audit";
import { auditInsert } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { newId, randomToken } from "../../platform/ids";

export type Tenant = typeof tenants.$inferSelect;

export function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40);
  return base || "workspace";
}

async function freeSlug(db: Db, wanted: string): Promise<string> {
  const taken = await db.select({ id: tenants.id }).from(tenants).where(eq(tenants.slug, wanted)).get();
  return taken ? `${wanted}-${randomToken(3).slice(0, 5)}` : wanted;
}

/** Creates a workspace with `ownerUserId` as its first owner, atomically, and audits it. */
export async function createTenantWithOwner(
  db: Db,
  input: { name: string; ownerUserId: string; slug?: string },
  actor: Actor,
): Promise<Tenant> {
  const now = Date.now();
  const tenant: Tenant = { id: newId("ten"), name: input.name.trim(), slug: await freeSlug(db, input.slug ?? slugify(input.name)), createdAt: now, updatedAt: now };
  await db.batch([
    db.insert(tenants).values(tenant),
    db.insert(memberships).values({ tenantId: tenant.id, userId: input.ownerUserId, role: "owner", createdAt: now, updatedAt: now }),
    auditInsert(db, actor, { tenantId: tenant.id, action: "tenant.created", target: { type: "tenant", id: tenant.id }, metadata: { name: tenant.name } }),
  ]);
  return tenant;
}
