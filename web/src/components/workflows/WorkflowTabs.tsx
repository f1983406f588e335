import { Link, Outlet, useLocation } from "@tanstack/react-router";
import type { AppPath } from "../../lib/navigation";

const TABS: { to: AppPath; label: string }[] = [
  { to: "/workflows", label: "Workflows" },
  { to: "/workflows/templates", label: "Templates" },
  { to: "/workflows/approvals", label: "Approvals" },
  { to: "/workflows/events", label: "Events" },
  { to: "/workflows/secrets", label: "Secrets" },
];

/**
 * The Automation section's tabs. "Workflows" is current on the list, a builder, runs and a run (every
 * /workflows/… path that is not one of the other tabs), so exactly one tab is marked at a time.
 */
export function WorkflowTabs() {
  const { pathname } = useLocation();
  const path = pathname.replace(/\/$/, "");
  const current = TABS.slice(1).find((t) => path === t.to)?.to ?? "/workflows";
  return (
    <>
      <nav aria-label="Automation" className="mb-6 flex gap-1 overflow-x-auto border-b border-line">
        {TABS.map((t) => (
          <Link
            key={t.to}
            to={t.to}
            aria-current={t.to === current ? "page" : undefined}
            className={
              t.to === current
                ? "-mb-px border-b-2 border-accent px-3 py-2 text-sm font-medium whitespace-nowrap text-fg"
                : "-mb-px border-b-2 border-transparent px-3 py-2 text-sm font-medium whitespace-nowrap text-muted hover:text-fg"
            }
          >
            {t.label}
          </Link>
        ))}
      </nav>
      <Outlet />
    </>
  );
}
