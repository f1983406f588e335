import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import { send } from "../messaging";
import { getTenant } from "../../platform/directory";
import { BILLING_PATH, billingContacts } from "./entitlements";

const log = createLogger({ component: "billing" });

/** E-mails a billing notice to the workspace's billing contacts (never throws: a notice must not fail the event). */
export async function notifyBillingContacts(
  env: Env,
  db: Db,
  tenantId: string,
  template: string,
  data: Record<string, unknown>,
  key: string,
) {
  try {
    const tenant = await getTenant(db, tenantId);
    for (const email of await billingContacts(db, tenantId)) {
      await send(db, env.OUTBOX, {
        tenantId,
        to: { email },
        channels: ["email"],
        template,
        data: { workspace: tenant.name, link: `${env.APP_URL.replace(/\/$/, "")}${BILLING_PATH}`, ...data },
        category: "transactional",
        idempotencyKey: `${key}:${email}`,
      });
    }
  } catch (e) {
    log.error("billing_notify_failed", { tenant_id: tenantId, template, error: String(e) });
  }
}

export const money = (cents: number) => `$${(cents / 100).toFixed(2)}`;
export const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
