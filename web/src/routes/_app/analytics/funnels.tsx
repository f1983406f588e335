import { createFileRoute } from "@tanstack/react-router";
import { FunnelsPage } from "../../../components/analytics/FunnelsPage";

export const Route = createFileRoute("/_app/analytics/funnels")({ component: FunnelsPage });
