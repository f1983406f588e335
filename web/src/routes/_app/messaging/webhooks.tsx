import { createFileRoute } from "@tanstack/react-router";
import { WebhooksPage } from "../../../components/messaging/WebhooksPage";

export const Route = createFileRoute("/_app/messaging/webhooks")({ component: WebhooksPage });
