import { createFileRoute } from "@tanstack/react-router";
import { SettingsPage } from "../../../components/forum/SettingsPage";

export const Route = createFileRoute("/_app/forum/settings")({ component: SettingsPage });
