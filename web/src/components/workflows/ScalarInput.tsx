/** The input for one scalar value of a SchemaForm: an enum's select, a checkbox, a number, or text with the variable picker. */
import { cx } from "../ui/cx";
import { ExpressionInput } from "./ExpressionInput";
import type { JsonSchema } from "./graph";
import { typeOf } from "./jsonSchema";
import { type FormContext, inputClass } from "./schemaFormContext";

export function ScalarInput({
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
  ctx: FormContext;
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
