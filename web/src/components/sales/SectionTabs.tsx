import { Link, Outlet, useLocation } from "@tanstack/react-router";
import { useEffect, useRef } from "react";
import type { AppPath } from "../../lib/navigation";

/** The tab strip shared by a section's pages (sales, outreach, AI safety); each page has its own header. */
export function SectionTabs({ label, links }: { label: string; links: { to: AppPath; label: string }[] }) {
  const nav = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  // On a phone the tabs scroll sideways: keep the current one in view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the route changes (the active link moves)
  useEffect(() => {
    nav.current?.querySelector('[aria-current="page"]')?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [pathname]);
  return (
    <>
      <nav ref={nav} aria-label={label} className="mb-6 flex gap-1 overflow-x-auto border-b border-line">
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
