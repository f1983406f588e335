import { useId, useState } from "react";
import { cx } from "../ui/cx";
import type { EventType } from "./types";

/**
 * The platform's event catalogue (GET /workflows/events), grouped, searchable, each with its sample
 * payload: picking a trigger, and on the Events page as a reference.
 */
export function EventCatalogue({
  events,
  value,
  onPick,
  compact,
}: {
  events: EventType[];
  value?: string;
  onPick?: (type: string) => void;
  compact?: boolean;
}) {
  const [q, setQ] = useState("");
  const [open, setOpen] = useState<string | null>(null);
  const searchId = useId();
  const needle = q.trim().toLowerCase();
  const shown = events.filter((e) => !needle || `${e.type} ${e.group} ${e.description}`.toLowerCase().includes(needle));
  const groups = [...new Set(shown.map((e) => e.group))];
  return (
    <div className="space-y-2">
      <label htmlFor={searchId} className="sr-only">
        Search events
      </label>
      <input
        id={searchId}
        type="search"
        value={q}
        onChange={(e) => setQ(e.target.value)}
        placeholder="Search events (order paid, member joined…)"
        className="block h-9 w-full rounded-lg border border-line bg-surface px-3 text-sm shadow-sm focus-visible:outline-2 focus-visible:outline-accent"
      />
      <div className={cx("space-y-3 overflow-y-auto", compact && "max-h-72 pr-1")}>
        {shown.length === 0 && <p className="text-sm text-muted">No event matches “{q}”.</p>}
        {groups.map((g) => (
          <section key={g}>
            <h4 className="mb-1 text-xs font-semibold tracking-wide text-muted uppercase">{g}</h4>
            <ul className="space-y-1">
              {shown
                .filter((e) => e.group === g)
                .map((e) => (
                  <li key={e.type} className={cx("rounded-lg border", value === e.type ? "border-accent bg-accent-soft" : "border-line")}>
                    <div className="flex items-start gap-2 p-2">
                      <div className="min-w-0 flex-1">
                        <p className="font-mono text-xs text-fg">{e.type}</p>
                        <p className="text-xs text-muted">{e.description}</p>
                      </div>
                      <button
                        type="button"
                        aria-expanded={open === e.type}
                        onClick={() => setOpen(open === e.type ? null : e.type)}
                        className="shrink-0 rounded px-1.5 py-0.5 text-xs text-accent hover:bg-subtle focus-visible:outline-2 focus-visible:outline-accent"
                      >
                        Sample<span className="sr-only"> payload of {e.type}</span>
                      </button>
                      {onPick && (
                        <button
                          type="button"
                          aria-pressed={value === e.type}
                          onClick={() => onPick(e.type)}
                          className="shrink-0 rounded bg-accent px-2 py-0.5 text-xs font-medium text-accent-fg hover:opacity-90 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-accent"
                        >
                          {value === e.type ? "Chosen" : "Use"}
                          <span className="sr-only"> {e.type}</span>
                        </button>
                      )}
                    </div>
                    {open === e.type && (
                      <pre className="max-h-48 overflow-auto border-t border-line p-2 text-[11px] leading-snug text-muted">
                        {JSON.stringify(e.sample, null, 2)}
                      </pre>
                    )}
                  </li>
                ))}
            </ul>
          </section>
        ))}
      </div>
    </div>
  );
}
