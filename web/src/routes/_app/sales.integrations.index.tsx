import { createFileRoute } from "@tanstack/react-router";
import { IntegrationsPage } from "../../components/crm-sync/IntegrationsPage";

export const Route = createFileRoute("/_app/sales/integrations/")({ component: IntegrationsPage });
