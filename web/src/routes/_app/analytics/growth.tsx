import { createFileRoute } from "@tanstack/react-router";
import { GrowthPage } from "../../../components/analytics/growth/GrowthPage";

export const Route = createFileRoute("/_app/analytics/growth")({ component: GrowthPage });
