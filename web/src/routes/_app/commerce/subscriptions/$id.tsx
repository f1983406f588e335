import { createFileRoute } from "@tanstack/react-router";
import { SubscriptionDetailPage } from "../../../../components/commerce/SubscriptionDetailPage";

export const Route = createFileRoute("/_app/commerce/subscriptions/$id")({ component: SubscriptionRoute });

function SubscriptionRoute() {
  const { id } = Route.useParams();
  return <SubscriptionDetailPage key={id} id={id} />;
}
