import { createFileRoute } from "@tanstack/react-router";
import { BuilderPage } from "../../../../components/workflows/BuilderPage";

export const Route = createFileRoute("/_app/workflows/$id/")({ component: BuilderRoute });

function BuilderRoute() {
  const { id } = Route.useParams();
  return <BuilderPage key={id} id={id} />;
}
