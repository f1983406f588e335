import { createFileRoute } from "@tanstack/react-router";
import { MembersPage } from "../../../components/forum/MembersPage";

export const Route = createFileRoute("/_app/forum/members")({ component: MembersPage });
