import { createFileRoute } from "@tanstack/react-router";
import { DocumentsPage } from "../../components/fusion/DocumentsPage";

export const Route = createFileRoute("/_app/sales/knowledge/")({ component: DocumentsPage });
