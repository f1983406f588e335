import { createFileRoute } from "@tanstack/react-router";
import { DraftsQueue } from "../../../components/outreach/DraftsQueue";

export const Route = createFileRoute("/_app/outreach/drafts")({ component: DraftsQueue });
