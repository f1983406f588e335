import { createFileRoute } from "@tanstack/react-router";
import { DashboardsPage } from "../../../components/analytics/dashboards/DashboardsPage";

export const Route = createFileRoute("/_app/analytics/dashboards/")({ component: DashboardsPage });
