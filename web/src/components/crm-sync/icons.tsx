import { strokeIcon } from "../icons";

/** Icon of the Integrations page (navigation): two linked arrows (sync). */
export const SyncIcon = strokeIcon("M21 12a9 9 0 0 1-15.5 6.2M3 12a9 9 0 0 1 15.5-6.2M18.5 2v4h-4M5.5 22v-4h4");
