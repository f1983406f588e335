import { createFileRoute } from "@tanstack/react-router";
import { CallPage } from "../../components/voice/CallPage";

export const Route = createFileRoute("/_app/sales/calls/$id")({ component: CallRoute });

function CallRoute() {
  const { id } = Route.useParams();
  return <CallPage key={id} id={id} />;
}
