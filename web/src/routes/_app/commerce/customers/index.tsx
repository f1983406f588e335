import { createFileRoute } from "@tanstack/react-router";
import { CustomersPage } from "../../../../components/commerce/CustomersPage";

export const Route = createFileRoute("/_app/commerce/customers/")({ component: CustomersPage });
