import { createFileRoute } from "@tanstack/react-router";
import { ScoringPage } from "../../../components/sales/ScoringPage";

export const Route = createFileRoute("/_app/sales/scoring")({ component: ScoringPage });
