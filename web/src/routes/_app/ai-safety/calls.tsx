import { createFileRoute } from "@tanstack/react-router";
import { CallLogPage } from "../../../components/ai-safety/CallLogPage";

export const Route = createFileRoute("/_app/ai-safety/calls")({ component: CallLogPage });
