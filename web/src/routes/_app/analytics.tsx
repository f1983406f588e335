import { createFileRoute, Link, Outlet, redirect, useLocation } from "@tanstack/react-router";
import { useEffect, useRef } from "react";
import { parseDays, type RangeDays } from "../../components/analytics/client";
import { PageHeader } from "../../components/ui/Card";
import { resolveWorkspace } from "../../lib/workspace";
import { roleHas } from "../../../../workers/platform/rbac";

export const Route = createFileRoute("/_app/analytics")({
  validateSearch: (s: Record<string, unknown>): { days?: RangeDays } => {
    const days = parseDays(s.days);
    return days ? { days } : {};
  },
  beforeLoad: ({ context }) => {
    const ws = resolveWorkspace(context.me);
    if (!ws || !roleHas(ws.role, "analytics:read")) throw redirect({ to: "/" });
  },
  component: AnalyticsLayout,
});

const LINKS = [
  { to: "/analytics", label: "Overview", exact: true },
  { to: "/analytics/dashboards", label: "Dashboards" },
  { to: "/analytics/trends", label: "Trends" },
  { to: "/analytics/funnels", label: "Funnels" },
  { to: "/analytics/retention", label: "Retention" },
  { to: "/analytics/growth", label: "Growth" },
  { to: "/analytics/events", label: "Events" },
  { to: "/analytics/destinations", label: "Destinations" },
  { to: "/analytics/settings", label: "Settings" },
] as const;

function AnalyticsLayout() {
  const nav = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  // On a phone the tabs scroll sideways: keep the current one in view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the route changes (the active link moves)
  useEffect(() => {
    nav.current?.querySelector('[aria-current="page"]')?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [pathname]);
  return (
    <>
      <PageHeader title="Analytics" description="Page views, events, funnels and retention from your site and servers." />
      <nav ref={nav} aria-label="Analytics" className="mb-6 flex gap-1 overflow-x-auto border-b border-line">
        {LINKS.map((l) => (
          <Link
            key={l.to}
            to={l.to}
            search={(prev: { days?: RangeDays }) => ({ days: prev.days })}
            activeOptions={{ exact: "exact" in l, includeSearch: false }}
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
