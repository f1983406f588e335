import { Link, useRouterState } from "@tanstack/react-router";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { useWorkspace } from "../lib/workspace";
import { ActivityIcon, BookIcon, ChatIcon, CloseIcon, HomeIcon, MenuIcon, SendIcon, SettingsIcon, TrayIcon, UsersIcon } from "./icons";
import { Logo } from "./Logo";
import { NotificationBell } from "./notifications/NotificationBell";
import { ThemeMenu } from "./ThemeMenu";
import { cx } from "./ui/cx";
import { UserMenu } from "./UserMenu";
import { WorkspaceSwitcher } from "./WorkspaceSwitcher";

interface NavItem {
  to: string;
  label: string;
  icon: ReactNode;
  exact?: boolean;
}

function useNav(): NavItem[] {
  const ws = useWorkspace();
  const items: NavItem[] = [
    { to: "/", label: "Home", icon: <HomeIcon />, exact: true },
    { to: "/team", label: "Team", icon: <UsersIcon /> },
  ];
  if (ws.can("chat:read")) items.push({ to: "/chat", label: "Inbox", icon: <ChatIcon /> });
  if (ws.can("messages:read")) items.push({ to: "/messaging", label: "Messaging", icon: <SendIcon /> });
  if (ws.can("knowledge:read")) items.push({ to: "/knowledge", label: "Knowledge", icon: <BookIcon /> });
  if (ws.can("audit:read")) items.push({ to: "/audit-log", label: "Audit log", icon: <ActivityIcon /> });
  items.push({ to: "/settings", label: "Settings", icon: <SettingsIcon /> });
  if (import.meta.env.DEV) items.push({ to: "/mailbox", label: "Dev mailbox", icon: <TrayIcon /> });
  return items;
}

function NavLinks({ onNavigate }: { onNavigate?: () => void }) {
  const items = useNav();
  const path = useRouterState({ select: (s) => s.location.pathname });
  return (
    <ul className="space-y-0.5">
      {items.map((it) => {
        const active = it.exact ? path === it.to : path === it.to || path.startsWith(`${it.to}/`);
        return (
          <li key={it.to}>
            <Link
              to={it.to}
              onClick={onNavigate}
              aria-current={active ? "page" : undefined}
              className={cx(
                "flex items-center gap-3 rounded-lg px-3 py-2 text-sm font-medium",
                active ? "bg-accent-soft text-accent" : "text-muted hover:bg-subtle hover:text-fg",
              )}
            >
              {it.icon}
              {it.label}
            </Link>
          </li>
        );
      })}
    </ul>
  );
}

function Sidebar({ onNavigate }: { onNavigate?: () => void }) {
  return (
    <div className="flex h-full flex-col gap-4 p-4">
      <div className="px-1">
        <Logo />
      </div>
      <WorkspaceSwitcher />
      <nav aria-label="Main">
        <NavLinks onNavigate={onNavigate} />
      </nav>
      {import.meta.env.DEV && (
        <div className="mt-auto rounded-lg border border-line bg-subtle/50 p-3 text-xs text-muted">
          Running locally: emails go to the{" "}
          <Link to="/mailbox" className="text-accent underline">
            dev mailbox
          </Link>
          , payments to the simulator.
        </div>
      )}
    </div>
  );
}

/** Sidebar on wide screens, a modal drawer on phones. */
export function AppShell({ children }: { children: ReactNode }) {
  const [drawer, setDrawer] = useState(false);
  const ref = useRef<HTMLDialogElement>(null);
  const path = useRouterState({ select: (s) => s.location.pathname });
  useEffect(() => {
    const d = ref.current;
    if (drawer && d && !d.open) d.showModal();
    if (!drawer && d?.open) d.close();
  }, [drawer]);
  useEffect(() => setDrawer(false), [path]);

  return (
    <div className="min-h-dvh lg:grid lg:grid-cols-[16rem_1fr]">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-4 focus:z-50 focus:rounded-lg focus:bg-surface focus:px-4 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      <aside className="hidden border-r border-line bg-surface lg:block">
        <div className="sticky top-0 h-dvh">
          <Sidebar />
        </div>
      </aside>
      <dialog
        ref={ref}
        aria-label="Navigation"
        onCancel={(e) => (e.preventDefault(), setDrawer(false))}
        onClick={(e) => e.target === ref.current && setDrawer(false)}
        className="m-0 h-dvh max-h-none w-72 max-w-[85vw] border-r border-line bg-surface p-0 text-fg lg:hidden"
      >
        {drawer && (
          <div className="relative h-full">
            <button
              type="button"
              onClick={() => setDrawer(false)}
              aria-label="Close navigation"
              className="absolute right-3 top-4 rounded-lg p-1.5 text-muted hover:bg-subtle"
            >
              <CloseIcon />
            </button>
            <Sidebar onNavigate={() => setDrawer(false)} />
          </div>
        )}
      </dialog>
      <div className="flex min-w-0 flex-col">
        <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b border-line bg-canvas/85 px-4 backdrop-blur sm:px-6">
          <button
            type="button"
            onClick={() => setDrawer(true)}
            aria-label="Open navigation"
            className="-ml-1.5 rounded-lg p-1.5 text-muted hover:bg-subtle lg:hidden"
          >
            <MenuIcon />
          </button>
          <div className="lg:hidden">
            <Logo withName={false} />
          </div>
          <div className="ml-auto flex items-center gap-1">
            <NotificationBell />
            <ThemeMenu />
            <UserMenu />
          </div>
        </header>
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 focus:outline-none sm:px-6 lg:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}
