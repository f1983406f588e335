import { createFileRoute } from "@tanstack/react-router";
import { CommerceSettingsPage } from "../../../components/commerce/CommerceSettingsPage";

export const Route = createFileRoute("/_app/commerce/settings")({ component: CommerceSettingsPage });
