import { Link, useNavigate } from "@tanstack/react-router";
import type { WizardListItem } from "../../lib/api-types";
import { errorMessage } from "../../lib/api";
import { Badge } from "../ui/Badge";
import { Button, buttonClass } from "../ui/Button";
import { Card } from "../ui/Card";
import { EmptyState } from "../ui/EmptyState";
import { Skeleton } from "../ui/Skeleton";
import { useRestartWizard, useWizardList } from "./wizardApi";

const GROUPS = ["Get started", "Sell", "Grow", "Build", "Settings"] as const;

/** The set-up guides the role may run, grouped by dashboard area, each with its progress. */
export function WizardsList() {
  const list = useWizardList();
  if (list.isPending) {
    return (
      <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
        {[0, 1, 2].map((i) => (
          <Skeleton key={i} className="h-40" />
        ))}
      </div>
    );
  }
  if (list.isError) {
    return (
      <Card>
        <p role="alert" className="text-sm text-danger">
          {errorMessage(list.error)}
        </p>
      </Card>
    );
  }
  if (list.data.items.length === 0) {
    return (
      <Card>
        <EmptyState title="No set-up guides for your role">An owner or admin can run them for this workspace.</EmptyState>
      </Card>
    );
  }
  return (
    <div className="space-y-8">
      {GROUPS.map((group) => {
        const items = list.data.items.filter((i) => i.group === group);
        if (!items.length) return null;
        return (
          <section key={group} aria-labelledby={`wizards-${group}`}>
            <h2 id={`wizards-${group}`} className="mb-3 text-sm font-semibold uppercase tracking-wide text-muted">
              {group}
            </h2>
            <ul className="grid gap-4 sm:grid-cols-2 lg:grid-cols-3">
              {items.map((w) => (
                <li key={w.kind}>
                  <WizardCard wizard={w} />
                </li>
              ))}
            </ul>
          </section>
        );
      })}
    </div>
  );
}

const STATUS: Record<WizardListItem["status"], { label: string; tone: "neutral" | "accent" | "success" | "warning" }> = {
  not_started: { label: "Not started", tone: "neutral" },
  in_progress: { label: "In progress", tone: "accent" },
  completed: { label: "Done", tone: "success" },
  abandoned: { label: "Abandoned", tone: "warning" },
};

function WizardCard({ wizard: w }: { wizard: WizardListItem }) {
  const navigate = useNavigate();
  const restart = useRestartWizard();
  const pct = w.progress.total ? Math.round((w.progress.done / w.progress.total) * 100) : 0;
  const status = STATUS[w.status];
  const open = () => navigate({ to: "/wizards/$kind", params: { kind: w.kind } });
  return (
    <article className="flex h-full flex-col rounded-xl border border-line bg-surface p-5 shadow-sm">
      <div className="flex items-start justify-between gap-2">
        <h3 className="font-semibold">{w.title}</h3>
        <Badge tone={status.tone}>{status.label}</Badge>
      </div>
      <p className="mt-1 flex-1 text-sm text-muted">{w.description}</p>
      <div className="mt-4">
        <div
          className="h-1.5 overflow-hidden rounded-full bg-subtle"
          role="progressbar"
          aria-label={`${w.title} progress`}
          aria-valuemin={0}
          aria-valuemax={w.progress.total}
          aria-valuenow={w.progress.done}
        >
          <div className="h-full rounded-full bg-accent" style={{ width: `${w.status === "completed" ? 100 : pct}%` }} />
        </div>
        <p className="mt-1.5 text-xs text-muted">
          {w.progress.done} of {w.progress.total} steps
        </p>
      </div>
      <div className="mt-4">
        {w.status === "in_progress" ? (
          <Link to="/wizards/$kind" params={{ kind: w.kind }} className={buttonClass("primary", "sm")}>
            Resume
          </Link>
        ) : w.status === "not_started" ? (
          <Link to="/wizards/$kind" params={{ kind: w.kind }} className={buttonClass("primary", "sm")}>
            Start
          </Link>
        ) : (
          <Button
            size="sm"
            variant={w.status === "completed" ? "secondary" : "primary"}
            loading={restart.isPending}
            onClick={() => restart.mutate(w.kind, { onSuccess: open })}
          >
            {w.status === "completed" ? "Run again" : "Start"}
          </Button>
        )}
        {w.status === "completed" && (
          <Link to="/wizards/$kind" params={{ kind: w.kind }} className={buttonClass("ghost", "sm", "ml-2")}>
            Summary
          </Link>
        )}
      </div>
    </article>
  );
}
