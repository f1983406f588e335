import { createFileRoute } from "@tanstack/react-router";
import { DuplicatesPage } from "../../../components/sales/DuplicatesPage";

export const Route = createFileRoute("/_app/sales/duplicates")({ component: DuplicatesPage });
