import { createFileRoute } from "@tanstack/react-router";
import { CustomerDetailPage } from "../../../../components/commerce/CustomerDetailPage";

export const Route = createFileRoute("/_app/commerce/customers/$key")({ component: CustomerRoute });

function CustomerRoute() {
  const { key } = Route.useParams();
  return <CustomerDetailPage key={key} customerKey={key} />;
}
