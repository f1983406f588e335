import { and, eq, type SQL } from "drizzle-orm";
import { drizzle, type DrizzleD1Database } from "drizzle-orm/d1";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import * as schema from "../../schema";

export type Db = DrizzleD1Database<typeof schema>;

const cache = new WeakMap<D1Database, Db>();
export function getDb(d1: D1Database): Db {
  let db = cache.get(d1);
  if (!db) {
    db = drizzle(d1, { schema });
    cache.set(d1, db);
  }
  return db;
}

/**
 * Tenant-scoped data access. Services receive one of these instead of a bare Db for
 * tenant-owned tables, so every query starts from the tenant's condition.
 */
export interface TenantScope {
  db: Db;
  tenantId: string;
  /** `tenant_id = <this tenant>` AND any extra conditions. */
  where(table: { tenantId: SQLiteColumn }, ...conds: (SQL | undefined)[]): SQL;
}

export function tenantScope(db: Db, tenantId: string): TenantScope {
  return {
    db,
    tenantId,
    where: (table, ...conds) => and(eq(table.tenantId, tenantId), ...conds) as SQL,
  };
}

/** `LIKE` pattern for "contains", with the user's % and _ taken literally (use with `escape '\\'`). */
export const containsPattern = (q: string) => `%${q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
