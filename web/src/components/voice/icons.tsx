import { strokeIcon } from "../icons";

/** Icons of the Calls pages (navigation, empty states). */
export const PhoneIcon = strokeIcon(
  "M22 16.9v3a2 2 0 0 1-2.2 2 19.8 19.8 0 0 1-8.6-3.1 19.5 19.5 0 0 1-6-6A19.8 19.8 0 0 1 2.1 4.2 2 2 0 0 1 4.1 2h3a2 2 0 0 1 2 1.7c.1.9.4 1.8.7 2.7a2 2 0 0 1-.5 2.1L8 9.8a16 16 0 0 0 6 6l1.3-1.3a2 2 0 0 1 2.1-.4c.9.3 1.8.6 2.7.7a2 2 0 0 1 1.7 2z",
);
export const WaveIcon = strokeIcon("M2 12h2M6 8v8M10 5v14M14 8v8M18 10v4M22 12h-2");
