import { createFileRoute } from "@tanstack/react-router";
import { SummaryPage } from "../../../components/ai-safety/SummaryPage";

export const Route = createFileRoute("/_app/ai-safety/")({ component: SummaryPage });
