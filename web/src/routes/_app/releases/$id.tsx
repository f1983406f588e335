import { createFileRoute } from "@tanstack/react-router";
import { ReleaseEditor } from "../../../components/releases/ReleaseEditor";

export const Route = createFileRoute("/_app/releases/$id")({ component: EditorRoute });

function EditorRoute() {
  const { id } = Route.useParams();
  // A fresh editor per note, so switching notes never carries a form over.
  return <ReleaseEditor key={id} id={id} />;
}
