import { createFileRoute } from "@tanstack/react-router";
import { RunPage } from "../../../../components/workflows/RunPage";

export const Route = createFileRoute("/_app/workflows/runs/$runId")({ component: RunRoute });

function RunRoute() {
  const { runId } = Route.useParams();
  return <RunPage key={runId} runId={runId} />;
}
