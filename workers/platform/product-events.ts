/**
 * Weft's own product events — sign-up, verified email, onboarding, invitations, first paid
 * subscription… — recorded in Weft's own analytics (the house workspace, HOUSE_WORKSPACE_SLUG), so
 * Weft measures itself with the same tracker, funnels and activation milestones its tenants use.
 *
 * Every module may record one (this is platform), but the analytics module that stores them sits
 * above most of them; so this is a hook the composition root fills in (workers/compose.ts), like
 * messaging's. An unfilled hook throws: a missing wiring must not go unnoticed. Recording never fails
 * the caller's request: errors are logged.
 */
import type { Env } from "./env";
import { createLogger } from "./logger";

export interface ProductEvent {
  /** snake_case event name, e.g. "signed_up". */
  name: string;
  /** The Weft user it is about (the person in Weft's analytics); when absent, the workspace's owner. */
  userId?: string | null;
  /** The workspace it happened in (a property, and the way to find the owner). */
  tenantId?: string | null;
  props?: Record<string, unknown>;
  /** Idempotency: the same key records once (default: name + user or workspace — one per person). */
  key?: string;
}

export type ProductEventRecorder = (env: Env, e: ProductEvent) => Promise<void>;

let recorder: ProductEventRecorder | null = null;
const log = createLogger({ component: "product-events" });

export function configureProductEvents(fn: ProductEventRecorder): void {
  recorder = fn;
}

/** Records a product event in Weft's own analytics; never throws (logs instead). */
export async function recordProductEvent(env: Env, e: ProductEvent): Promise<void> {
  if (!recorder) throw new Error("product events are not configured: composeModules() must run first");
  try {
    await recorder(env, e);
  } catch (err) {
    log.warn("product_event_failed", { name: e.name, tenant_id: e.tenantId ?? undefined, error: String(err) });
  }
}
