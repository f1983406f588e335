import { createFileRoute } from "@tanstack/react-router";
import { OverviewPage } from "../../../components/analytics/OverviewPage";

export const Route = createFileRoute("/_app/analytics/")({ component: OverviewPage });
