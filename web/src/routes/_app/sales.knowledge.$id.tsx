import { createFileRoute } from "@tanstack/react-router";
import { DocumentPage } from "../../components/fusion/DocumentPage";

function Page() {
  const { id } = Route.useParams();
  return <DocumentPage key={id} id={id} />;
}

export const Route = createFileRoute("/_app/sales/knowledge/$id")({ component: Page });
