import { createFileRoute } from "@tanstack/react-router";
import { CallsPage } from "../../components/voice/CallsPage";

export const Route = createFileRoute("/_app/sales/calls/")({ component: CallsPage });
