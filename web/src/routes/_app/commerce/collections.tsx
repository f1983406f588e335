import { createFileRoute } from "@tanstack/react-router";
import { CollectionsPage } from "../../../components/commerce/CollectionsPage";

export const Route = createFileRoute("/_app/commerce/collections")({ component: CollectionsPage });
