import { createFileRoute } from "@tanstack/react-router";
import { HoldsPage } from "../../../components/ai-safety/HoldsPage";

export const Route = createFileRoute("/_app/ai-safety/holds")({ component: HoldsPage });
