import { createFileRoute } from "@tanstack/react-router";
import { RetentionPage } from "../../../components/analytics/RetentionPage";

export const Route = createFileRoute("/_app/analytics/retention")({ component: RetentionPage });
