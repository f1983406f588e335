import type { ComponentType, SVGProps } from "react";
import type { Permission } from "../../../../workers/platform/rbac";
import type { FileRouteTypes } from "../../routeTree.gen";

/** A path of the route tree (a typo is a compile error). */
export type AppPath = FileRouteTypes["to"];
export type NavIcon = ComponentType<SVGProps<SVGSVGElement>>;

export interface NavPage {
  label: string;
  to: AppPath;
  /** Query string, e.g. { tab: "invitations" } (palette only; sidebar links are plain paths). */
  search?: Record<string, string>;
  /** Hidden unless the current role has it. */
  permission?: Permission;
  /** More words the palette matches ("plan" finds Billing). */
  keywords?: string[];
}

export interface NavEntry extends NavPage {
  /** Stable id (React key, tests). */
  id: string;
  icon: NavIcon;
  /** Only in local development (`vite dev`). */
  devOnly?: boolean;
  /**
   * Pages under this entry that the sidebar does not list but the palette finds
   * ("Messaging › Templates"); their paths also make this entry the active one.
   */
  pages?: NavPage[];
}

export interface NavGroup {
  id: string;
  /** Heading (collapsible); none for the top entries. */
  label?: string;
  entries: NavEntry[];
}
