import { createFileRoute } from "@tanstack/react-router";
import { DashboardView } from "../../../components/analytics/dashboards/DashboardView";

export const Route = createFileRoute("/_app/analytics/dashboards/$id")({ component: DashboardPage });

function DashboardPage() {
  const { id } = Route.useParams();
  return <DashboardView id={id} />;
}
