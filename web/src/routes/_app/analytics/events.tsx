import { createFileRoute } from "@tanstack/react-router";
import { EventsPage } from "../../../components/analytics/EventsPage";

export const Route = createFileRoute("/_app/analytics/events")({ component: EventsPage });
