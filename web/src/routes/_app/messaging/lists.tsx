import { createFileRoute } from "@tanstack/react-router";
import { ListsPage } from "../../../components/messaging/ListsPage";

export const Route = createFileRoute("/_app/messaging/lists")({ component: ListsPage });
