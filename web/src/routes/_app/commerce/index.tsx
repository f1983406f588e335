import { createFileRoute, redirect } from "@tanstack/react-router";

export const Route = createFileRoute("/_app/commerce/")({
  beforeLoad: () => {
    throw redirect({ to: "/commerce/orders", replace: true });
  },
});
