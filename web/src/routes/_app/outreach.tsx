import { createFileRoute, redirect } from "@tanstack/react-router";
import { SectionTabs } from "../../components/sales/SectionTabs";
import { resolveWorkspace } from "../../lib/workspace";
import { roleHas } from "../../../../workers/platform/rbac";

export const Route = createFileRoute("/_app/outreach")({
  beforeLoad: ({ context }) => {
    const ws = resolveWorkspace(context.me);
    if (!ws || !roleHas(ws.role, "sales:read")) throw redirect({ to: "/" });
  },
  component: () => (
    <SectionTabs
      label="Outreach"
      links={[
        { to: "/outreach/sequences", label: "Sequences" },
        { to: "/outreach/drafts", label: "Drafts" },
        { to: "/outreach/settings", label: "Mailboxes & writer" },
      ]}
    />
  ),
});
