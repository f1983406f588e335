import { createFileRoute } from "@tanstack/react-router";
import { TemplatesPage } from "../../../components/workflows/TemplatesPage";

export const Route = createFileRoute("/_app/workflows/templates")({ component: TemplatesPage });
