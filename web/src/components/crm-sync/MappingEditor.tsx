import { Button } from "../ui/Button";
import { Input, Select } from "../ui/Field";
import type { Mapping } from "./types";

/** Rows of remote property ↔ local field; a local field may be a custom one (custom:<key>). */
export function MappingEditor({
  label,
  value,
  fields,
  onChange,
  disabled,
}: {
  label: string;
  value: Mapping;
  fields: string[];
  onChange: (m: Mapping) => void;
  disabled?: boolean;
}) {
  const set = (i: number, patch: Partial<Mapping[number]>) => onChange(value.map((r, n) => (n === i ? { ...r, ...patch } : r)));
  return (
    <fieldset className="space-y-2" disabled={disabled}>
      <legend className="mb-2 text-sm font-medium">{label}</legend>
      <div className="hidden grid-cols-[1fr_1fr_auto] gap-2 text-xs text-muted sm:grid">
        <span>CRM property</span>
        <span>Weft field</span>
        <span className="w-16" />
      </div>
      {value.map((row, i) => {
        const custom = row.local.startsWith("custom:");
        return (
          // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id and are edited in place
          <div key={i} className="grid grid-cols-1 gap-2 rounded-lg border border-line p-2 sm:grid-cols-[1fr_1fr_auto] sm:border-0 sm:p-0">
            <Input aria-label={`CRM property ${i + 1}`} value={row.remote} onChange={(e) => set(i, { remote: e.target.value })} />
            <div className="flex gap-2">
              <Select
                className="min-w-0 flex-1"
                aria-label={`Weft field ${i + 1}`}
                value={custom ? "custom" : row.local}
                onChange={(e) => set(i, { local: e.target.value === "custom" ? "custom:" : e.target.value })}
              >
                {fields.map((f) => (
                  <option key={f} value={f}>
                    {f}
                  </option>
                ))}
                <option value="custom">custom field…</option>
              </Select>
              {custom && (
                <Input
                  className="min-w-0 flex-1"
                  aria-label={`Custom field key ${i + 1}`}
                  placeholder="key"
                  value={row.local.slice(7)}
                  onChange={(e) => set(i, { local: `custom:${e.target.value}` })}
                />
              )}
            </div>
            <Button
              variant="ghost"
              size="sm"
              onClick={() => onChange(value.filter((_, n) => n !== i))}
              aria-label={`Remove mapping ${i + 1}`}
            >
              Remove
            </Button>
          </div>
        );
      })}
      <Button variant="secondary" size="sm" onClick={() => onChange([...value, { remote: "", local: fields[0] ?? "email" }])}>
        Add a field
      </Button>
    </fieldset>
  );
}
