import { createFileRoute } from "@tanstack/react-router";
import { SequencesPage } from "../../../../components/outreach/SequencesPage";

export const Route = createFileRoute("/_app/outreach/sequences/")({ component: SequencesPage });
