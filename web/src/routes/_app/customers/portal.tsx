import { createFileRoute } from "@tanstack/react-router";
import { PortalSettingsPage } from "../../../components/endusers/PortalSettingsPage";

export const Route = createFileRoute("/_app/customers/portal")({ component: PortalSettingsPage });
