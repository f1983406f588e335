import { createFileRoute } from "@tanstack/react-router";
import { TrendsPage } from "../../../components/analytics/TrendsPage";

export const Route = createFileRoute("/_app/analytics/trends")({ component: TrendsPage });
