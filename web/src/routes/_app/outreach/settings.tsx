import { createFileRoute } from "@tanstack/react-router";
import { OutreachSettingsPage } from "../../../components/outreach/OutreachSettingsPage";

export const Route = createFileRoute("/_app/outreach/settings")({ component: OutreachSettingsPage });
