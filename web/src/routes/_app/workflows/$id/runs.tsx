import { createFileRoute } from "@tanstack/react-router";
import { RunsPage } from "../../../../components/workflows/RunsPage";

export const Route = createFileRoute("/_app/workflows/$id/runs")({ component: RunsRoute });

function RunsRoute() {
  const { id } = Route.useParams();
  return <RunsPage key={id} id={id} />;
}
