import { createFileRoute, Link, Outlet } from "@tanstack/react-router";
import { PageHeader } from "../../components/ui/Card";
import { useWorkspace } from "../../lib/workspace";

export const Route = createFileRoute("/_app/settings")({ component: SettingsLayout });

function SettingsLayout() {
  const ws = useWorkspace();
  const links = [
    { to: "/settings/profile", label: "Profile" },
    { to: "/settings/security", label: "Security" },
    ...(ws.can("api_keys:read") ? [{ to: "/settings/api-keys", label: "API keys" }] : []),
    ...(ws.can("publishable_keys:read") ? [{ to: "/settings/publishable-keys", label: "Publishable keys" }] : []),
    ...(ws.can("billing:read") ? [{ to: "/settings/billing", label: "Billing" }] : []),
  ];
  return (
    <>
      <PageHeader title="Settings" description="Your account and this workspace's configuration." />
      <nav aria-label="Settings" className="mb-6 flex gap-1 overflow-x-auto border-b border-line">
        {links.map((l) => (
          <Link
            key={l.to}
            to={l.to}
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
