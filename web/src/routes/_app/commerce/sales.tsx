import { createFileRoute } from "@tanstack/react-router";
import { SalesPage } from "../../../components/commerce/SalesPage";

export const Route = createFileRoute("/_app/commerce/sales")({ component: SalesPage });
