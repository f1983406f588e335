import { createFileRoute } from "@tanstack/react-router";
import { ProductsPage } from "../../../../components/commerce/ProductsPage";

export const Route = createFileRoute("/_app/commerce/products/")({ component: ProductsPage });
