import { createFileRoute, redirect } from "@tanstack/react-router";
import { SalesboardPage } from "../../components/salesboard/SalesboardPage";
import { resolveWorkspace } from "../../lib/workspace";
import { roleHas } from "../../../../workers/platform/rbac";

export const Route = createFileRoute("/_app/salesboard")({
  beforeLoad: ({ context }) => {
    const ws = resolveWorkspace(context.me);
    if (!ws || !roleHas(ws.role, "sales:read")) throw redirect({ to: "/" });
  },
  component: SalesboardPage,
});
