import { createFileRoute, Link, Outlet, redirect, useLocation } from "@tanstack/react-router";
import { useEffect, useRef } from "react";
import { resolveWorkspace } from "../../lib/workspace";
import { roleHas } from "../../../../workers/platform/rbac";

export const Route = createFileRoute("/_app/commerce")({
  beforeLoad: ({ context }) => {
    const ws = resolveWorkspace(context.me);
    if (!ws || !roleHas(ws.role, "commerce:read")) throw redirect({ to: "/" });
  },
  component: CommerceLayout,
});

const LINKS = [
  { to: "/commerce/orders", label: "Orders" },
  { to: "/commerce/subscriptions", label: "Subscriptions" },
  { to: "/commerce/products", label: "Products" },
  { to: "/commerce/collections", label: "Collections" },
  { to: "/commerce/customers", label: "Customers" },
  { to: "/commerce/coupons", label: "Coupons" },
  { to: "/commerce/sales", label: "Sales" },
  { to: "/commerce/settings", label: "Settings" },
] as const;

/** The "Sell" pages share one tab strip (each page has its own header). */
function CommerceLayout() {
  const nav = useRef<HTMLElement>(null);
  const { pathname } = useLocation();
  // On a phone the tabs scroll sideways: keep the current one in view.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the route changes (the active link moves)
  useEffect(() => {
    nav.current?.querySelector('[aria-current="page"]')?.scrollIntoView({ block: "nearest", inline: "nearest" });
  }, [pathname]);
  return (
    <>
      <nav ref={nav} aria-label="Commerce" className="mb-6 flex gap-1 overflow-x-auto border-b border-line">
        {LINKS.map((l) => (
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
