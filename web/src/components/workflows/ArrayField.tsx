import { Button } from "../ui/Button";
import { cx } from "../ui/cx";
import type { JsonSchema } from "./graph";
import { resolve, typeOf } from "./jsonSchema";
import { ScalarInput } from "./ScalarInput";
import { errorFor, type FormContext, humanize } from "./schemaFormContext";
import { UnionField } from "./UnionField";

/** A list of values or of objects (each object, or union, in its own bordered row), with add and remove. */
export function ArrayField({
  items,
  value,
  onChange,
  path,
  ctx,
  name,
}: {
  items: JsonSchema;
  value: unknown[];
  onChange: (v: unknown) => void;
  path: string;
  ctx: FormContext;
  name: string;
}) {
  const isObject = typeOf(items) === "object" || items.anyOf || items.$ref;
  const set = (i: number, v: unknown) => onChange(value.map((x, j) => (j === i ? v : x)));
  const { ObjectFields } = ctx;
  return (
    <div className="space-y-2">
      {value.length === 0 && <p className="text-xs text-muted">None yet.</p>}
      {value.map((item, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id of their own; their order is their identity
        <div key={i} className={cx("flex items-start gap-1.5", isObject && "rounded-lg border border-line p-2")}>
          <div className="min-w-0 flex-1">
            {isObject ? (
              items.anyOf || resolve(items, ctx.root).anyOf ? (
                <UnionField schema={resolve(items, ctx.root)} value={item} onChange={(v) => set(i, v)} path={`${path}.${i}`} ctx={ctx} />
              ) : (
                <ObjectFields
                  schema={resolve(items, ctx.root)}
                  value={(item as Record<string, unknown>) ?? {}}
                  onChange={(v) => set(i, v)}
                  path={`${path}.${i}`}
                  ctx={ctx}
                />
              )
            ) : (
              <ScalarInput
                id={`${path}.${i}`}
                schema={items}
                value={item}
                onChange={(v) => set(i, v ?? "")}
                ctx={ctx}
                invalid={Boolean(errorFor(ctx, `${path}.${i}`))}
                label={`${name} ${i + 1}`}
              />
            )}
          </div>
          <Button
            variant="ghost"
            size="sm"
            aria-label={`Remove ${humanize(name).toLowerCase()} ${i + 1}`}
            onClick={() => onChange(value.filter((_, j) => j !== i))}
          >
            ✕
          </Button>
        </div>
      ))}
      <Button variant="secondary" size="sm" onClick={() => onChange([...value, isObject ? {} : ""])}>
        Add {humanize(name).toLowerCase().replace(/s$/, "")}
      </Button>
    </div>
  );
}
