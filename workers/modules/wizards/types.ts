/**
 * The wizard contract (issue 18, "Wizards"; docs/automation.md § Wizards).
 *
 * A wizard is a guided, resumable set-up that ends in real configured objects. Each kind is one
 * `WizardDefinition` in `kinds/<kind>.ts`, registered in `kinds/index.ts`. The engine
 * (`service.ts`) keeps one run per (workspace, kind) in D1 with the answers so far, so a person
 * can leave and resume on any device; it validates each step's input with the step's zod schema,
 * calls the step's `apply` (side effects that must happen before the next step can be shown,
 * e.g. "create the API key so the snippet can show it"), merges what it returns into the run's
 * state, and at the end calls `complete`, which creates the remaining objects through the owning
 * modules' public entries (`../<module>` index.ts) and returns links to them.
 *
 * Rules for every definition:
 * - `apply` and `complete` are idempotent: a retried request (or a person pressing Next twice)
 *   creates nothing twice — look at the state (ids already stored) before creating.
 * - Objects are created with the acting person's tenant, actor and plan checks exactly as the
 *   HTTP route would (requireFeature / consumeQuota through `ctx.c`), so a wizard never bypasses a
 *   permission or a limit. Problems thrown (badRequest, 402 …) reach the client as problem+json.
 * - A step's `schema` is the whole input of that step; what the client may not set (ids of
 *   created objects) lives only in state written by `apply`.
 */
import type { Context } from "hono";
import type { z } from "zod";
import type { Actor } from "../../platform/audit";
import type { AppEnv } from "../../platform/context";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import type { Permission } from "../../platform/rbac";

export interface WizardContext {
  c: Context<AppEnv>;
  env: Env;
  db: Db;
  tenantId: string;
  /** The signed-in person (wizards are `auth: "tenant"` routes for users, not API keys). */
  userId: string;
  actor: Actor;
  /** The dashboard origin, for links and snippets. */
  origin: string;
}

/** The run's saved answers and created ids, keyed by step id (plus whatever `apply` adds). */
export type WizardState = Record<string, unknown>;

export interface WizardStep<S extends z.ZodTypeAny = z.ZodTypeAny> {
  id: string;
  title: string;
  /** One sentence shown under the title: why this step matters. */
  description: string;
  schema: S;
  /** Side effects of this step (idempotent); the returned object is merged into the state. */
  apply?: (ctx: WizardContext, input: z.infer<S>, state: WizardState) => Promise<WizardState | undefined>;
  /**
   * Live status the client polls while the step is shown (e.g. "first event received"); the
   * step may also declare it must be `ready` before Next is allowed.
   */
  status?: (ctx: WizardContext, state: WizardState) => Promise<{ ready: boolean; detail: Record<string, unknown> }>;
  /** With `status`: the engine refuses Next (409 `wizard-step-not-ready`) until it reports `ready`. */
  requireReady?: boolean;
}

/**
 * A key `apply` may return for something shown once and never stored (a new API key's secret): the
 * engine sends it back in that step's response as `reveal` and leaves it out of the saved state.
 */
export const REVEAL_KEY = "reveal";

export interface WizardObject {
  type: string;
  id: string;
  label: string;
  /** Where the object lives in the dashboard (SPA path). */
  href: string;
}

export interface WizardDefinition {
  kind: string;
  title: string;
  description: string;
  /** Who may run it: the permission the objects it creates need. */
  permission: Permission;
  /** The dashboard area it belongs to, for the wizards list grouping. */
  group: "Get started" | "Sell" | "Grow" | "Build" | "Settings";
  steps: WizardStep[];
  /** Creates the remaining objects; idempotent. Returns what was configured, for the summary. */
  complete: (ctx: WizardContext, state: WizardState) => Promise<WizardObject[]>;
}

/**
 * Types a step's `apply`/`status` against its own schema (`input` is the parsed schema output) and
 * widens it for the `steps` array: `steps: [defineStep({ id, schema, apply: (ctx, input) => … })]`.
 */
export function defineStep<S extends z.ZodTypeAny>(step: WizardStep<S>): WizardStep {
  return step as unknown as WizardStep;
}
