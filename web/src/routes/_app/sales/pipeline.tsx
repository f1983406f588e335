import { createFileRoute } from "@tanstack/react-router";
import { PipelinePage } from "../../../components/sales/PipelinePage";

export const Route = createFileRoute("/_app/sales/pipeline")({ component: PipelinePage });
