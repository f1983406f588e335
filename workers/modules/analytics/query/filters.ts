/**
 * Property filters and breakdowns shared by trends, funnels and retention. A property is either an
 * enrichment column (`path`, `country`, …) or an event property (`props.<key>`, read with
 * `->>` from the JSON). Everything reaches SQL as bound parameters; property keys are also
 * restricted to a safe character set because they become part of a JSON path.
 */
import { z } from "@hono/zod-openapi";
import { type SQL, sql } from "drizzle-orm";

export const COLUMN_PROPS = [
  "path",
  "host",
  "referrer_host",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "country",
  "device",
  "browser",
  "os",
  "source",
  "session_id",
] as const;

export const propertySchema = z
  .string()
  .regex(/^(props\.[\w$-]{1,100}|[a-z_]+)$/, "a column (path, country, …) or props.<key>")
  .refine((p) => p.startsWith("props.") || (COLUMN_PROPS as readonly string[]).includes(p), "unknown property")
  .openapi({ example: "props.plan" });

export const filterSchema = z
  .object({
    property: propertySchema,
    op: z.enum(["eq", "neq", "contains", "not_contains", "gt", "lt", "is_set", "is_not_set"]).default("eq"),
    value: z.union([z.string().max(500), z.number(), z.boolean()]).optional(),
  })
  .refine((f) => f.op === "is_set" || f.op === "is_not_set" || f.value !== undefined, {
    message: "value is required for this operator",
    path: ["value"],
  })
  .openapi("PropertyFilter");
export type PropertyFilter = z.infer<typeof filterSchema>;

/** SQL for a property of the row aliased `e` (or unaliased when `alias` is empty). */
export function propertySql(property: string, alias = "e"): SQL {
  const col = (name: string) => sql.raw(alias ? `${alias}.${name}` : name);
  if (property.startsWith("props.")) {
    const key = property.slice(6);
    return sql`(${col("props")} ->> ${`$."${key}"`})`;
  }
  return col(property);
}

export function filterSql(f: PropertyFilter, alias = "e"): SQL {
  const p = propertySql(f.property, alias);
  const v = typeof f.value === "boolean" ? (f.value ? 1 : 0) : f.value;
  switch (f.op) {
    case "eq":
      return sql`${p} = ${v}`;
    case "neq":
      return sql`(${p} IS NULL OR ${p} != ${v})`;
    case "contains":
      return sql`instr(lower(${p}), lower(${String(v)})) > 0`;
    case "not_contains":
      return sql`(${p} IS NULL OR instr(lower(${p}), lower(${String(v)})) = 0)`;
    case "gt":
      return sql`${p} > ${v}`;
    case "lt":
      return sql`${p} < ${v}`;
    case "is_set":
      return sql`${p} IS NOT NULL`;
    case "is_not_set":
      return sql`${p} IS NULL`;
  }
}

/** All filters ANDed (TRUE when there are none). */
export function filtersSql(filters: PropertyFilter[] | undefined, alias = "e"): SQL {
  if (!filters?.length) return sql`1`;
  return sql.join(
    filters.map((f) => sql`(${filterSql(f, alias)})`),
    sql` AND `,
  );
}

export const DAY_MS = 86_400_000;
export type Interval = "day" | "week" | "month";

/**
 * The period an event time falls in, as an integer: days since the epoch, weeks since the epoch
 * starting on Mondays (day 0, 1970-01-01, was a Thursday), or months since January 1970. UTC.
 */
export function bucketSql(interval: Interval, ts: SQL = sql.raw("e.ts")): SQL {
  // Constants inline: a bound JS number can arrive as REAL, which would make the division fractional.
  const day = sql.raw(String(DAY_MS));
  if (interval === "day") return sql`(${ts} / ${day})`;
  if (interval === "week") return sql`((${ts} / ${day} + 3) / 7)`;
  return sql`((CAST(strftime('%Y', ${ts} / 1000, 'unixepoch') AS INTEGER) - 1970) * 12 + CAST(strftime('%m', ${ts} / 1000, 'unixepoch') AS INTEGER) - 1)`;
}

export function bucketOf(interval: Interval, ts: number): number {
  const day = Math.floor(ts / DAY_MS);
  if (interval === "day") return day;
  if (interval === "week") return Math.floor((day + 3) / 7);
  const d = new Date(ts);
  return (d.getUTCFullYear() - 1970) * 12 + d.getUTCMonth();
}

/** When a bucket starts (epoch ms). */
export function bucketStart(interval: Interval, b: number): number {
  if (interval === "day") return b * DAY_MS;
  if (interval === "week") return (b * 7 - 3) * DAY_MS;
  return Date.UTC(1970 + Math.floor(b / 12), b % 12, 1);
}

export const timeRangeSchema = z.object({
  from: z.iso.datetime({ offset: true }).openapi({ example: "2026-11-01T00:00:00Z" }),
  to: z.iso.datetime({ offset: true }).openapi({ example: "2026-12-01T00:00:00Z" }),
});

/** Parses and checks a range: from < to, at most ~5 years. */
export function parseRange(r: { from: string; to: string }): { from: number; to: number } | string {
  const from = Date.parse(r.from);
  const to = Date.parse(r.to);
  if (!(from < to)) return "`from` must be before `to`";
  if (to - from > 5 * 366 * DAY_MS) return "the range may span at most 5 years";
  return { from, to };
}
