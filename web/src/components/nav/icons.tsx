import { strokeIcon } from "../icons";

/** Icons used by the navigation and the command palette (same stroke style as ../icons.tsx). */
export const SearchIcon = strokeIcon("M11 18a7 7 0 1 0 0-14 7 7 0 0 0 0 14zM21 21l-5-5");
export const SidebarIcon = strokeIcon("M4 4h16a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1zM9 4v16");
export const ChevronLeftIcon = strokeIcon("M15 6l-6 6 6 6");
export const ChevronRightIcon = strokeIcon("M9 6l6 6-6 6");
export const SparklesIcon = strokeIcon(
  "M12 3l1.8 5.2L19 10l-5.2 1.8L12 17l-1.8-5.2L5 10l5.2-1.8zM19 15l.8 2.2L22 18l-2.2.8L19 21l-.8-2.2L16 18l2.2-.8z",
);
export const WebhookIcon = strokeIcon(
  "M18 16.98h-5.99c-1.1 0-1.95.94-2.48 1.9A4 4 0 0 1 2 17c.01-.7.2-1.4.57-2M6 17l3.13-5.78c.53-.97.1-2.18-.5-3.1a4 4 0 1 1 6.89-4.06M12 6l3.13 5.73C15.66 12.7 16.9 13 18 13a4 4 0 0 1 0 8",
);
export const CardIcon = strokeIcon("M3 6a1 1 0 0 1 1-1h16a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1zM3 10h18M7 15h3");
export const WidgetIcon = strokeIcon("M4 4h16v12H8l-4 4zM8 9h8M8 12h5");
export const UserIcon = strokeIcon("M20 21v-1a5 5 0 0 0-5-5H9a5 5 0 0 0-5 5v1M12 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8z");
export const LogOutIcon = strokeIcon("M9 21H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h4M16 17l5-5-5-5M21 12H9");
export const SwitchIcon = strokeIcon("M7 4L3 8l4 4M3 8h14M17 20l4-4-4-4M21 16H7");
export const ArrowRightIcon = strokeIcon("M5 12h14M13 6l6 6-6 6");
