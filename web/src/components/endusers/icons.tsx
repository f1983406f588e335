import { strokeIcon } from "../icons";

/** End users (a workspace's customers with portal accounts) in the navigation and empty states. */
export const PortalUserIcon = strokeIcon("M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM17 11l2 2 4-4");
