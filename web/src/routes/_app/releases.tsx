import { createFileRoute, Outlet, redirect } from "@tanstack/react-router";
import { roleHas } from "../../../../workers/platform/rbac";
import { resolveWorkspace } from "../../lib/workspace";

/** Release notes (modules/releases): the list, and the editor at /releases/<id> (or /releases/new). */
export const Route = createFileRoute("/_app/releases")({
  beforeLoad: ({ context }) => {
    const ws = resolveWorkspace(context.me);
    if (!ws || !roleHas(ws.role, "releases:read")) throw redirect({ to: "/" });
  },
  component: Outlet,
});
