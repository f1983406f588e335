import { createFileRoute } from "@tanstack/react-router";
import { GuardrailsPage } from "../../../components/ai-safety/GuardrailsPage";

export const Route = createFileRoute("/_app/ai-safety/guardrails")({ component: GuardrailsPage });
