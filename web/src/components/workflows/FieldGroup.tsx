import type { ReactNode } from "react";

/** A nested object or a union in a bordered group; an optional one has a checkbox that sets or clears it. */
export function FieldGroup({
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
