import { createFileRoute } from "@tanstack/react-router";
import { TopicPage } from "../../../../components/forum/TopicPage";

export const Route = createFileRoute("/_app/forum/topics/$id")({ component: RouteComponent });

function RouteComponent() {
  const { id } = Route.useParams();
  return <TopicPage id={id} />;
}
