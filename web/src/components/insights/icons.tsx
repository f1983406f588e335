import { strokeIcon } from "../icons";

/** A light bulb: proactive insights. */
export const InsightIcon = strokeIcon("M9 18h6M10 21h4M12 3a6 6 0 0 0-3.6 10.8c.7.6 1.1 1.3 1.1 2.2h5c0-.9.4-1.6 1.1-2.2A6 6 0 0 0 12 3Z");
