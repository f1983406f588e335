import { createFileRoute, Link, Outlet, redirect, useLocation } from "@tanstack/react-router";
import { useEffect, useRef } from "react";
import { resolveWorkspace } from "../../lib/workspace";
import { roleHas } from "../../../../workers/platform/rbac";

export const Route = createFileRoute("/_app/forum")({
  beforeLoad: ({ context }) => {
    const ws = resolveWorkspace(context.me);
    if (!ws || !roleHas(ws.role, "forum:read")) throw redirect({ to: "/" });
  },
  component: CommunityLayout,
});

const LINKS = [
  { to: "/forum", label: "Overview", exact: true },
  { to: "/forum/topics", label: "Topics", exact: false },
  { to: "/forum/moderation", label: "Moderation", exact: false },
  { to: "/forum/members", label: "Members", exact: false },
  { to: "/forum/settings", label: "Settings", exact: false },
] as const;

/** The Community pages share one tab strip (each page has its own header). */
function CommunityLayout() {
  const nav = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  // On a phone the tabs scroll sideways: keep the current one in view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the route changes (the active link moves)
  useEffect(() => {
    nav.current?.querySelector('[aria-current="page"]')?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [pathname]);
  return (
    <>
      <nav ref={nav} aria-label="Community" className="mb-6 flex gap-1 overflow-x-auto border-b border-line">
        {LINKS.map((l) => (
          <Link
            key={l.to}
            to={l.to}
            activeOptions={{ exact: l.exact }}
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
