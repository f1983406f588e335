import { Link, useRouterState } from "@tanstack/react-router";
import { useId, useState, useSyncExternalStore, type FocusEvent, type MouseEvent } from "react";
import { activeEntryId, visibleNav, type NavEntry, type NavGroup } from "../../lib/navigation";
import { useWorkspace } from "../../lib/workspace";
import { ChevronDownIcon } from "../icons";
import { Logo } from "../Logo";
import { cx } from "../ui/cx";
import { WorkspaceSwitcher } from "../WorkspaceSwitcher";
import { ChevronLeftIcon, ChevronRightIcon } from "./icons";
import { LOCAL_STACK } from "../../lib/local-stack";

/* ---- Remembered layout state (localStorage, shared by every tab) ---- */

const COLLAPSED_KEY = "weft.sidebar";
const GROUPS_KEY = "weft.nav.closed";
const subs = new Set<() => void>();
const subscribe = (f: () => void) => {
  subs.add(f);
  const onStorage = (e: StorageEvent) => (e.key === COLLAPSED_KEY || e.key === GROUPS_KEY) && f();
  window.addEventListener("storage", onStorage);
  return () => {
    subs.delete(f);
    window.removeEventListener("storage", onStorage);
  };
};
const notify = () => {
  for (const f of subs) f();
};
const read = (key: string) => {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
};
const write = (key: string, value: string | null) => {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* private mode: the choice lasts until reload */
  }
  notify();
};

/** Whether the wide-screen sidebar is collapsed to an icon rail (remembered in localStorage). */
export function useSidebarCollapsed(): [boolean, (collapsed: boolean) => void] {
  const collapsed = useSyncExternalStore(subscribe, () => read(COLLAPSED_KEY) === "collapsed");
  return [collapsed, (c: boolean) => write(COLLAPSED_KEY, c ? "collapsed" : null)];
}

/** Ids of the groups the user closed. */
function useClosedGroups(): [string, (id: string) => void] {
  const raw = useSyncExternalStore(subscribe, () => read(GROUPS_KEY) ?? "");
  const toggle = (id: string) => {
    const set = new Set(raw.split(",").filter(Boolean));
    if (set.has(id)) set.delete(id);
    else set.add(id);
    write(GROUPS_KEY, set.size ? [...set].join(",") : null);
  };
  return [raw, toggle];
}

/* ---- The sidebar ---- */

type Mode = "full" | "rail" | "drawer";
type Tip = { label: string; top: number; left: number } | null;

/**
 * The navigation from lib/navigation.ts. `full`: the wide-screen sidebar with collapsible groups;
 * `rail`: icons only, names in tooltips and as accessible names; `drawer`: the phone drawer.
 */
export function Sidebar({ mode, onNavigate, onToggleRail }: { mode: Mode; onNavigate?: () => void; onToggleRail?: () => void }) {
  const ws = useWorkspace();
  const path = useRouterState({ select: (s) => s.location.pathname });
  const groups = visibleNav(ws.can);
  const active = activeEntryId(groups, path);
  const rail = mode === "rail";
  const [tip, setTip] = useState<Tip>(null);
  // The rail's tooltips are fixed-position, so the scrolling nav never clips them.
  const showTip = (label: string) => (e: MouseEvent<HTMLElement> | FocusEvent<HTMLElement>) => {
    if (!rail) return;
    const r = e.currentTarget.getBoundingClientRect();
    setTip({ label, top: r.top + r.height / 2, left: r.right + 10 });
  };
  const tipProps = (label: string) =>
    rail ? { onMouseEnter: showTip(label), onFocus: showTip(label), onMouseLeave: () => setTip(null), onBlur: () => setTip(null) } : {};

  return (
    <div className={cx("flex h-full flex-col", rail ? "items-stretch" : "")}>
      <div className={cx("flex h-14 shrink-0 items-center", rail ? "justify-center" : "px-5")}>
        <Link to="/" aria-label="Weft home" className="rounded-lg" onClick={onNavigate}>
          <Logo withName={!rail} />
        </Link>
      </div>
      <div className={cx("shrink-0", rail ? "px-3" : "px-4")} {...tipProps(`${ws.name} · switch workspace`)}>
        <WorkspaceSwitcher compact={rail} />
      </div>
      <div className="flex min-h-0 flex-1 flex-col overflow-y-auto">
        <nav aria-label="Main" className={cx("pb-4", rail ? "px-3 pt-2" : "px-3 pt-1")}>
          {groups.map((g) => (
            <Group key={g.id} group={g} mode={mode} active={active} onNavigate={onNavigate} tipProps={tipProps} />
          ))}
        </nav>
        {LOCAL_STACK && !rail && (
          <div className="mx-4 mt-auto mb-3 rounded-lg border border-line bg-subtle/50 p-3 text-xs text-muted">
            Running locally: emails go to the{" "}
            <Link to="/mailbox" className="text-accent underline" onClick={onNavigate}>
              dev mailbox
            </Link>
            , payments to the simulator.
          </div>
        )}
      </div>
      {onToggleRail && (
        <div className={cx("shrink-0 border-t border-line py-2", rail ? "px-3" : "px-3")}>
          <button
            type="button"
            onClick={() => {
              setTip(null);
              onToggleRail();
            }}
            aria-label={rail ? "Expand sidebar" : "Collapse sidebar"}
            title={rail ? undefined : "Collapse sidebar"}
            {...tipProps("Expand sidebar")}
            className={cx(
              "flex items-center gap-3 rounded-lg text-sm text-muted hover:bg-subtle hover:text-fg",
              rail ? "mx-auto size-10 justify-center" : "w-full px-3 py-2",
            )}
          >
            {rail ? <ChevronRightIcon /> : <ChevronLeftIcon />}
            {!rail && <span>Collapse</span>}
          </button>
        </div>
      )}
      {rail && tip && (
        <div
          aria-hidden="true"
          className="pointer-events-none fixed z-50 -translate-y-1/2 rounded-md bg-fg px-2 py-1 text-xs font-medium whitespace-nowrap text-canvas shadow-lg"
          style={{ top: tip.top, left: tip.left }}
        >
          {tip.label}
        </div>
      )}
    </div>
  );
}

type TipProps = (label: string) => Record<string, unknown>;

function Group({
  group,
  mode,
  active,
  onNavigate,
  tipProps,
}: {
  group: NavGroup;
  mode: Mode;
  active: string | undefined;
  onNavigate?: () => void;
  tipProps: TipProps;
}) {
  const [closedRaw, toggle] = useClosedGroups();
  const listId = useId();
  const rail = mode === "rail";
  const closed = !rail && !!group.label && closedRaw.split(",").includes(group.id);
  const hasActive = group.entries.some((e) => e.id === active);
  return (
    <div className={group.label ? (rail ? "mt-2 border-t border-line pt-2" : "mt-3") : undefined}>
      {group.label && rail && <h2 className="sr-only">{group.label}</h2>}
      {group.label && !rail && (
        <h2>
          <button
            type="button"
            aria-expanded={!closed}
            aria-controls={listId}
            onClick={() => toggle(group.id)}
            className="group flex w-full items-center gap-1 rounded-md px-3 py-1 text-left text-xs font-semibold tracking-wide text-muted uppercase hover:text-fg"
          >
            <span className="flex-1">{group.label}</span>
            {closed && hasActive && <span className="size-1.5 rounded-full bg-accent" aria-hidden="true" />}
            <ChevronDownIcon className={cx("size-3.5 opacity-60 group-hover:opacity-100", closed && "-rotate-90")} />
          </button>
        </h2>
      )}
      <ul id={listId} hidden={closed} className={cx("space-y-0.5", group.label && !rail && "mt-1")}>
        {group.entries.map((e) => (
          <li key={e.id}>
            <Item entry={e} rail={rail} active={e.id === active} onNavigate={onNavigate} tipProps={tipProps} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function Item({
  entry,
  rail,
  active,
  onNavigate,
  tipProps,
}: {
  entry: NavEntry;
  rail: boolean;
  active: boolean;
  onNavigate?: () => void;
  tipProps: TipProps;
}) {
  const Icon = entry.icon;
  return (
    <Link
      to={entry.to}
      // Active is decided by lib/navigation (the most specific entry); the router's own
      // prefix matching would also mark "Messaging" on /messaging/webhooks.
      activeOptions={{ exact: true, includeSearch: false }}
      aria-current={active ? "page" : undefined}
      onClick={onNavigate}
      {...tipProps(entry.label)}
      className={cx(
        "flex items-center rounded-lg text-sm font-medium",
        rail ? "mx-auto size-10 justify-center" : "gap-3 px-3 py-2",
        active ? "bg-accent-soft text-accent" : "text-muted hover:bg-subtle hover:text-fg",
      )}
    >
      <Icon className="size-5 shrink-0" />
      <span className={rail ? "sr-only" : "truncate"}>{entry.label}</span>
    </Link>
  );
}
