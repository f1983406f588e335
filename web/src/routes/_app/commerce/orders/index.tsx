import { createFileRoute } from "@tanstack/react-router";
import { OrdersPage } from "../../../../components/commerce/OrdersPage";

export const Route = createFileRoute("/_app/commerce/orders/")({ component: OrdersPage });
