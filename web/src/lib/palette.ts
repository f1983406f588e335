/**
 * The command palette's registry (Ctrl/Cmd-K). Pages come from the navigation registry
 * (lib/navigation.ts); this file lists the two other kinds of result:
 *
 * - RECORD_SEARCH: one provider per kind of record. The palette calls `search(q)` (debounced,
 *   with an AbortSignal) for every provider the role may use once at least `minLength`
 *   characters are typed, and shows up to `limit` results under `heading`. A provider either
 *   asks an endpoint with `q` or filters a cached list with `fuzzyFilter` (lib/fuzzy.ts).
 * - PALETTE_ACTIONS: functions of the palette context that return commands (`run`).
 *
 * A new module adds a provider such as
 *   { id: "orders", heading: "Orders", icon: CartIcon, permission: "orders:read",
 *     search: async (q, { signal }) => (await api("GET /api/v1/orders", { query: { q, limit: 5 }, signal }))
 *       .data.map((o) => ({ id: o.id, label: `Order ${o.number}`, detail: o.email, href: `/orders/${o.id}` })) }
 */
import type { QueryClient } from "@tanstack/react-query";
import type { Permission } from "../../../workers/platform/rbac";
import { openAssistant } from "../components/assistant/store";
import { AssistantIcon } from "../components/assistant/icons";
import { MonitorIcon, MoonIcon, SunIcon } from "../components/icons";
import { LogOutIcon, SidebarIcon, SwitchIcon } from "../components/nav/icons";
import type { Me } from "./api-types";
import { signOut } from "./auth";
import type { NavIcon } from "./navigation";
import { getThemePref, setThemePref } from "./theme";
import { switchWorkspace, type Workspace } from "./workspace";

export interface PaletteItem {
  /** Unique within its group. */
  id: string;
  label: string;
  /** Secondary text (where it lives, an email, a status). */
  detail?: string;
  icon?: NavIcon;
  /** More words to match (pages and actions; records are matched by their provider). */
  keywords?: string[];
  /** Where opening it goes: an app path, optionally with a query string … */
  href?: string;
  /** … or what it does (actions). */
  run?: () => void | Promise<void>;
}

export interface RecordSearchContext {
  tenantId: string;
  signal: AbortSignal;
  /** For providers that fetch a whole (small) list once and filter it: cache it here. */
  queryClient: QueryClient;
}

export interface RecordSearchProvider {
  id: string;
  /** Result group heading. */
  heading: string;
  icon: NavIcon;
  /** Not asked unless the current role has it. */
  permission?: Permission;
  /** Characters needed before it is asked (default 2). */
  minLength?: number;
  search: (q: string, ctx: RecordSearchContext) => Promise<PaletteItem[]>;
}

/** What actions can use: the workspace, the user, navigation and the shell's own state. */
export interface PaletteContext {
  workspace: Workspace;
  me: Me;
  navigate: (href: string) => void;
  shell: {
    /** The sidebar can collapse to a rail (wide screens only). */
    wide: boolean;
    sidebarCollapsed: boolean;
    setSidebarCollapsed: (collapsed: boolean) => void;
    /** Tell the shell the theme preference changed (the theme menu re-reads it). */
    themeChanged: () => void;
  };
}

export type PaletteActionSource = (ctx: PaletteContext) => PaletteItem[];

export { RECORD_LIMIT, RECORD_SEARCH } from "./palette-records";

const THEME_LABEL = { light: "light", dark: "dark", system: "system" } as const;

export const PALETTE_ACTIONS: PaletteActionSource[] = [
  // Switch workspace: one command per other workspace.
  ({ me, workspace, navigate }) =>
    me.memberships
      .filter((m) => m.tenant && m.tenant.id !== workspace.id)
      .map((m) => {
        const t = m.tenant as NonNullable<typeof m.tenant>;
        return {
          id: `workspace:${t.id}`,
          label: `Switch to ${t.name}`,
          detail: `Workspace · ${m.role}`,
          icon: SwitchIcon,
          keywords: ["workspace", "switch", "tenant", t.slug],
          run: () => {
            switchWorkspace(t.id);
            navigate("/");
          },
        };
      }),
  // Theme: the two other choices.
  ({ shell }) =>
    (["light", "dark", "system"] as const)
      .filter((p) => p !== getThemePref())
      .map((p) => ({
        id: `theme:${p}`,
        label: p === "system" ? "Use the system theme" : `Switch to ${THEME_LABEL[p]} theme`,
        detail: "Theme",
        icon: p === "dark" ? MoonIcon : p === "light" ? SunIcon : MonitorIcon,
        keywords: ["theme", "toggle", "appearance", "dark mode", "light mode", "colour"],
        run: () => {
          setThemePref(p);
          shell.themeChanged();
        },
      })),
  ({ shell }) =>
    shell.wide
      ? [
          {
            id: "sidebar",
            label: shell.sidebarCollapsed ? "Expand the sidebar" : "Collapse the sidebar",
            detail: "Layout",
            icon: SidebarIcon,
            keywords: ["sidebar", "navigation", "rail", "toggle"],
            run: () => shell.setSidebarCollapsed(!shell.sidebarCollapsed),
          },
        ]
      : [],
  ({ workspace }) =>
    workspace.can("assistant:use")
      ? [
          {
            id: "assistant",
            label: "Open the assistant",
            detail: "Assistant · Ctrl/Cmd-J",
            icon: AssistantIcon,
            keywords: ["assistant", "ai", "ask", "help", "question", "chat"],
            run: () => openAssistant(),
          },
        ]
      : [],
  ({ navigate }) => [
    {
      id: "sign-out",
      label: "Sign out",
      detail: "Account",
      icon: LogOutIcon,
      keywords: ["log out", "logout", "exit"],
      run: async () => {
        await signOut();
        navigate("/login");
      },
    },
  ],
];
