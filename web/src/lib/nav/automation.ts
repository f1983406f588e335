// One group of the navigation registry (lib/navigation.ts).
import type { NavGroup } from "./types";
import { ApprovalIcon, FlowIcon } from "../../components/workflows/icons";

export const AUTOMATION_GROUP: NavGroup = {
  id: "automation",
  label: "Automation",
  entries: [
    {
      id: "workflows",
      label: "Workflows",
      icon: FlowIcon,
      to: "/workflows",
      permission: "workflows:read",
      keywords: ["automation", "builder", "zapier", "n8n", "runs", "triggers"],
      pages: [
        { label: "Workflow templates", to: "/workflows/templates", permission: "workflows:write", keywords: ["start", "new workflow"] },
        { label: "Workflow events", to: "/workflows/events", keywords: ["event catalogue", "triggers"] },
        { label: "Workflow secrets", to: "/workflows/secrets", keywords: ["vault", "api token", "http"] },
      ],
    },
    {
      id: "workflow-approvals",
      label: "Approvals",
      icon: ApprovalIcon,
      to: "/workflows/approvals",
      permission: "workflows:read",
      keywords: ["approve", "reject", "pending", "human in the loop"],
    },
  ],
};
