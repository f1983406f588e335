import { strokeIcon } from "../icons";

/** Icons of the Sales AI pages (navigation and empty states). */
export const LeadIcon = strokeIcon("M16 21v-2a4 4 0 0 0-4-4H6a4 4 0 0 0-4 4v2M9 11a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM19 8v6M22 11h-6");
export const PipelineIcon = strokeIcon("M4 4h4v16H4zM10 4h4v10h-4zM16 4h4v6h-4z");
export const TaskIcon = strokeIcon("M9 11l3 3 8-8M20 12v7a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2h11");
export const UploadIcon = strokeIcon("M21 15v4a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2v-4M17 8l-5-5-5 5M12 3v12");
export const TargetIcon = strokeIcon(
  "M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20zM12 18a6 6 0 1 0 0-12 6 6 0 0 0 0 12zM12 14a2 2 0 1 0 0-4 2 2 0 0 0 0 4z",
);
