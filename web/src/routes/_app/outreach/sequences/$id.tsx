import { createFileRoute } from "@tanstack/react-router";
import { SequenceBuilder } from "../../../../components/outreach/SequenceBuilder";

export const Route = createFileRoute("/_app/outreach/sequences/$id")({ component: SequenceRoute });

function SequenceRoute() {
  const { id } = Route.useParams();
  return <SequenceBuilder key={id} id={id} />;
}
