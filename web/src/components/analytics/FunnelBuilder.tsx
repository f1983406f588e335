import { useState } from "react";
import { Button } from "../ui/Button";
import { Field, Input, Select } from "../ui/Field";
import { cx } from "../ui/cx";
import { ChevronDownIcon, CloseIcon, PlusIcon } from "../icons";
import { type FunnelDraft, newStep, ORDERS, type StepDraft, type Unit } from "./funnelDraft";
import { FilterRows, PropertyInput, useEventNameList } from "./QueryInputs";
import { RangePicker } from "./RangePicker";

const MAX_STEPS = 10;

/** Steps (add, remove, reorder with buttons), conversion window, order mode, breakdown, range. */
export function FunnelBuilder({ draft, onChange }: { draft: FunnelDraft; onChange: (d: FunnelDraft) => void }) {
  const { listId, datalist } = useEventNameList();
  const steps = draft.steps;
  const setStep = (id: string, patch: Partial<StepDraft>) =>
    onChange({ ...draft, steps: steps.map((s) => (s.id === id ? { ...s, ...patch } : s)) });
  const move = (i: number, by: -1 | 1) => {
    const next = [...steps];
    const [s] = next.splice(i, 1);
    if (!s) return;
    next.splice(i + by, 0, s);
    onChange({ ...draft, steps: next });
    // Keep focus on the moved step: its button of the same direction, or the other one at an edge.
    requestAnimationFrame(() => {
      const same = document.getElementById(`${s.id}-${by < 0 ? "up" : "down"}`) as HTMLButtonElement | null;
      const other = document.getElementById(`${s.id}-${by < 0 ? "down" : "up"}`) as HTMLButtonElement | null;
      (same && !same.disabled ? same : other)?.focus();
    });
  };
  return (
    <div className="space-y-6">
      {datalist}
      <ol className="space-y-3" aria-label="Funnel steps">
        {steps.map((s, i) => (
          <StepEditor
            key={s.id}
            step={s}
            index={i}
            count={steps.length}
            listId={listId}
            onChange={(p) => setStep(s.id, p)}
            onMove={(by) => move(i, by)}
            onRemove={() => onChange({ ...draft, steps: steps.filter((x) => x.id !== s.id) })}
          />
        ))}
      </ol>
      {steps.length < MAX_STEPS && (
        <Button variant="secondary" size="sm" onClick={() => onChange({ ...draft, steps: [...steps, newStep()] })}>
          <PlusIcon className="size-4" /> Add step
        </Button>
      )}

      <div className="grid gap-5 lg:grid-cols-2">
        <fieldset>
          <legend className="mb-1.5 block text-sm font-medium">Conversion window</legend>
          <div className="flex gap-2">
            <Field label="Window length" hideLabel className="w-28">
              <Input
                type="number"
                min={1}
                step="any"
                inputMode="decimal"
                value={Number.isFinite(draft.windowValue) ? draft.windowValue : ""}
                onChange={(e) => onChange({ ...draft, windowValue: e.target.valueAsNumber })}
              />
            </Field>
            <Field label="Window unit" hideLabel className="w-36">
              <Select value={draft.windowUnit} onChange={(e) => onChange({ ...draft, windowUnit: e.target.value as Unit })}>
                <option value="minutes">minutes</option>
                <option value="hours">hours</option>
                <option value="days">days</option>
              </Select>
            </Field>
          </div>
          <p className="mt-1.5 text-xs text-muted">Every step must happen within this time of the person's first step.</p>
        </fieldset>
        <PropertyInput
          label="Breakdown (by the first step's property)"
          value={draft.breakdown}
          onChange={(b) => onChange({ ...draft, breakdown: b })}
          allowNone
        />
      </div>

      <fieldset>
        <legend className="mb-1.5 block text-sm font-medium">Step order</legend>
        <div className="grid gap-2 md:grid-cols-3">
          {ORDERS.map((o) => (
            <label
              key={o.value}
              className={cx(
                "flex cursor-pointer gap-3 rounded-lg border p-3 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-accent",
                draft.order === o.value ? "border-accent bg-accent-soft/50" : "border-line hover:bg-subtle",
              )}
            >
              <input
                type="radio"
                name="funnel-order"
                value={o.value}
                checked={draft.order === o.value}
                onChange={() => onChange({ ...draft, order: o.value })}
                className="mt-0.5 accent-[var(--accent)]"
              />
              <span>
                <span className="block font-medium">{o.label}</span>
                <span className="block text-xs text-muted">{o.help}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <div>
        <p className="mb-1.5 text-sm font-medium">Range (first step)</p>
        <RangePicker />
      </div>
    </div>
  );
}

function StepEditor({
  step,
  index,
  count,
  listId,
  onChange,
  onMove,
  onRemove,
}: {
  step: StepDraft;
  index: number;
  count: number;
  listId: string;
  onChange: (p: Partial<StepDraft>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const [showFilters, setShowFilters] = useState(step.filters.length > 0);
  const n = index + 1;
  return (
    <li className="rounded-lg border border-line bg-surface p-3">
      <div className="flex flex-col gap-3 md:flex-row md:items-end">
        <span
          aria-hidden="true"
          className="flex size-8 shrink-0 items-center justify-center rounded-full bg-accent-soft text-sm font-semibold text-accent md:mb-1"
        >
          {n}
        </span>
        <div className="grid min-w-0 flex-1 gap-3 sm:grid-cols-2">
          <Field label={`Step ${n} event`}>
            <Input
              data-step-event={step.id}
              list={listId}
              value={step.event}
              onChange={(e) => onChange({ event: e.target.value })}
              placeholder="signed_up"
              autoComplete="off"
              spellCheck={false}
            />
          </Field>
          <Field label={`Step ${n} label`}>
            <Input value={step.label} onChange={(e) => onChange({ label: e.target.value })} placeholder="Optional" maxLength={100} />
          </Field>
        </div>
        <div className="flex flex-wrap gap-1">
          <Button
            variant="ghost"
            size="sm"
            className="h-10"
            aria-expanded={showFilters}
            aria-controls={`${step.id}-filters`}
            onClick={() => setShowFilters((v) => !v)}
          >
            Filters{step.filters.length ? ` (${step.filters.length})` : ""}
            <ChevronDownIcon className={cx("size-4 transition-transform", showFilters && "rotate-180")} />
          </Button>
          <Button
            id={`${step.id}-up`}
            variant="ghost"
            size="sm"
            className="h-10"
            aria-label={`Move step ${n} up`}
            disabled={index === 0}
            onClick={() => onMove(-1)}
          >
            <span aria-hidden="true">↑</span>
          </Button>
          <Button
            id={`${step.id}-down`}
            variant="ghost"
            size="sm"
            className="h-10"
            aria-label={`Move step ${n} down`}
            disabled={index === count - 1}
            onClick={() => onMove(1)}
          >
            <span aria-hidden="true">↓</span>
          </Button>
          <Button variant="ghost" size="sm" className="h-10" aria-label={`Remove step ${n}`} disabled={count <= 2} onClick={onRemove}>
            <CloseIcon className="size-4" />
          </Button>
        </div>
      </div>
      {showFilters && (
        <div id={`${step.id}-filters`} className="mt-3 border-t border-line pt-3">
          <FilterRows label={`Step ${n} filters`} value={step.filters} onChange={(f) => onChange({ filters: f })} />
        </div>
      )}
    </li>
  );
}
