import { strokeIcon } from "../icons";

/** Icons of the NPS and Feedback pages (and their navigation entries). */
export const GaugeIcon = strokeIcon("M12 14l4-4M3.3 19a10 10 0 1 1 17.4 0M7 19h10");
export const FeedbackIcon = strokeIcon("M21 15a2 2 0 0 1-2 2H7l-4 4V5a2 2 0 0 1 2-2h14a2 2 0 0 1 2 2zM12 7v4M12 14h.01");
