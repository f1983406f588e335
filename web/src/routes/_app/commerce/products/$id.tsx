import { createFileRoute } from "@tanstack/react-router";
import { ProductEditor } from "../../../../components/commerce/ProductEditor";

export const Route = createFileRoute("/_app/commerce/products/$id")({ component: EditorRoute });

function EditorRoute() {
  const { id } = Route.useParams();
  // "new" creates; a fresh editor per product so switching never carries a form over.
  return <ProductEditor key={id} id={id === "new" ? null : id} />;
}
