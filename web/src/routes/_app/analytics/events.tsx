import { createFileRoute } from "@tanstack/react-router";
import { EventsPage } from "../../../components/analytics/EventsPage";

/** `?person=<id>` opens the stream filtered to one person (the Growth tab's churn-risk rows link here). */
export const Route = createFileRoute("/_app/analytics/events")({
  validateSearch: (s: Record<string, unknown>): { person?: string } =>
    typeof s.person === "string" && s.person.length <= 200 ? { person: s.person } : {},
  component: EventsRoute,
});

function EventsRoute() {
  const { person } = Route.useSearch();
  return <EventsPage key={person ?? ""} initialPerson={person ?? ""} />;
}
