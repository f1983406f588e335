import { CloseIcon } from "../../icons";
import { Button } from "../../ui/Button";
import { Field, Input } from "../../ui/Field";
import { MAX_WITHIN_DAYS } from "./client";
import type { MilestoneDraft } from "./milestoneDraft";

/** One milestone in the editor: name, event, within N days; move up/down and remove. */
export function MilestoneRow({
  m,
  index,
  count,
  listId,
  error,
  onChange,
  onMove,
  onRemove,
}: {
  m: MilestoneDraft;
  index: number;
  count: number;
  listId: string;
  error: (field: "name" | "event" | "within_days") => string | undefined;
  onChange: (patch: Partial<MilestoneDraft>) => void;
  onMove: (by: -1 | 1) => void;
  onRemove: () => void;
}) {
  const n = index + 1;
  return (
    <li className="rounded-lg border border-line p-3">
      <div className="flex items-center justify-between gap-2">
        <span className="text-sm font-semibold">Milestone {n}</span>
        <div className="flex gap-1">
          <Button
            id={`${m.id}-up`}
            variant="ghost"
            size="sm"
            aria-label={`Move milestone ${n} up`}
            disabled={index === 0}
            onClick={() => onMove(-1)}
          >
            <span aria-hidden="true">↑</span>
          </Button>
          <Button
            id={`${m.id}-down`}
            variant="ghost"
            size="sm"
            aria-label={`Move milestone ${n} down`}
            disabled={index === count - 1}
            onClick={() => onMove(1)}
          >
            <span aria-hidden="true">↓</span>
          </Button>
          <Button variant="ghost" size="sm" aria-label={`Remove milestone ${n}`} onClick={onRemove}>
            <CloseIcon className="size-4" />
          </Button>
        </div>
      </div>
      <div className="mt-2 grid gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,1fr)_7rem]">
        <Field label={`Milestone ${n} name`} error={error("name")}>
          <Input
            data-milestone-name={m.id}
            value={m.name}
            onChange={(e) => onChange({ name: e.target.value })}
            placeholder="Verified e-mail"
            maxLength={80}
          />
        </Field>
        <Field label={`Milestone ${n} event`} error={error("event")}>
          <Input
            list={listId}
            value={m.event}
            onChange={(e) => onChange({ event: e.target.value })}
            placeholder="email_verified"
            maxLength={200}
            autoComplete="off"
            spellCheck={false}
          />
        </Field>
        <Field label="Within (days)" error={error("within_days")}>
          <Input
            type="number"
            min={1}
            max={MAX_WITHIN_DAYS}
            step={1}
            inputMode="numeric"
            aria-label={`Milestone ${n}: within how many days of signing up`}
            value={m.within}
            onChange={(e) => onChange({ within: e.target.value })}
          />
        </Field>
      </div>
    </li>
  );
}
