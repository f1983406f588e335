import { createFileRoute } from "@tanstack/react-router";
import { EventsPage } from "../../../components/workflows/EventsPage";

export const Route = createFileRoute("/_app/workflows/events")({ component: EventsPage });
