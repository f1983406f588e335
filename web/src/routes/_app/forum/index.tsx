import { createFileRoute } from "@tanstack/react-router";
import { OverviewPage } from "../../../components/forum/OverviewPage";

export const Route = createFileRoute("/_app/forum/")({ component: OverviewPage });
