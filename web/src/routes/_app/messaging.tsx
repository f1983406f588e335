import { createFileRoute, Link, Outlet, redirect } from "@tanstack/react-router";
import { PageHeader } from "../../components/ui/Card";
import { resolveWorkspace, useWorkspace } from "../../lib/workspace";
import { roleHas } from "../../../../workers/platform/rbac";

export const Route = createFileRoute("/_app/messaging")({
  beforeLoad: ({ context }) => {
    const ws = resolveWorkspace(context.me);
    if (!ws || !roleHas(ws.role, "messages:read")) throw redirect({ to: "/" });
  },
  component: MessagingLayout,
});

function MessagingLayout() {
  const ws = useWorkspace();
  const links = [
    { to: "/messaging", label: "Delivery log", exact: true },
    { to: "/messaging/templates", label: "Templates" },
    ...(ws.can("lists:read") ? [{ to: "/messaging/lists", label: "Email lists" }] : []),
    ...(ws.can("webhooks:read") ? [{ to: "/messaging/webhooks", label: "Webhooks" }] : []),
  ];
  return (
    <>
      <PageHeader title="Messaging" description="Email, SMS, push, in-app messages and webhooks sent from this workspace." />
      <nav aria-label="Messaging" className="mb-6 flex gap-1 overflow-x-auto border-b border-line">
        {links.map((l) => (
          <Link
            key={l.to}
            to={l.to}
            activeOptions={{ exact: !!l.exact }}
            className="-mb-px border-b-2 border-transparent px-3 py-2 text-sm font-medium whitespace-nowrap text-muted hover:text-fg"
            activeProps={{ className: "!border-accent !text-fg", "aria-current": "page" }}
          >
            {l.label}
          </Link>
        ))}
      </nav>
      <Outlet />
    </>
  );
}
