import { createFileRoute } from "@tanstack/react-router";

export const Route = createFileRoute("/_app/analytics/growth")({
  component: RouteComponent,
});

function RouteComponent() {
  return <div>Hello "/_app/analytics/growth"!</div>;
}
