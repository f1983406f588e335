import { createFileRoute } from "@tanstack/react-router";
import { DestinationsPage } from "../../../components/analytics/destinations/DestinationsPage";

export const Route = createFileRoute("/_app/analytics/destinations")({ component: DestinationsPage });
