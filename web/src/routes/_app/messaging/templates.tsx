import { createFileRoute } from "@tanstack/react-router";
import { TemplatesPage } from "../../../components/messaging/TemplatesPage";

export const Route = createFileRoute("/_app/messaging/templates")({ component: TemplatesPage });
