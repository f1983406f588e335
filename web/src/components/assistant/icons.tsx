import { strokeIcon } from "../icons";

export { SparklesIcon as AssistantIcon } from "../nav/icons";
export const MicIcon = strokeIcon("M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5 11a7 7 0 0 0 14 0M12 18v3M8 21h8");
export const HistoryIcon = strokeIcon("M3 12a9 9 0 1 0 3-6.7L3 8M3 3v5h5M12 7v5l3 2");
export const StopIcon = strokeIcon("M7 7h10v10H7z");
export const ToolIcon = strokeIcon("M14.7 6.3a4 4 0 0 0-5.4 5.4L3 18l3 3 6.3-6.3a4 4 0 0 0 5.4-5.4l-2.5 2.5-2.4-.6-.6-2.4z");
export const MoreIcon = strokeIcon("M5 12h.01M12 12h.01M19 12h.01");
export const ArrowUpIcon = strokeIcon("M12 19V5M5 12l7-7 7 7");
