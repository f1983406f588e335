import { createFileRoute } from "@tanstack/react-router";
import { EvalsPage } from "../../../components/ai-safety/EvalsPage";

export const Route = createFileRoute("/_app/ai-safety/evals")({ component: EvalsPage });
