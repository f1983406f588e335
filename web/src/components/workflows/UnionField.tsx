import { cx } from "../ui/cx";
import type { JsonSchema } from "./graph";
import { resolve, starterOf, typeOf } from "./jsonSchema";
import { type FormContext, inputClass } from "./schemaFormContext";

/** A union: the variant whose required keys the value has, with a picker to switch. */
export function UnionField({
  schema,
  value,
  onChange,
  path,
  ctx,
}: {
  schema: JsonSchema;
  value: unknown;
  onChange: (v: unknown) => void;
  path: string;
  ctx: FormContext;
}) {
  const variants = (schema.anyOf ?? schema.oneOf ?? []).map((v) => resolve(v, ctx.root));
  const obj = (value as Record<string, unknown>) ?? {};
  const fits = (v: JsonSchema) => Object.keys(v.properties ?? {}).some((k) => k in obj);
  const current = Math.max(0, variants.findIndex(fits));
  const variantLabel = (v: JsonSchema, i: number) =>
    v.title ??
    (Object.keys(v.properties ?? {}).join(" / ") || `Option ${i + 1}`).replace(/^left \/ op \/ right$/, "Comparison (left op right)");
  const chosen = variants[current];
  const { ObjectFields } = ctx;
  return (
    <div className="space-y-3">
      {variants.length > 1 && (
        <select
          aria-label="Kind"
          value={current}
          onChange={(e) => {
            const next = variants[Number(e.target.value)];
            if (next && Number(e.target.value) !== current) onChange(starterOf(next, ctx.root));
          }}
          className={cx(inputClass, "pr-8")}
        >
          {variants.map((v, i) => (
            <option key={variantLabel(v, i)} value={i}>
              {variantLabel(v, i)}
            </option>
          ))}
        </select>
      )}
      {chosen && typeOf(chosen) === "object" && <ObjectFields schema={chosen} value={obj} onChange={onChange} path={path} ctx={ctx} />}
    </div>
  );
}
