import type { Db } from "../../platform/db";

/**
 * The D1 binding under a drizzle database (drizzle keeps it as `$client`; platform/db.ts's `Db`
 * type leaves it out). For the few guarded multi-statement batches that read best as raw SQL.
 */
export const rawD1 = (db: Db): D1Database => (db as Db & { $client: D1Database }).$client;
