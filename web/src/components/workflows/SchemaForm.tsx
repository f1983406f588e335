/**
 * A form rendered from a node type's `config_schema` (the JSON Schema zod generates): strings (with
 * the variable picker), numbers, enums, booleans, nested objects, records (key → value), arrays of
 * values or objects, unions (pick a variant) and `$ref`s (recursive conditions). Errors come from
 * POST /workflows/{id}/validate as dotted paths ("config.retries.limit").
 */
import { useId } from "react";
import { cx } from "../ui/cx";
import { ArrayField } from "./ArrayField";
import type { Variable } from "./ExpressionInput";
import { FieldGroup } from "./FieldGroup";
import type { JsonSchema } from "./graph";
import { isRecord, resolve, typeOf } from "./jsonSchema";
import { RecordField } from "./RecordField";
import { ScalarInput } from "./ScalarInput";
import { errorFor, errorsUnder, type FormContext, humanize, type ObjectFieldsProps } from "./schemaFormContext";
import { UnionField } from "./UnionField";

export function SchemaForm({
  schema,
  value,
  onChange,
  variables,
  errors,
}: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (v: Record<string, unknown>) => void;
  variables: Variable[];
  /** "config.to" → message. */
  errors: Map<string, string>;
}) {
  const ctx: FormContext = { root: schema, variables, errors, ObjectFields };
  return <ObjectFields schema={schema} value={value} onChange={onChange} path="config" ctx={ctx} />;
}

/** An object's fields, one per property, in schema order. */
function ObjectFields({ schema, value, onChange, path, ctx }: ObjectFieldsProps) {
  const required = new Set(schema.required ?? []);
  return (
    <div className="space-y-3">
      {Object.entries(schema.properties ?? {}).map(([key, sub]) => (
        <SchemaField
          key={key}
          name={key}
          schema={sub}
          required={required.has(key)}
          value={value[key]}
          onChange={(v) => {
            const next = { ...value };
            if (v === undefined) delete next[key];
            else next[key] = v;
            onChange(next);
          }}
          path={`${path}.${key}`}
          ctx={ctx}
        />
      ))}
    </div>
  );
}

/** One property's field, by the kind of its schema: a group, a record, a list, or a scalar input with its label. */
function SchemaField(props: {
  name: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  onChange: (v: unknown) => void;
  path: string;
  ctx: FormContext;
}) {
  const { name, required, value, onChange, path, ctx } = props;
  const schema = resolve(props.schema, ctx.root);
  const id = useId();
  const error = errorFor(ctx, path);
  const label = `${schema.title ?? humanize(name)}${required ? "" : " (optional)"}`;
  const hint = schema.description;
  const t = typeOf(schema);
  const describedBy = [hint && `${id}-hint`, error && `${id}-err`].filter(Boolean).join(" ") || undefined;
  const foot = (
    <>
      {hint && !error && (
        <p id={`${id}-hint`} className="text-xs text-muted">
          {hint}
        </p>
      )}
      {error && (
        <p id={`${id}-err`} className="text-xs font-medium text-danger">
          {error}
        </p>
      )}
    </>
  );

  // A nested object (retries) or a union (a condition), in a group; optional ones start collapsed.
  if ((t === "object" && schema.properties) || schema.anyOf || schema.oneOf) {
    return (
      <FieldGroup label={label} optional={!required} value={value} onChange={onChange} errors={errorsUnder(ctx, path)}>
        {schema.anyOf || schema.oneOf ? (
          <UnionField schema={schema} value={value} onChange={onChange} path={path} ctx={ctx} />
        ) : (
          <ObjectFields schema={schema} value={(value as Record<string, unknown>) ?? {}} onChange={onChange} path={path} ctx={ctx} />
        )}
        {foot}
      </FieldGroup>
    );
  }
  if (t === "object" && isRecord(schema)) {
    const values = typeof schema.additionalProperties === "object" ? schema.additionalProperties : {};
    return (
      <fieldset className="space-y-1.5">
        <legend className="text-sm font-medium text-fg">{label}</legend>
        <RecordField schema={values} value={(value as Record<string, unknown>) ?? {}} onChange={onChange} path={path} ctx={ctx} />
        {foot}
        {errorsUnder(ctx, path).map((m) => (
          <p key={m} className="text-xs font-medium text-danger">
            {m}
          </p>
        ))}
      </fieldset>
    );
  }
  if (t === "array") {
    const items = resolve(schema.items ?? {}, ctx.root);
    if (items.enum) {
      const list = (value as unknown[]) ?? [];
      return (
        <fieldset className="space-y-1.5" aria-describedby={describedBy}>
          <legend className="text-sm font-medium text-fg">{label}</legend>
          <div className="flex flex-wrap gap-x-4 gap-y-1">
            {items.enum.map((opt) => (
              <label key={String(opt)} className="flex items-center gap-1.5 text-sm">
                <input
                  type="checkbox"
                  checked={list.includes(opt)}
                  onChange={(e) => onChange(e.target.checked ? [...list, opt] : list.filter((x) => x !== opt))}
                  className="size-4 accent-[var(--accent)]"
                />
                {String(opt)}
              </label>
            ))}
          </div>
          {foot}
        </fieldset>
      );
    }
    return (
      <fieldset className="space-y-1.5">
        <legend className="text-sm font-medium text-fg">{label}</legend>
        <ArrayField items={items} value={(value as unknown[]) ?? []} onChange={onChange} path={path} ctx={ctx} name={name} />
        {foot}
      </fieldset>
    );
  }
  return (
    <div className="space-y-1">
      <label htmlFor={id} className={cx("block text-sm font-medium text-fg", t === "boolean" && "sr-only")}>
        {label}
      </label>
      <ScalarInput
        id={id}
        schema={schema}
        value={value}
        onChange={onChange}
        ctx={ctx}
        describedBy={describedBy}
        invalid={Boolean(error)}
        label={label}
      />
      {foot}
    </div>
  );
}
