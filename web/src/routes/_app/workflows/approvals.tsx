import { createFileRoute } from "@tanstack/react-router";
import { ApprovalsPage } from "../../../components/workflows/ApprovalsPage";

export const Route = createFileRoute("/_app/workflows/approvals")({ component: ApprovalsPage });
