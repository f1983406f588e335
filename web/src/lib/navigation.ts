/**
 * The navigation registry: one typed list of groups and entries that the sidebar, the phone
 * drawer and the command palette all render. A new module adds one entry to its group (a group
 * with no entry the user may see is not shown):
 *
 *   { id: "orders", label: "Orders", icon: CartIcon, to: "/orders", permission: "orders:read",
 *     keywords: ["checkout", "refunds"] }
 *
 * `to` is checked against the route tree, `permission` against workers/platform/rbac.ts.
 */
import type { Permission } from "../../../workers/platform/rbac";
import { HomeIcon } from "../components/icons";
import { LOCAL_STACK } from "./local-stack";
import { AUTOMATION_GROUP } from "./nav/automation";
import { BUILD_GROUP } from "./nav/build";
import { ENGAGE_GROUP } from "./nav/engage";
import { GROW_GROUP } from "./nav/grow";
import { SELL_GROUP } from "./nav/sell";
import { SETTINGS_GROUP } from "./nav/settings";
import type { NavGroup, NavPage } from "./nav/types";

export type { AppPath, NavEntry, NavGroup, NavIcon, NavPage } from "./nav/types";

/** The groups in sidebar order; each group's entries live in lib/nav/<group>.ts. */
export const NAV: NavGroup[] = [
  {
    id: "top",
    entries: [{ id: "home", label: "Home", icon: HomeIcon, to: "/", keywords: ["dashboard", "overview", "checklist", "activity"] }],
  },
  ENGAGE_GROUP,
  SELL_GROUP,
  GROW_GROUP,
  BUILD_GROUP,
  AUTOMATION_GROUP,
  SETTINGS_GROUP,
];

/** The groups and entries the current role may see (empty groups dropped). */
export function visibleNav(can: (p: Permission) => boolean, dev: boolean = LOCAL_STACK, groups: NavGroup[] = NAV): NavGroup[] {
  const ok = (p: NavPage) => !p.permission || can(p.permission);
  return groups
    .map((g) => ({
      ...g,
      entries: g.entries.filter((e) => ok(e) && (!e.devOnly || dev)).map((e) => ({ ...e, pages: e.pages?.filter(ok) })),
    }))
    .filter((g) => g.entries.length > 0);
}

const within = (path: string, to: string) => (to === "/" ? path === "/" : path === to || path.startsWith(`${to}/`));

/** The entry for a path: the one whose own or sub-page path is the longest prefix of it. */
export function activeEntryId(groups: NavGroup[], pathname: string): string | undefined {
  const path = pathname.length > 1 ? pathname.replace(/\/$/, "") : pathname;
  let best: { id: string; len: number } | undefined;
  for (const g of groups) {
    for (const e of g.entries) {
      for (const to of [e.to, ...(e.pages ?? []).map((p) => p.to)]) {
        if (within(path, to) && (!best || to.length > best.len)) best = { id: e.id, len: to.length };
      }
    }
  }
  return best?.id;
}

export const hrefOf = (p: NavPage) => (p.search ? `${p.to}?${new URLSearchParams(p.search)}` : p.to);

/** Every page for the palette: entries, then their sub-pages, with where they live. */
export function navPages(groups: NavGroup[]) {
  return groups.flatMap((g) =>
    g.entries.flatMap((e) => [
      { id: e.id, label: e.label, detail: g.label, icon: e.icon, keywords: e.keywords, href: hrefOf(e) },
      ...(e.pages ?? []).map((p) => ({
        id: `${e.id}:${hrefOf(p)}`,
        label: p.label,
        detail: e.label,
        icon: e.icon,
        keywords: [...(p.keywords ?? []), e.label],
        href: hrefOf(p),
      })),
    ]),
  );
}
