/**
 * The subset of JSON Schema an AI step's `output_schema` uses: `type` (object, array, string,
 * number, integer, boolean, null), `properties`, `required`, `items`, `enum`. Returns the problems
 * (empty: the value matches).
 */
type Schema = { type?: string | string[]; properties?: Record<string, Schema>; required?: string[]; items?: Schema; enum?: unknown[] };

const typeOf = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
const matchesType = (t: string, v: unknown) =>
  t === "integer" ? Number.isInteger(v) : t === "number" ? typeof v === "number" && Number.isFinite(v) : typeOf(v) === t;

export function checkJsonSchema(schema: unknown, value: unknown, at = "$"): string[] {
  const s = (schema ?? {}) as Schema;
  const problems: string[] = [];
  if (s.type) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    if (!types.some((t) => matchesType(t, value))) return [`${at} should be ${types.join(" or ")}`];
  }
  if (s.enum && !s.enum.some((e) => JSON.stringify(e) === JSON.stringify(value)))
    problems.push(`${at} should be one of ${JSON.stringify(s.enum)}`);
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const k of s.required ?? []) if (!(k in obj)) problems.push(`${at}.${k} is required`);
    for (const [k, sub] of Object.entries(s.properties ?? {})) if (k in obj) problems.push(...checkJsonSchema(sub, obj[k], `${at}.${k}`));
  }
  if (Array.isArray(value) && s.items) for (const [i, v] of value.entries()) problems.push(...checkJsonSchema(s.items, v, `${at}[${i}]`));
  return problems;
}

/** The empty value of a schema (0, "", false, [], objects of their properties' empty values). */
export function placeholderFor(schema: unknown): unknown {
  const s = (schema ?? {}) as Schema;
  const t = Array.isArray(s.type) ? s.type[0] : s.type;
  if (s.enum?.length) return s.enum[0];
  switch (t) {
    case "object":
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, sub]) => [k, placeholderFor(sub)]));
    case "array":
      return [];
    case "string":
      return "";
    case "number":
    case "integer":
      return 0;
    case "boolean":
      return false;
    default:
      return null;
  }
}
