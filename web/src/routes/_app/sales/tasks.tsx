import { createFileRoute } from "@tanstack/react-router";
import { TasksPage } from "../../../components/sales/TasksPage";

export const Route = createFileRoute("/_app/sales/tasks")({ component: TasksPage });
