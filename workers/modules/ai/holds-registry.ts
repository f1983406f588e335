import type { Env } from "../../platform/env";

/**
 * What happens when a person decides on a held AI output: each kind of held thing (`ref_type`) has
 * a handler in the module that owns it (outreach's drafts: "sales_draft"), plugged in by
 * workers/compose.ts so that ai never imports the modules above it.
 */
export type HoldHandler = (env: Env, tenantId: string, refId: string, decision: "approved" | "rejected", by: string) => Promise<void>;
const handlers = new Map<string, HoldHandler>();

export function registerHoldHandler(refType: string, fn: HoldHandler): void {
  handlers.set(refType, fn);
}
export function holdHandlerFor(refType: string): HoldHandler | undefined {
  return handlers.get(refType);
}
