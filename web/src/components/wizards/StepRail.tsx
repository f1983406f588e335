import { cx } from "../ui/cx";

export interface RailStep {
  id: string;
  title: string;
}

/** The steps, numbered, with ticks for the done ones; done steps (and the next open one) can be revisited. */
export function StepRail({
  steps,
  done,
  current,
  reachable,
  onPick,
}: {
  steps: RailStep[];
  done: string[];
  current: string;
  reachable: (id: string) => boolean;
  onPick: (id: string) => void;
}) {
  return (
    <nav aria-label="Steps">
      <p className="mb-2 text-xs font-medium text-muted sm:hidden">
        Step {steps.findIndex((s) => s.id === current) + 1} of {steps.length}
      </p>
      <ol className="flex gap-2 overflow-x-auto sm:flex-col sm:gap-1">
        {steps.map((s, i) => {
          const isDone = done.includes(s.id);
          const isCurrent = s.id === current;
          return (
            <li key={s.id} className="shrink-0">
              <button
                type="button"
                disabled={!reachable(s.id)}
                onClick={() => onPick(s.id)}
                aria-current={isCurrent ? "step" : undefined}
                className={cx(
                  "flex w-full items-center gap-2.5 rounded-lg px-2.5 py-2 text-left text-sm transition-colors disabled:cursor-default",
                  isCurrent ? "bg-accent-soft font-medium text-fg" : "text-muted hover:enabled:bg-subtle",
                )}
              >
                <span
                  aria-hidden="true"
                  className={cx(
                    "flex size-6 shrink-0 items-center justify-center rounded-full border text-xs font-semibold",
                    isDone ? "border-accent bg-accent text-accent-fg" : isCurrent ? "border-accent text-accent" : "border-line",
                  )}
                >
                  {isDone ? "✓" : i + 1}
                </span>
                <span className={cx(!isCurrent && "hidden sm:inline")}>{s.title}</span>
                {isDone && <span className="sr-only">(done)</span>}
              </button>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
