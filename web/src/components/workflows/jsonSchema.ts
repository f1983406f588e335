/** Reading the JSON Schema zod generates for a node type's config: `$ref`s, nullable types, records, union starters. */
import type { JsonSchema } from "./graph";

export function resolve(s: JsonSchema, root: JsonSchema): JsonSchema {
  if (!s.$ref) return s;
  const name = s.$ref.replace(/^#\/\$defs\//, "");
  return root.$defs?.[name] ?? {};
}
export const typeOf = (s: JsonSchema) => (Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type);
export const isRecord = (s: JsonSchema) => typeOf(s) === "object" && !s.properties && s.additionalProperties !== false;

/** A value that already "fits" a variant: its required keys (or its first key) with empty values. */
export function starterOf(v: JsonSchema, root: JsonSchema): Record<string, unknown> {
  const props = v.properties ?? {};
  const keys = v.required?.length ? v.required : Object.keys(props).slice(0, 1);
  return Object.fromEntries(
    keys.map((k) => {
      const s = resolve(props[k] ?? {}, root);
      return [k, s.default ?? (s.enum ? s.enum[0] : typeOf(s) === "array" ? [] : typeOf(s) === "object" ? {} : "")];
    }),
  );
}
