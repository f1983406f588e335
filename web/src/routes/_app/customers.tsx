import { createFileRoute, Outlet, redirect } from "@tanstack/react-router";
import { roleHas } from "../../../../workers/platform/rbac";
import { resolveWorkspace } from "../../lib/workspace";

/** End users (modules/endusers): the list at /customers, portal settings at /customers/portal. */
export const Route = createFileRoute("/_app/customers")({
  beforeLoad: ({ context }) => {
    const ws = resolveWorkspace(context.me);
    if (!ws || !roleHas(ws.role, "endusers:read")) throw redirect({ to: "/" });
  },
  component: Outlet,
});
