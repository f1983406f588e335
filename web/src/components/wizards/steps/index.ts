/**
 * Step bodies of the wizards: `STEP_COMPONENTS[kind][stepId]`. The frame (WizardFrame) owns the
 * title, the step rail and Back/Next/Finish; a step body renders the form of that step and keeps the
 * answers the frame submits on Next in `value` (controlled: call `onChange` with the whole answer,
 * also once with the starting answers). A kind adds `steps/<kind>/` and one line below.
 */
import type { ComponentType } from "react";
import { ANALYTICS_STEPS } from "./analytics/AnalyticsSteps";
import { API_KEY_STEPS } from "./api-keys/ApiKeySteps";
import { CAMPAIGN_STEPS } from "./campaign/CampaignSteps";
import { SECURITY_STEPS } from "./security/SecuritySteps";
import { STORE_STEPS } from "./store/StoreSteps";
import { TEAM_STEPS } from "./team/TeamSteps";
import { DASHBOARD_STEPS } from "./dashboard/DashboardSteps";
import { AI_AGENT_STEPS } from "./ai-agent/AiAgentSteps";
import { WORKSPACES_STEPS } from "./workspaces/WorkspacesSteps";
import { WORKFLOW_STEPS } from "./workflow/WorkflowSteps";

export interface StepProps {
  kind: string;
  stepId: string;
  /** The run's saved state: every step's answers by step id, plus what steps stored (ids of created objects). */
  state: Record<string, unknown>;
  /** This step's answers (what Next submits). */
  value: Record<string, unknown>;
  onChange: (value: Record<string, unknown>) => void;
  /** The last 422's messages by field path ("invites.0.email"). */
  errors: Record<string, string>;
  /** What an earlier step's response showed once (e.g. a new API key's secret); gone after a reload. */
  reveal?: Record<string, unknown>;
}
export type StepComponent = ComponentType<StepProps>;

export const STEP_COMPONENTS: Record<string, Record<string, StepComponent>> = {
  security: SECURITY_STEPS,
  team: TEAM_STEPS,
  "api-keys": API_KEY_STEPS,
  dashboard: DASHBOARD_STEPS,
  "ai-agent": AI_AGENT_STEPS,
  workspaces: WORKSPACES_STEPS,
  store: STORE_STEPS,
  campaign: CAMPAIGN_STEPS,
  analytics: ANALYTICS_STEPS,
  workflow: WORKFLOW_STEPS,
};
