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

const preparedByDb = new WeakMap<Db, Map<string, unknown>>();
/**
 * A statement prepared once per database binding and reused: for the hottest queries, whose SQL
 * drizzle would otherwise rebuild on every request (query building was ~8 % of a scoped request's
 * CPU in bench/profile.mjs). `build` uses `sql.placeholder(...)` for the values; `key` names the
 * statement's shape.
 */
export function preparedOnce<T>(db: Db, key: string, build: (db: Db) => T): T {
  let forDb = preparedByDb.get(db);
  if (!forDb) {
    forDb = new Map();
    preparedByDb.set(db, forDb);
  }
  let stmt = forDb.get(key) as T | undefined;
  if (stmt === undefined) {
    stmt = build(db);
    forDb.set(key, stmt);
  }
  return stmt;
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
