import { createFileRoute, redirect } from "@tanstack/react-router";
import { roleHas } from "../../../../workers/platform/rbac";
import { WorkflowTabs } from "../../components/workflows/WorkflowTabs";
import { resolveWorkspace } from "../../lib/workspace";

export const Route = createFileRoute("/_app/workflows")({
  beforeLoad: ({ context }) => {
    const ws = resolveWorkspace(context.me);
    if (!ws || !roleHas(ws.role, "workflows:read")) throw redirect({ to: "/" });
  },
  component: WorkflowTabs,
});
