import { createFileRoute, redirect } from "@tanstack/react-router";
import { SectionTabs } from "../../components/sales/SectionTabs";
import { resolveWorkspace } from "../../lib/workspace";
import { roleHas } from "../../../../workers/platform/rbac";

export const Route = createFileRoute("/_app/sales")({
  beforeLoad: ({ context }) => {
    const ws = resolveWorkspace(context.me);
    if (!ws || !roleHas(ws.role, "sales:read")) throw redirect({ to: "/" });
  },
  component: () => (
    <SectionTabs
      label="Sales"
      links={[
        { to: "/sales/leads", label: "Leads" },
        { to: "/sales/pipeline", label: "Pipeline" },
        { to: "/sales/tasks", label: "Tasks" },
        { to: "/sales/duplicates", label: "Duplicates" },
        { to: "/sales/import", label: "Import" },
        { to: "/sales/scoring", label: "ICP & scoring" },
      ]}
    />
  ),
});
