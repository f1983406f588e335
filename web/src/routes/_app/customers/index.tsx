import { createFileRoute } from "@tanstack/react-router";
import { EndUsersPage } from "../../../components/endusers/EndUsersPage";

export const Route = createFileRoute("/_app/customers/")({ component: EndUsersPage });
