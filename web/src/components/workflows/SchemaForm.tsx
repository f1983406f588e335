/**
 * A form rendered from a node type's `config_schema` (the JSON Schema zod generates): strings (with
 * the variable picker), numbers, enums, booleans, nested objects, records (key → value), arrays of
 * values or objects, unions (pick a variant) and `$ref`s (recursive conditions). Errors come from
 * POST /workflows/{id}/validate as dotted paths ("config.retries.limit").
 */
import { type ReactNode, useId, useState } from "react";
import { Button } from "../ui/Button";
import { cx } from "../ui/cx";
import { ExpressionInput, type Variable } from "./ExpressionInput";
import type { JsonSchema } from "./graph";

interface Ctx {
  root: JsonSchema;
  variables: Variable[];
  errors: Map<string, string>;
}

const inputClass =
  "block h-9 w-full rounded-lg border border-line bg-surface px-3 text-sm text-fg shadow-sm focus-visible:outline-2 focus-visible:outline-accent aria-[invalid=true]:border-danger";
const humanize = (k: string) => k.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());

function resolve(s: JsonSchema, root: JsonSchema): JsonSchema {
  if (!s.$ref) return s;
  const name = s.$ref.replace(/^#\/\$defs\//, "");
  return root.$defs?.[name] ?? {};
}
const typeOf = (s: JsonSchema) => (Array.isArray(s.type) ? s.type.find((t) => t !== "null") : s.type);
const isRecord = (s: JsonSchema) => typeOf(s) === "object" && !s.properties && s.additionalProperties !== false;

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
  const ctx: Ctx = { root: schema, variables, errors };
  return <ObjectFields schema={schema} value={value} onChange={onChange} path="config" ctx={ctx} />;
}

function ObjectFields({
  schema,
  value,
  onChange,
  path,
  ctx,
}: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (v: Record<string, unknown>) => void;
  path: string;
  ctx: Ctx;
}) {
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

function errorFor(ctx: Ctx, path: string) {
  return ctx.errors.get(path);
}
/** Errors under a path (a nested field's error shown on its collapsed group). */
function errorsUnder(ctx: Ctx, path: string) {
  return [...ctx.errors.entries()].filter(([p]) => p.startsWith(`${path}.`)).map(([, m]) => m);
}

function SchemaField(props: {
  name: string;
  schema: JsonSchema;
  required: boolean;
  value: unknown;
  onChange: (v: unknown) => void;
  path: string;
  ctx: Ctx;
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
      <Group label={label} optional={!required} value={value} onChange={onChange} errors={errorsUnder(ctx, path)}>
        {schema.anyOf || schema.oneOf ? (
          <UnionField schema={schema} value={value} onChange={onChange} path={path} ctx={ctx} />
        ) : (
          <ObjectFields schema={schema} value={(value as Record<string, unknown>) ?? {}} onChange={onChange} path={path} ctx={ctx} />
        )}
        {foot}
      </Group>
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
      <Scalar
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

function Scalar({
  id,
  schema,
  value,
  onChange,
  ctx,
  describedBy,
  invalid,
  label,
}: {
  id: string;
  schema: JsonSchema;
  value: unknown;
  onChange: (v: unknown) => void;
  ctx: Ctx;
  describedBy?: string;
  invalid: boolean;
  label: string;
}) {
  const t = typeOf(schema);
  const aria = { "aria-describedby": describedBy, "aria-invalid": invalid || undefined };
  if (schema.enum) {
    return (
      <select
        id={id}
        {...aria}
        value={value === undefined ? "" : String(value)}
        onChange={(e) => onChange(e.target.value === "" ? undefined : schema.enum?.find((o) => String(o) === e.target.value))}
        className={cx(inputClass, "pr-8")}
      >
        {(value === undefined || schema.default === undefined) && <option value="">—</option>}
        {schema.enum.map((o) => (
          <option key={String(o)} value={String(o)}>
            {String(o)}
          </option>
        ))}
      </select>
    );
  }
  if (t === "boolean") {
    return (
      <label className="flex items-center gap-2 text-sm">
        <input id={id} {...aria} type="checkbox" checked={Boolean(value)} onChange={(e) => onChange(e.target.checked)} className="size-4" />
        {label}
      </label>
    );
  }
  if (t === "number" || t === "integer") {
    return (
      <input
        id={id}
        {...aria}
        type="number"
        inputMode={t === "integer" ? "numeric" : "decimal"}
        step={t === "integer" ? 1 : "any"}
        min={schema.minimum}
        max={schema.maximum}
        placeholder={schema.default === undefined ? undefined : String(schema.default)}
        value={value === undefined ? "" : String(value)}
        onChange={(e) => onChange(e.target.value === "" ? undefined : Number(e.target.value))}
        className={inputClass}
      />
    );
  }
  if (t === "string") {
    return (
      <ExpressionInput
        id={id}
        value={typeof value === "string" ? value : ""}
        onChange={(v) => onChange(v === "" ? undefined : v)}
        variables={ctx.variables}
        multiline={(schema.maxLength ?? 0) > 2000}
        invalid={invalid}
        describedBy={describedBy}
      />
    );
  }
  // Anything (a condition's right side, a change's value): JSON when it parses, else text.
  return (
    <ExpressionInput
      id={id}
      value={value === undefined ? "" : typeof value === "string" ? value : JSON.stringify(value)}
      onChange={(v) => onChange(v === "" ? undefined : parseLoose(v))}
      variables={ctx.variables}
      invalid={invalid}
      describedBy={describedBy}
      placeholder="text, a number, true/false or JSON"
    />
  );
}

/** "12" → 12, "true" → true, "[1,2]" → [1, 2]; anything else stays text. */
export function parseLoose(v: string): unknown {
  const s = v.trim();
  if (/^(-?\d+(\.\d+)?|true|false|null)$/.test(s) || /^[[{"]/.test(s)) {
    try {
      return JSON.parse(s);
    } catch {
      return v;
    }
  }
  return v;
}

function Group({
  label,
  optional,
  value,
  onChange,
  errors,
  children,
}: {
  label: string;
  optional: boolean;
  value: unknown;
  onChange: (v: unknown) => void;
  errors: string[];
  children: ReactNode;
}) {
  const on = value !== undefined;
  return (
    <fieldset className="space-y-3 rounded-lg border border-line p-3">
      <legend className="px-1 text-sm font-medium text-fg">{label}</legend>
      {optional && (
        <label className="flex items-center gap-2 text-sm text-muted">
          <input type="checkbox" checked={on} onChange={(e) => onChange(e.target.checked ? {} : undefined)} className="size-4" />
          Set {label.replace(" (optional)", "").toLowerCase()}
        </label>
      )}
      {(on || !optional) && children}
      {!on && errors.length > 0 && <p className="text-xs font-medium text-danger">{errors[0]}</p>}
    </fieldset>
  );
}

/** A union: the variant whose required keys the value has, with a picker to switch. */
function UnionField({
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
  ctx: Ctx;
}) {
  const variants = (schema.anyOf ?? schema.oneOf ?? []).map((v) => resolve(v, ctx.root));
  const obj = (value as Record<string, unknown>) ?? {};
  const fits = (v: JsonSchema) => Object.keys(v.properties ?? {}).some((k) => k in obj);
  const current = Math.max(0, variants.findIndex(fits));
  const variantLabel = (v: JsonSchema, i: number) =>
    v.title ??
    (Object.keys(v.properties ?? {}).join(" / ") || `Option ${i + 1}`).replace(/^left \/ op \/ right$/, "Comparison (left op right)");
  const chosen = variants[current];
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

/** A value that already "fits" a variant: its required keys (or its first key) with empty values. */
function starterOf(v: JsonSchema, root: JsonSchema): Record<string, unknown> {
  const props = v.properties ?? {};
  const keys = v.required?.length ? v.required : Object.keys(props).slice(0, 1);
  return Object.fromEntries(
    keys.map((k) => {
      const s = resolve(props[k] ?? {}, root);
      return [k, s.default ?? (s.enum ? s.enum[0] : typeOf(s) === "array" ? [] : typeOf(s) === "object" ? {} : "")];
    }),
  );
}

function RecordField({
  schema,
  value,
  onChange,
  path,
  ctx,
}: {
  schema: JsonSchema;
  value: Record<string, unknown>;
  onChange: (v: unknown) => void;
  path: string;
  ctx: Ctx;
}) {
  const entries = Object.entries(value);
  const [draftKey, setDraftKey] = useState("");
  const set = (list: [string, unknown][]) => onChange(Object.fromEntries(list));
  return (
    <div className="space-y-1.5">
      {entries.map(([k, v], i) => (
        <div key={k} className="flex items-start gap-1.5">
          <input
            aria-label="Name"
            defaultValue={k}
            onBlur={(e) => e.target.value && e.target.value !== k && set(entries.map((x, j) => (j === i ? [e.target.value, x[1]] : x)))}
            className={cx(inputClass, "w-2/5 font-mono text-xs")}
          />
          <div className="min-w-0 flex-1">
            <Scalar
              id={`${path}.${k}`}
              schema={schema}
              value={v}
              onChange={(nv) => set(entries.map((x, j) => (j === i ? [k, nv ?? ""] : x)))}
              ctx={ctx}
              invalid={Boolean(errorFor(ctx, `${path}.${k}`))}
              label={k}
            />
          </div>
          <Button variant="ghost" size="sm" aria-label={`Remove ${k}`} onClick={() => set(entries.filter((_, j) => j !== i))}>
            ✕
          </Button>
        </div>
      ))}
      <div className="flex gap-1.5">
        <input
          aria-label="New name"
          value={draftKey}
          onChange={(e) => setDraftKey(e.target.value)}
          placeholder="name"
          className={cx(inputClass, "w-2/5 font-mono text-xs")}
        />
        <Button
          variant="secondary"
          size="sm"
          disabled={!draftKey.trim() || draftKey in value}
          onClick={() => {
            set([...entries, [draftKey.trim(), ""]]);
            setDraftKey("");
          }}
        >
          Add
        </Button>
      </div>
    </div>
  );
}

function ArrayField({
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
  ctx: Ctx;
  name: string;
}) {
  const isObject = typeOf(items) === "object" || items.anyOf || items.$ref;
  const set = (i: number, v: unknown) => onChange(value.map((x, j) => (j === i ? v : x)));
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
              <Scalar
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
