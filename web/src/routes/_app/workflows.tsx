import { createFileRoute, redirect } from "@tanstack/react-router";
import type { Permission } from "../../../../workers/platform/rbac";
import { SectionTabs } from "../../components/sales/SectionTabs";
import { resolveWorkspace } from "../../lib/workspace";
import { roleHas } from "../../../../workers/platform/rbac";

export const Route = createFileRoute("/_app/workflows")({
  beforeLoad: ({ context }) => {
    const ws = resolveWorkspace(context.me);
    if (!ws || !roleHas(ws.role, "workflows:read" as Permission)) throw redirect({ to: "/" });
  },
  component: () => (
    <SectionTabs
      label="Automation"
      links={[
        { to: "/workflows", label: "Workflows" },
        { to: "/workflows/templates", label: "Templates" },
        { to: "/workflows/approvals", label: "Approvals" },
        { to: "/workflows/events", label: "Events" },
        { to: "/workflows/secrets", label: "Secrets" },
      ]}
    />
  ),
});
