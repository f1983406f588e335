import { env } from "cloudflare:workers";
import { eq } from "drizzle-orm";
import { expect } from "vitest";
import { outboxMessages } from "../../../../schema/messaging";
import { getDb } from "../../../platform/db";
import { callJson, type TestUser } from "../../../../test/helpers";

/** Helpers shared by the messaging send tests and the providers' callback tests. */
const db = () => getDb(env.DB);
const FINAL = ["sent", "delivered", "failed", "bounced", "suppressed", "cancelled"];

export async function waitForStatus(id: string, statuses = FINAL, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await db().select().from(outboxMessages).where(eq(outboxMessages.id, id)).get();
    if (row && statuses.includes(row.status)) return row;
    if (Date.now() > deadline) throw new Error(`message ${id} is ${row?.status}, wanted ${statuses.join("/")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
export const asOwner = (u: TestUser, path: string, body?: unknown, method?: string) =>
  callJson(path, { token: u.accessToken, tenant: u.tenantId, body, method, ip: u.ip });

/** Adds a provider account as the workspace owner; its webhook_url is where the provider's callbacks go. */
export async function addProvider(u: TestUser, body: Record<string, unknown>) {
  const r = await asOwner(u, "/api/v1/messaging/providers", body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body as { id: string; webhook_url: string };
}
