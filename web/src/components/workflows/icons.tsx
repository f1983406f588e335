import { strokeIcon } from "../icons";

/** Workflows: three nodes and their connections. */
export const FlowIcon = strokeIcon("M4 5h5v5H4zM15 14h5v5h-5zM15 3h5v5h-5zM9 7.5h3a2 2 0 0 1 2 2v7h1M12 5.5h3");
/** Approvals: a check in a shield. */
export const ApprovalIcon = strokeIcon("M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6l8-3zM8.5 12l2.5 2.5 4.5-5");
