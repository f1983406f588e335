import { and, eq, fillPlaceholders, type SQL } from "drizzle-orm";
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

/** What `read`/`readOne` need of a drizzle prepared query (`.prepare()`, or preparedOnce's). */
interface PreparedRead<All, Get> {
  getQuery(): { sql: string; params: unknown[] };
  all(values?: Record<string, unknown>): Promise<All>;
  get(values?: Record<string, unknown>): Promise<Get>;
  mapAllResult(rows: unknown, isFromBatch?: boolean): unknown;
  mapGetResult(row: unknown, isFromBatch?: boolean): unknown;
}

/**
 * A read bound to its values but not yet run: `run()` it alone, or hand it to `readTogether` to send it
 * in one D1 round trip with another (platform/auth.ts sends a workspace route's first read together
 * with the session ⋈ membership lookup). Its statement must not select two columns of the same name:
 * a D1 batch returns rows as objects.
 */
export interface Read<T> {
  run(): Promise<T>;
  statement(d1: D1Database): D1PreparedStatement;
  fromBatch(result: D1Result): T;
}

/** Every row of a prepared query (placeholders filled from `values`). */
export function readAll<R>(q: PreparedRead<R[], unknown>, values: Record<string, unknown> = {}): Read<R[]> {
  return {
    run: () => q.all(values),
    statement: (d1) => boundStatement(d1, q, values),
    fromBatch: (result) => q.mapAllResult(result, true) as R[],
  };
}

/** The first row of a prepared query, or undefined. */
export function readOne<R>(q: PreparedRead<unknown, R | undefined>, values: Record<string, unknown> = {}): Read<R | undefined> {
  return {
    run: () => q.get(values),
    statement: (d1) => boundStatement(d1, q, values),
    fromBatch: (result) => (result.results.length ? (q.mapGetResult(result, true) as R) : undefined),
  };
}

/** The same read, its result passed through `f`. */
export function mapRead<A, B>(r: Read<A>, f: (a: A) => B): Read<B> {
  return { run: async () => f(await r.run()), statement: r.statement, fromBatch: (result) => f(r.fromBatch(result)) };
}

/** Two reads in one D1 round trip (`batch`: one implicit transaction, so they see the same state). */
export async function readTogether<A, B>(d1: D1Database, a: Read<A>, b: Read<B>): Promise<[A, B]> {
  const [ra, rb] = await d1.batch([a.statement(d1), b.statement(d1)]);
  if (!ra || !rb) throw new Error("D1 batch: a result is missing");
  return [a.fromBatch(ra), b.fromBatch(rb)];
}

function boundStatement(d1: D1Database, q: { getQuery(): { sql: string; params: unknown[] } }, values: Record<string, unknown>) {
  const { sql, params } = q.getQuery();
  return d1.prepare(sql).bind(...fillPlaceholders(params, values));
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
