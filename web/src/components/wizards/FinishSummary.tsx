import { Link, useRouter } from "@tanstack/react-router";
import type { WizardObject } from "../../lib/api-types";
import { Button, buttonClass } from "../ui/Button";

/** What a finished wizard configured, each with a link to where it lives. */
export function FinishSummary({
  title,
  objects,
  onRunAgain,
  restarting,
}: {
  title: string;
  objects: WizardObject[];
  onRunAgain: () => void;
  restarting: boolean;
}) {
  const router = useRouter();
  return (
    <div className="space-y-5">
      <div className="flex items-start gap-3">
        <span
          aria-hidden="true"
          className="flex size-10 shrink-0 items-center justify-center rounded-full bg-accent text-lg text-accent-fg"
        >
          ✓
        </span>
        <div>
          <h2 className="text-lg font-semibold" tabIndex={-1} data-wizard-heading>
            {title} is set up
          </h2>
          <p className="text-sm text-muted">Here is what was configured. Everything can be changed later where it lives.</p>
        </div>
      </div>
      {objects.length === 0 ? (
        <p className="rounded-lg border border-dashed border-line p-4 text-sm text-muted">Nothing new was created this time.</p>
      ) : (
        <ul className="divide-y divide-line rounded-lg border border-line">
          {objects.map((o) => (
            <li key={`${o.type}:${o.id}`} className="flex flex-wrap items-center justify-between gap-2 px-4 py-3 text-sm">
              <span>{o.label}</span>
              <a
                href={o.href}
                className="font-medium text-accent hover:underline"
                onClick={(e) => {
                  e.preventDefault();
                  router.history.push(o.href);
                }}
              >
                Open
              </a>
            </li>
          ))}
        </ul>
      )}
      <div className="flex flex-wrap gap-2">
        <Link to="/wizards" className={buttonClass("primary")}>
          All set-up guides
        </Link>
        <Button variant="secondary" onClick={onRunAgain} loading={restarting}>
          Run again
        </Button>
      </div>
    </div>
  );
}
