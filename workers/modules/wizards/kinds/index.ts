/**
 * The registry of wizard kinds: one line per kind (`kinds/<kind>.ts`, a `WizardDefinition`). The
 * list page shows them in this order within their group.
 */
import type { WizardDefinition } from "../types";
import { analyticsWizard } from "./analytics";
import { apiKeysWizard } from "./api-keys";
import { campaignWizard } from "./campaign";
import { securityWizard } from "./security";
import { storeWizard } from "./store";
import { teamWizard } from "./team";
import { workflowWizard } from "./workflow";
import { dashboardWizard } from "./dashboard";
import { aiAgentWizard } from "./ai-agent";
import { workspacesWizard } from "./workspaces";

export const WIZARDS: WizardDefinition[] = [
  // Settings (wizards-core)
  securityWizard,
  teamWizard,
  apiKeysWizard,
  // Get started / Sell / Grow / Build (wizards-setup): store, campaign, analytics, workflow
  storeWizard,
  campaignWizard,
  analyticsWizard,
  workflowWizard,
  // Build / Settings (wizards-config): dashboard, ai-agent, workspaces
  dashboardWizard,
  aiAgentWizard,
  workspacesWizard,
];

const byKind = new Map(WIZARDS.map((w) => [w.kind, w]));

export const findWizard = (kind: string): WizardDefinition | undefined => byKind.get(kind);
