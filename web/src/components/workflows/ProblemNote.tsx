import { Link } from "@tanstack/react-router";
import { ApiError, errorMessage } from "../../lib/api";

/** An error from a workflows request; a plan without workflows (402) gets the way to upgrade. */
export function ProblemNote({ error }: { error: unknown }) {
  if (error instanceof ApiError && error.status === 402) {
    return (
      <div role="alert" className="rounded-xl border border-warning/40 bg-warning-soft p-4 text-sm">
        <p className="font-medium text-fg">{error.problem.title}</p>
        <p className="mt-1 text-muted">{error.problem.detail ?? "Workflows come with the Professional plan."}</p>
        <Link to="/settings/billing" search={{ checkout: undefined }} className="mt-2 inline-block font-medium text-accent hover:underline">
          See plans
        </Link>
      </div>
    );
  }
  return (
    <p role="alert" className="p-4 text-sm text-danger">
      {errorMessage(error)}
    </p>
  );
}
