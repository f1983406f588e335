import { createFileRoute } from "@tanstack/react-router";
import { SecretsPage } from "../../../components/workflows/SecretsPage";

export const Route = createFileRoute("/_app/workflows/secrets")({ component: SecretsPage });
