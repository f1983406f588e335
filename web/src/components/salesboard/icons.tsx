import { strokeIcon } from "../icons";

/** The salesboard's icon (navigation): a bar chart with a trend line. */
export const BoardIcon = strokeIcon("M3 3v18h18M7 16v-4M12 16V8M17 16v-6M6 9l5-4 5 3 5-4");
