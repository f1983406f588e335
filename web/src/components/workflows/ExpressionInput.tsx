import { useId, useRef, useState } from "react";
import { cx } from "../ui/cx";

export interface Variable {
  path: string;
  detail?: string;
}

const control =
  "block w-full rounded-lg border border-line bg-surface px-3 text-sm text-fg shadow-sm placeholder:text-muted/70 " +
  "focus-visible:outline-2 focus-visible:outline-accent focus-visible:outline-offset-0 aria-[invalid=true]:border-danger";

/**
 * A text field that may hold `{{ … }}` expressions, with a variable picker: `trigger.*` from the
 * trigger's sample payload and the outputs of the steps before this one. Picking inserts
 * `{{ path }}` at the cursor.
 */
export function ExpressionInput({
  id,
  value,
  onChange,
  variables,
  multiline,
  invalid,
  describedBy,
  placeholder,
}: {
  id: string;
  value: string;
  onChange: (v: string) => void;
  variables: Variable[];
  multiline?: boolean;
  invalid?: boolean;
  describedBy?: string;
  placeholder?: string;
}) {
  const field = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [open, setOpen] = useState(false);
  const [filter, setFilter] = useState("");
  const listId = useId();
  const insert = (path: string) => {
    const el = field.current;
    const at = el?.selectionStart ?? value.length;
    const end = el?.selectionEnd ?? at;
    const token = `{{ ${path} }}`;
    onChange(value.slice(0, at) + token + value.slice(end));
    setOpen(false);
    setFilter("");
    requestAnimationFrame(() => {
      el?.focus();
      el?.setSelectionRange(at + token.length, at + token.length);
    });
  };
  const shown = variables.filter((v) => v.path.toLowerCase().includes(filter.toLowerCase())).slice(0, 60);
  const common = {
    id,
    ref: field,
    value,
    placeholder,
    "aria-invalid": invalid || undefined,
    "aria-describedby": describedBy,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value),
  };
  return (
    <div className="relative">
      <div className="flex gap-1">
        {multiline ? (
          <textarea {...common} rows={4} className={cx(control, "min-h-20 py-2 font-mono text-xs")} />
        ) : (
          <input {...common} className={cx(control, "h-9 font-mono text-xs")} />
        )}
        <button
          type="button"
          title="Insert a variable"
          aria-expanded={open}
          aria-controls={open ? listId : undefined}
          onClick={() => setOpen((o) => !o)}
          className="h-9 shrink-0 rounded-lg border border-line bg-surface px-2 font-mono text-xs text-accent hover:bg-subtle focus-visible:outline-2 focus-visible:outline-accent"
        >
          <span aria-hidden="true">{"{x}"}</span>
          <span className="sr-only">Insert a variable</span>
        </button>
      </div>
      {open && (
        <div
          id={listId}
          role="dialog"
          aria-label="Variables"
          className="absolute right-0 z-20 mt-1 w-72 rounded-xl border border-line bg-surface p-2 shadow-xl"
          onKeyDown={(e) => {
            if (e.key === "Escape") {
              e.stopPropagation();
              setOpen(false);
              field.current?.focus();
            }
          }}
        >
          <input
            // biome-ignore lint/a11y/noAutofocus: the picker opens to be typed into
            autoFocus
            aria-label="Filter variables"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
            placeholder="Filter…"
            className={cx(control, "mb-1 h-8")}
          />
          <ul className="max-h-56 overflow-y-auto text-xs">
            {shown.length === 0 && <li className="px-2 py-1 text-muted">No variables match.</li>}
            {shown.map((v) => (
              <li key={v.path}>
                <button
                  type="button"
                  onClick={() => insert(v.path)}
                  className="flex w-full flex-col rounded-md px-2 py-1 text-left hover:bg-subtle focus-visible:bg-subtle focus-visible:outline-none"
                >
                  <span className="font-mono text-fg">{v.path}</span>
                  {v.detail && <span className="truncate text-muted">{v.detail}</span>}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

/** `trigger.data.lead.email`, … from a sample payload (objects walked, arrays as `.0`), with the sample value. */
export function pathsOf(value: unknown, prefix: string, depth = 0): Variable[] {
  if (depth > 5) return [];
  if (value && typeof value === "object") {
    const entries = Array.isArray(value) ? (value.length ? [["0", value[0]] as const] : []) : Object.entries(value);
    return [{ path: prefix }, ...entries.flatMap(([k, v]) => pathsOf(v, `${prefix}.${k}`, depth + 1))];
  }
  return [{ path: prefix, detail: value === undefined ? undefined : JSON.stringify(value) }];
}
