import { createFileRoute } from "@tanstack/react-router";
import { SettingsPage } from "../../../components/analytics/SettingsPage";

export const Route = createFileRoute("/_app/analytics/settings")({ component: SettingsPage });
