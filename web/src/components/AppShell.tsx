import { useRouterState } from "@tanstack/react-router";
import { useEffect, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { CloseIcon, MenuIcon } from "./icons";
import { Logo } from "./Logo";
import { CommandPalette, PaletteButton, usePaletteShortcut } from "./nav/CommandPalette";
import { Sidebar, useSidebarCollapsed } from "./nav/Sidebar";
import { NotificationBell } from "./notifications/NotificationBell";
import { WhatsNew } from "./releases/WhatsNew";
import { ThemeMenu } from "./ThemeMenu";
import { cx } from "./ui/cx";
import { UserMenu } from "./UserMenu";
import { UsageLimitBanner } from "./billing/UsageLimitBanner";
import { HouseAnalytics } from "./HouseAnalytics";
import { ASSISTANT_DOCK_CLASS, AssistantButton, AssistantPanel } from "./assistant/AssistantPanel";
import { useAssistantOpen } from "./assistant/store";

const WIDE = "(min-width: 1024px)"; // Tailwind's lg: the sidebar shows from here, the drawer below
const subscribeWide = (f: () => void) => {
  const m = window.matchMedia(WIDE);
  m.addEventListener("change", f);
  return () => m.removeEventListener("change", f);
};
const useWide = () => useSyncExternalStore(subscribeWide, () => window.matchMedia(WIDE).matches);

/**
 * The signed-in layout: a grouped sidebar on wide screens (collapsible to an icon rail, remembered),
 * a modal drawer on phones, the top bar with the command palette (Ctrl/Cmd-K) and the page.
 */
export function AppShell({ children }: { children: ReactNode }) {
  const [drawer, setDrawer] = useState(false);
  const [palette, setPalette] = useState(false);
  const [collapsed, setCollapsed] = useSidebarCollapsed();
  const [themeVersion, setThemeVersion] = useState(0);
  const wide = useWide();
  const ref = useRef<HTMLDialogElement>(null);
  const menuButton = useRef<HTMLButtonElement>(null);
  const path = useRouterState({ select: (s) => s.location.pathname });
  const assistantOpen = useAssistantOpen();
  usePaletteShortcut(() => setPalette((o) => !o));

  useEffect(() => {
    const d = ref.current;
    if (drawer && d && !d.open) d.showModal();
    if (!drawer && d?.open) {
      d.close();
      menuButton.current?.focus();
    }
  }, [drawer]);
  // Any navigation (a link in the drawer, the palette, back/forward) closes the drawer.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every change of path
  useEffect(() => setDrawer(false), [path]);
  // The drawer is for narrow screens; widening the window while it is open closes it.
  useEffect(() => {
    if (wide) setDrawer(false);
  }, [wide]);

  const rail = collapsed && wide;
  return (
    <div
      className={cx(
        "min-h-dvh lg:grid lg:transition-[grid-template-columns] lg:duration-200",
        rail ? "lg:grid-cols-[4.5rem_1fr]" : "lg:grid-cols-[16rem_1fr]",
        assistantOpen && ASSISTANT_DOCK_CLASS,
      )}
    >
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:fixed focus:left-4 focus:top-4 focus:z-50 focus:rounded-lg focus:bg-surface focus:px-4 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      <aside aria-label="Sidebar" className="hidden border-r border-line bg-surface lg:block" data-collapsed={rail || undefined}>
        <div className="sticky top-0 h-dvh">
          <Sidebar mode={rail ? "rail" : "full"} onToggleRail={() => setCollapsed(!collapsed)} />
        </div>
      </aside>
      {/* biome-ignore lint/a11y/useKeyWithClickEvents: the click is on the backdrop; Escape (the cancel event) is its keyboard equivalent */}
      <dialog
        ref={ref}
        aria-label="Navigation"
        onCancel={(e) => {
          e.preventDefault();
          setDrawer(false);
        }}
        onClick={(e) => e.target === ref.current && setDrawer(false)}
        className="m-0 h-dvh max-h-none w-72 max-w-[85vw] border-r border-line bg-surface p-0 text-fg lg:hidden"
      >
        {drawer && (
          <div className="relative h-full">
            <button
              type="button"
              onClick={() => setDrawer(false)}
              aria-label="Close navigation"
              className="absolute top-3 right-3 z-10 rounded-lg p-2 text-muted hover:bg-subtle hover:text-fg"
            >
              <CloseIcon />
            </button>
            <Sidebar mode="drawer" onNavigate={() => setDrawer(false)} />
          </div>
        )}
      </dialog>
      <div className="flex min-w-0 flex-col">
        <header className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b border-line bg-canvas/85 px-4 backdrop-blur sm:px-6">
          <button
            ref={menuButton}
            type="button"
            onClick={() => setDrawer(true)}
            aria-label="Open navigation"
            aria-haspopup="dialog"
            aria-expanded={drawer}
            className="-ml-1.5 rounded-lg p-1.5 text-muted hover:bg-subtle hover:text-fg lg:hidden"
          >
            <MenuIcon />
          </button>
          <div className="lg:hidden">
            <Logo withName={false} />
          </div>
          <div className="ml-auto flex items-center gap-1 sm:ml-0">
            <PaletteButton onOpen={() => setPalette(true)} />
          </div>
          <div className="flex items-center gap-1 sm:ml-auto">
            <AssistantButton />
            <WhatsNew />
            <NotificationBell />
            <ThemeMenu key={themeVersion} />
            <UserMenu />
          </div>
        </header>
        <main id="main" tabIndex={-1} className="mx-auto w-full max-w-6xl flex-1 px-4 py-6 focus:outline-none sm:px-6 lg:py-8">
          <UsageLimitBanner />
          <HouseAnalytics />
          {children}
        </main>
      </div>
      <AssistantPanel />
      <CommandPalette
        open={palette}
        onClose={() => setPalette(false)}
        shell={{
          wide,
          sidebarCollapsed: collapsed,
          setSidebarCollapsed: setCollapsed,
          themeChanged: () => setThemeVersion((v) => v + 1),
        }}
      />
    </div>
  );
}
