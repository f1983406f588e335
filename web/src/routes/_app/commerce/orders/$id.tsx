import { createFileRoute } from "@tanstack/react-router";
import { OrderDetailPage } from "../../../../components/commerce/OrderDetailPage";

export const Route = createFileRoute("/_app/commerce/orders/$id")({ component: OrderRoute });

function OrderRoute() {
  const { id } = Route.useParams();
  return <OrderDetailPage key={id} id={id} />;
}
