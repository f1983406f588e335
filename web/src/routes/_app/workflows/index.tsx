import { createFileRoute } from "@tanstack/react-router";
import { WorkflowsPage } from "../../../components/workflows/WorkflowsPage";

export const Route = createFileRoute("/_app/workflows/")({ component: WorkflowsPage });
