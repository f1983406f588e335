import { createFileRoute } from "@tanstack/react-router";
import { ModerationPage } from "../../../components/forum/ModerationPage";

export const Route = createFileRoute("/_app/forum/moderation")({ component: ModerationPage });
