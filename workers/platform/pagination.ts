import { z } from "@hono/zod-openapi";
import { and, desc, eq, lt, or, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { badRequest } from "./errors";

/** Query parameters of every list endpoint. */
export const pageQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(25).openapi({ description: "Page size (1–100)" }),
  cursor: z.string().max(200).optional().openapi({ description: "`next_cursor` from the previous page" }),
});
export type PageQuery = z.infer<typeof pageQuerySchema>;

export function pageSchema<T extends z.ZodType>(item: T) {
  return z.object({ data: z.array(item), next_cursor: z.string().nullable() });
}

function encodeCursor(createdAt: number, id: string): string {
  return btoa(`${createdAt}:${id}`).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
}

function decodeCursor(cursor: string): [number, string] {
  try {
    const raw = atob(cursor.replace(/-/g, "+").replace(/_/g, "/"));
    const sep = raw.indexOf(":");
    const createdAt = Number(raw.slice(0, sep));
    const id = raw.slice(sep + 1);
    if (sep < 1 || !Number.isFinite(createdAt) || !id) throw new Error("bad");
    return [createdAt, id];
  } catch {
    throw badRequest("The cursor is not valid; pass `next_cursor` from a previous page unchanged.");
  }
}

/**
 * Keyset pagination, newest first, on (created_at, id). Returns the extra WHERE condition and ORDER BY;
 * callers fetch limit + 1 rows and hand them to `toPage`.
 */
export function keyset(createdCol: SQLiteColumn, idCol: SQLiteColumn, cursor?: string) {
  let where: SQL | undefined;
  if (cursor) {
    const [createdAt, id] = decodeCursor(cursor);
    where = or(lt(createdCol, createdAt), and(eq(createdCol, createdAt), lt(idCol, id)));
  }
  return { where, orderBy: [desc(createdCol), desc(idCol)] };
}

export function toPage<Row, Out>(
  rows: Row[],
  limit: number,
  keyOf: (row: Row) => { createdAt: number; id: string },
  serialize: (row: Row) => Out,
): { data: Out[]; next_cursor: string | null } {
  const hasMore = rows.length > limit;
  const page = hasMore ? rows.slice(0, limit) : rows;
  const last = page[page.length - 1];
  const k = last ? keyOf(last) : undefined;
  return { data: page.map(serialize), next_cursor: hasMore && k ? encodeCursor(k.createdAt, k.id) : null };
}
