import { useState } from "react";
import { Button } from "../ui/Button";
import { cx } from "../ui/cx";
import type { JsonSchema } from "./graph";
import { ScalarInput } from "./ScalarInput";
import { errorFor, type FormContext, inputClass } from "./schemaFormContext";

/** A record (key → value, e.g. headers): a row per entry with its name and value, and a row to add one. */
export function RecordField({
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
  ctx: FormContext;
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
            <ScalarInput
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
