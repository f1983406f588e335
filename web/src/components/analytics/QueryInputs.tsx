/** Inputs shared by the trends, funnel and retention builders: event, breakdown property, property filters. */
import { useQuery } from "@tanstack/react-query";
import { useId } from "react";
import { useWorkspace } from "../../lib/workspace";
import { Button } from "../ui/Button";
import { Field, Input, Select } from "../ui/Field";
import { CloseIcon, PlusIcon } from "../icons";
import {
  aq,
  COLUMN_PROPERTIES,
  FILTER_OPS,
  type FilterDraft,
  type FilterOp,
  fmtNumber,
  newFilter,
  opNeedsValue,
  validProperty,
} from "./client";

/** One <datalist> of the workspace's event names; inputs point at it with `list`. */
export function useEventNameList(): { listId: string; datalist: React.ReactNode; names: string[] } {
  const ws = useWorkspace();
  const listId = useId();
  const names = useQuery(aq.eventNames(ws.id));
  const data = names.data?.data ?? [];
  return {
    listId,
    names: data.map((n) => n.name),
    datalist: (
      <datalist id={listId}>
        {data.map((n) => (
          <option key={n.name} value={n.name}>
            {`${fmtNumber(n.count)} in 90 days`}
          </option>
        ))}
      </datalist>
    ),
  };
}

/** An event name: pick from the seen names or type any. */
export function EventInput({
  label,
  value,
  onChange,
  listId,
  className,
  hideLabel,
  placeholder = "$pageview",
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  listId: string;
  className?: string;
  hideLabel?: boolean;
  placeholder?: string;
}) {
  return (
    <Field label={label} className={className} hideLabel={hideLabel}>
      <Input
        list={listId}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        placeholder={placeholder}
        autoComplete="off"
        spellCheck={false}
      />
    </Field>
  );
}

const CUSTOM = "__props";
/** A breakdown (or filter) property: one of the columns, or `props.<key>` typed in. */
export function PropertyInput({
  label,
  value,
  onChange,
  allowNone,
  hideLabel,
  className,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  allowNone?: boolean;
  hideLabel?: boolean;
  className?: string;
}) {
  const isColumn = COLUMN_PROPERTIES.some((c) => c.value === value);
  const custom = value !== "" && !isColumn;
  const key = custom ? value.replace(/^props\.?/, "") : "";
  const bad = custom && key !== "" && !validProperty(value);
  return (
    <div className={className}>
      <Field label={label} hideLabel={hideLabel}>
        <Select value={custom ? CUSTOM : value} onChange={(e) => onChange(e.target.value === CUSTOM ? "props." : e.target.value)}>
          {allowNone && <option value="">None</option>}
          {COLUMN_PROPERTIES.map((c) => (
            <option key={c.value} value={c.value}>
              {c.label}
            </option>
          ))}
          <option value={CUSTOM}>Event property…</option>
        </Select>
      </Field>
      {custom && (
        <Field label={`${label}: property key`} hideLabel className="mt-2" error={bad ? "Letters, digits, _ $ - only" : undefined}>
          <Input
            value={key}
            onChange={(e) => onChange(`props.${e.target.value}`)}
            placeholder="Property key, e.g. plan"
            spellCheck={false}
            autoComplete="off"
          />
        </Field>
      )}
    </div>
  );
}

/** Add/remove rows of property · operator · value. */
export function FilterRows({
  value,
  onChange,
  label = "Filters",
}: {
  value: FilterDraft[];
  onChange: (v: FilterDraft[]) => void;
  label?: string;
}) {
  const set = (id: string, patch: Partial<FilterDraft>) => onChange(value.map((f) => (f.id === id ? { ...f, ...patch } : f)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">{label}</legend>
      {value.length === 0 && <p className="text-xs text-muted">No filters: every event counts.</p>}
      {value.map((f, i) => (
        <div key={f.id} className="flex flex-col gap-2 rounded-lg border border-line p-2 sm:flex-row sm:items-start sm:border-0 sm:p-0">
          <PropertyInput
            label={`${label} ${i + 1}: property`}
            hideLabel
            value={f.property}
            onChange={(p) => set(f.id, { property: p })}
            className="sm:w-72"
          />
          <Field label={`${label} ${i + 1}: operator`} hideLabel className="sm:w-44">
            <Select value={f.op} onChange={(e) => set(f.id, { op: e.target.value as FilterOp })}>
              {FILTER_OPS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </Select>
          </Field>
          {opNeedsValue(f.op) && (
            <Field label={`${label} ${i + 1}: value`} hideLabel className="min-w-0 flex-1">
              <Input value={f.value} onChange={(e) => set(f.id, { value: e.target.value })} placeholder="Value" />
            </Field>
          )}
          <Button
            variant="ghost"
            size="sm"
            className="h-10 self-end sm:self-auto"
            aria-label={`Remove filter ${i + 1}`}
            onClick={() => onChange(value.filter((x) => x.id !== f.id))}
          >
            <CloseIcon className="size-4" />
            <span className="sm:sr-only">Remove</span>
          </Button>
        </div>
      ))}
      {value.length < 10 && (
        <Button variant="secondary" size="sm" onClick={() => onChange([...value, newFilter()])}>
          <PlusIcon className="size-4" /> Add filter
        </Button>
      )}
    </fieldset>
  );
}

/** A set of mutually exclusive buttons (radio group) for small choices like interval or measure. */
export function Segmented<K extends string>({
  legend,
  options,
  value,
  onChange,
  name,
}: {
  legend: string;
  options: { value: K; label: string }[];
  value: K;
  onChange: (v: K) => void;
  name: string;
}) {
  return (
    <fieldset>
      <legend className="mb-1.5 block text-sm font-medium">{legend}</legend>
      <div className="inline-flex rounded-lg border border-line bg-surface p-0.5 shadow-sm">
        {options.map((o) => (
          <label
            key={o.value}
            className={
              "cursor-pointer rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent " +
              (o.value === value ? "bg-accent-soft text-accent" : "text-muted hover:text-fg")
            }
          >
            <input type="radio" name={name} className="sr-only" checked={o.value === value} onChange={() => onChange(o.value)} />
            {o.label}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
