/**
 * What other modules keep about a workspace's end users, as two small registries the composition
 * root (workers/compose.ts) fills in — like product-events.ts, but a list: a module that stores
 * end-user data (commerce's carts and orders, chat's conversations, the forum's posts…) registers
 * its part, and modules/endusers calls every registered part without importing those modules
 * (they sit above it and use it).
 *
 * - erasers: a GDPR erase ("delete with their data", and an end user deleting their own account)
 *   runs every eraser before the end user's own rows go. Erasers must be idempotent: if one throws,
 *   the account stays, the request fails, and a retry runs them all again.
 * - customer sources: the "existing customers only" sign-up policy asks them whether an email is
 *   a customer (bought something, has an order…). With none registered only end users the
 *   workspace created itself (invited, imported, handed over) count.
 */
import type { Env } from "./env";
import { Problem } from "./errors";
import { createLogger } from "./logger";

const log = createLogger({ component: "end-user-hooks" });

export interface EndUserRef {
  tenantId: string;
  endUserId: string;
  email: string;
}
/** Removes or anonymises the end user's rows in one module; returns how many rows it changed. */
export type EndUserEraser = (env: Env, user: EndUserRef) => Promise<number>;
/** Whether `email` is a customer of the workspace in one module's records. */
export type CustomerSource = (env: Env, tenantId: string, email: string) => Promise<boolean>;

const erasers = new Map<string, EndUserEraser>();
const customerSources = new Map<string, CustomerSource>();

/** Registers (or replaces, for tests and hot reloads) the eraser of `module`. */
export function registerEndUserEraser(module: string, fn: EndUserEraser): void {
  erasers.set(module, fn);
}
export function registerCustomerSource(module: string, fn: CustomerSource): void {
  customerSources.set(module, fn);
}
export function unregisterEndUserHooks(module: string): void {
  erasers.delete(module);
  customerSources.delete(module);
}

/** Runs every registered eraser in turn; rows changed per module. Throws if one fails. */
export async function eraseEndUserEverywhere(env: Env, user: EndUserRef): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [module, fn] of erasers) {
    try {
      out[module] = await fn(env, user);
    } catch (e) {
      log.error("end_user_erase_failed", { module, tenant_id: user.tenantId, end_user_id: user.endUserId, error: String(e) });
      throw new Problem(
        503,
        "erase-incomplete",
        "Erase incomplete",
        `Erasing this person's data in ${module} failed; their account is kept. Try again.`,
        {
          module,
        },
      );
    }
  }
  return out;
}

export async function isKnownCustomer(env: Env, tenantId: string, email: string): Promise<boolean> {
  for (const fn of customerSources.values()) if (await fn(env, tenantId, email)) return true;
  return false;
}
