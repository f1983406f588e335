import { createFileRoute } from "@tanstack/react-router";
import { ConnectionPage } from "../../components/crm-sync/ConnectionPage";

function ConnectionRoute() {
  const { id } = Route.useParams();
  return <ConnectionPage key={id} id={id} />;
}
export const Route = createFileRoute("/_app/sales/integrations/$id")({ component: ConnectionRoute });
