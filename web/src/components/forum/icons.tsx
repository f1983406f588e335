import { strokeIcon } from "../icons";

/** Icons of the Community pages (navigation and empty states). */
export const CommunityIcon = strokeIcon(
  "M17 8h2a2 2 0 0 1 2 2v6a2 2 0 0 1-2 2h-2v4l-4-4H9a2 2 0 0 1-2-2v-1M15 4H5a2 2 0 0 0-2 2v6a2 2 0 0 0 2 2h2v4l4-4h4a2 2 0 0 0 2-2V6a2 2 0 0 0-2-2z",
);
export const FlagIcon = strokeIcon("M4 22V4M4 4h13l-2 4 2 4H4");
export const TopicIcon = strokeIcon("M4 6h16M4 12h10M4 18h7");
