import { createFileRoute } from "@tanstack/react-router";
import { LeadDetailPage } from "../../../../components/sales/LeadDetailPage";

export const Route = createFileRoute("/_app/sales/leads/$id")({ component: LeadRoute });

function LeadRoute() {
  const { id } = Route.useParams();
  return <LeadDetailPage key={id} id={id} />;
}
