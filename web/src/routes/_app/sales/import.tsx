import { createFileRoute } from "@tanstack/react-router";
import { ImportWizard } from "../../../components/sales/ImportWizard";

export const Route = createFileRoute("/_app/sales/import")({ component: ImportWizard });
