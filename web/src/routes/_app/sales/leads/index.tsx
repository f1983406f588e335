import { createFileRoute } from "@tanstack/react-router";
import { LeadsPage } from "../../../../components/sales/LeadsPage";

export const Route = createFileRoute("/_app/sales/leads/")({ component: LeadsPage });
