import { createFileRoute } from "@tanstack/react-router";
import { SubscriptionsPage } from "../../../../components/commerce/SubscriptionsPage";

export const Route = createFileRoute("/_app/commerce/subscriptions/")({ component: SubscriptionsPage });
