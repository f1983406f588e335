import { createFileRoute, redirect } from "@tanstack/react-router";
import { SectionTabs } from "../../components/sales/SectionTabs";
import { resolveWorkspace } from "../../lib/workspace";
import { roleHas } from "../../../../workers/platform/rbac";

export const Route = createFileRoute("/_app/ai-safety")({
  beforeLoad: ({ context }) => {
    const ws = resolveWorkspace(context.me);
    if (!ws || !roleHas(ws.role, "ai:read")) throw redirect({ to: "/" });
  },
  component: () => (
    <SectionTabs
      label="AI safety"
      links={[
        { to: "/ai-safety", label: "Summary" },
        { to: "/ai-safety/guardrails", label: "Guardrails" },
        { to: "/ai-safety/holds", label: "Approval queue" },
        { to: "/ai-safety/calls", label: "Call log" },
        { to: "/ai-safety/evals", label: "Evaluations" },
      ]}
    />
  ),
});
