import { and, eq, ne } from "drizzle-orm";
import { memberships, tenants, type Role } from "../../../schema/tenancy";
import type { Actor } from "../../platform/audit";
import { auditInsert } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { getTenant, type Tenant } from "../../platform/directory";
import { conflict } from "../../platform/errors";
import { newId, randomToken } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";

/** 3–40 characters, lower-case letters, digits and inner hyphens. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{1,38}[a-z0-9])$/;

export function slugify(name: string): string {
  const base = name
    .toLowerCase()
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 40)
    .replace(/-+$/, "");
  return base.length >= 3 ? base : base ? `${base}-workspace` : "workspace";
}

async function slugTaken(db: Db, slug: string, exceptTenantId?: string): Promise<boolean> {
  const row = await db
    .select({ id: tenants.id })
    .from(tenants)
    .where(and(eq(tenants.slug, slug), exceptTenantId ? ne(tenants.id, exceptTenantId) : undefined))
    .get();
  return !!row;
}

async function freeSlug(db: Db, wanted: string): Promise<string> {
  if (!(await slugTaken(db, wanted))) return wanted;
  return `${wanted.slice(0, 34).replace(/-+$/, "")}-${randomToken(4).slice(0, 5)}`;
}

const isUniqueViolation = (err: unknown) =>
  /UNIQUE constraint failed: tenants\.slug/.test(`${(err as Error)?.message} ${(err as Error)?.cause ?? ""}`);
const slugConflict = (slug: string) => conflict(`The slug "${slug}" is already taken; choose another.`, "slug-taken");

/**
 * Creates a workspace with `ownerUserId` as its first owner, atomically, and audits it.
 * With `strictSlug`, a requested slug that is taken is a 409 instead of getting a suffix.
 */
export async function createTenantWithOwner(
  db: Db,
  input: { name: string; ownerUserId: string; slug?: string; strictSlug?: boolean; parentTenantId?: string },
  actor: Actor,
): Promise<Tenant> {
  const now = Date.now();
  const wanted = input.slug ?? slugify(input.name);
  const strict = !!(input.strictSlug && input.slug);
  if (strict && (await slugTaken(db, wanted))) throw slugConflict(wanted);
  let slug = strict ? wanted : await freeSlug(db, wanted);
  // Two sign-ups with the same workspace name at the same moment both find the plain slug free; the
  // loser of the unique index gets a suffixed slug instead of a 409 (only a requested strict slug is a 409).
  for (let attempt = 0; ; attempt++) {
    const tenant: Tenant = {
      id: newId("ten"),
      name: input.name.trim(),
      slug,
      parentTenantId: input.parentTenantId ?? null,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await db.batch([
        db.insert(tenants).values(tenant),
        db.insert(memberships).values({ tenantId: tenant.id, userId: input.ownerUserId, role: "owner", createdAt: now, updatedAt: now }),
        auditInsert(db, actor, {
          tenantId: tenant.id,
          action: "tenant.created",
          target: { type: "tenant", id: tenant.id },
          metadata: { name: tenant.name, slug: tenant.slug, ...(tenant.parentTenantId ? { parent_tenant_id: tenant.parentTenantId } : {}) },
        }),
      ]);
      return tenant;
    } catch (err) {
      if (!isUniqueViolation(err)) throw err;
      if (strict || attempt >= 2) throw slugConflict(tenant.slug);
      slug = `${wanted.slice(0, 34).replace(/-+$/, "")}-${randomToken(4).slice(0, 5)}`;
    }
  }
}

export const serializeTenant = (t: Tenant, role: Role | null) => ({
  id: t.id,
  name: t.name,
  slug: t.slug,
  role,
  created_at: iso(t.createdAt)!,
  updated_at: iso(t.updatedAt)!,
});

/** The workspaces a user belongs to, with their role in each (newest membership first). */
export async function listMyTenants(db: Db, userId: string, q: PageQuery) {
  const page = keyset(memberships.createdAt, memberships.tenantId, q.cursor);
  const rows = await db
    .select({ tenant: tenants, role: memberships.role, joinedAt: memberships.createdAt })
    .from(memberships)
    .innerJoin(tenants, eq(tenants.id, memberships.tenantId))
    .where(and(eq(memberships.userId, userId), page.where))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(
    rows,
    q.limit,
    (r) => ({ createdAt: r.joinedAt, id: r.tenant.id }),
    (r) => ({ ...serializeTenant(r.tenant, r.role), joined_at: iso(r.joinedAt)! }),
  );
}

export async function updateTenant(db: Db, tenantId: string, patch: { name?: string; slug?: string }, actor: Actor): Promise<Tenant> {
  const current = await getTenant(db, tenantId);
  const next = { name: patch.name?.trim() ?? current.name, slug: patch.slug ?? current.slug };
  if (next.name === current.name && next.slug === current.slug) return current;
  if (next.slug !== current.slug && (await slugTaken(db, next.slug, tenantId))) throw slugConflict(next.slug);
  const now = Date.now();
  const changes: Record<string, { from: string; to: string }> = {};
  if (next.name !== current.name) changes.name = { from: current.name, to: next.name };
  if (next.slug !== current.slug) changes.slug = { from: current.slug, to: next.slug };
  try {
    await db.batch([
      db
        .update(tenants)
        .set({ ...next, updatedAt: now })
        .where(eq(tenants.id, tenantId)),
      auditInsert(db, actor, { tenantId, action: "tenant.updated", target: { type: "tenant", id: tenantId }, metadata: { changes } }),
    ]);
  } catch (err) {
    if (isUniqueViolation(err)) throw slugConflict(next.slug);
    throw err;
  }
  return { ...current, ...next, updatedAt: now };
}
