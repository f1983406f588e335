import { and, eq, sql } from "drizzle-orm";
import { webhookEndpoints } from "../../../schema/webhooks";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import { getTenant, listMembers } from "../../platform/directory";
import {
  type DeliveryContext,
  messagingConfig,
  outboundFetch,
  type OutboxRow,
  type Outcome,
  recordAttempt,
  send,
  type WebhookChannel,
} from "../messaging";
import { WEBHOOK_DISABLE_AFTER_FAILED_DELIVERIES, WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_SCHEDULE_SECONDS } from "./catalogue";
import { signatureHeaders } from "../../platform/standard-webhooks";
import { signingSecrets } from "./endpoints.service";
import { eventPayload } from "./publish";

const log = createLogger({ component: "webhooks" });
const TIMEOUT_MS = 15_000;
const excerpt = (s: string) => (s.length > 2000 ? `${s.slice(0, 2000)}…` : s);

/** One signed POST of a stored event to an endpoint (the outbox's webhook channel). */
export async function deliverWebhook(ctx: DeliveryContext): Promise<Outcome> {
  const { db, env, row } = ctx;
  const tenantId = row.tenantId!;
  const endpoint = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, row.recipient)))
    .get();
  if (!endpoint) return { kind: "suppressed", reason: "The endpoint was deleted" };
  if (endpoint.status !== "enabled") return { kind: "suppressed", reason: "The endpoint is disabled" };
  const eventId = String(row.data.event_id ?? "");
  const body = await eventPayload(db, tenantId, eventId);
  if (body === null) return { kind: "failed", error: `Event ${eventId} not found` };

  const ts = Math.floor(Date.now() / 1000);
  const headers = await signatureHeaders(await signingSecrets(env, endpoint), eventId, ts, body);
  const started = Date.now();
  let status: number | null = null;
  let text = "";
  try {
    const res = await outboundFetch(
      new Request(endpoint.url, {
        method: "POST",
        headers: { "Content-Type": "application/json", "User-Agent": "Weft-Webhooks/1.0 (+https://weft.dev/docs/webhooks)", ...headers },
        body,
        redirect: "manual",
        signal: AbortSignal.timeout(TIMEOUT_MS),
      }),
    );
    status = res.status;
    text = excerpt(await res.text().catch(() => ""));
  } catch (e) {
    const error = `Request failed: ${e instanceof Error ? e.message : String(e)}`;
    await recordAttempt(ctx, { provider: "webhook", outcome: "transient", error, durationMs: Date.now() - started });
    return { kind: "retry", error, countsAttempt: true };
  }
  const durationMs = Date.now() - started;
  if (status >= 200 && status < 300) {
    await recordAttempt(ctx, { provider: "webhook", outcome: "success", statusCode: status, response: text, durationMs });
    await db
      .update(webhookEndpoints)
      .set({ consecutiveFailures: 0, failingSince: null, lastSuccessAt: Date.now() })
      .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, endpoint.id)));
    return { kind: "done", status: "delivered", provider: "webhook", providerMessageId: eventId };
  }
  const error = `Endpoint answered HTTP ${status}`;
  if (status === 410) {
    // 410 Gone: the receiver says this endpoint no longer exists. Stop at once.
    await recordAttempt(ctx, { provider: "webhook", outcome: "permanent", statusCode: status, response: text, error, durationMs });
    return { kind: "failed", error, disableEndpoint: true };
  }
  await recordAttempt(ctx, {
    provider: "webhook",
    outcome: status === 429 ? "rate_limited" : "transient",
    statusCode: status,
    response: text,
    error,
    durationMs,
  });
  return { kind: "retry", error, countsAttempt: true };
}

/**
 * After a delivery failed for good: count it against the endpoint; disable the endpoint after
 * sustained failure (or at once on 410) and email the workspace's owners and admins.
 */
export async function onWebhookDeliveryFailed(db: Db, env: Env, row: OutboxRow, error: string, disableNow = false): Promise<void> {
  const tenantId = row.tenantId!;
  const now = Date.now();
  const updated = await db
    .update(webhookEndpoints)
    .set({
      consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1`,
      failingSince: sql`coalesce(${webhookEndpoints.failingSince}, ${now})`,
      updatedAt: now,
    })
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, row.recipient), eq(webhookEndpoints.status, "enabled")))
    .returning();
  const ep = updated[0];
  if (!ep || (!disableNow && ep.consecutiveFailures < WEBHOOK_DISABLE_AFTER_FAILED_DELIVERIES)) return;
  const reason = disableNow ? "The endpoint answered 410 Gone" : `${ep.consecutiveFailures} deliveries in a row failed after all retries`;
  const disabled = await db
    .update(webhookEndpoints)
    .set({ status: "disabled", disabledReason: reason, updatedAt: now })
    .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, ep.id), eq(webhookEndpoints.status, "enabled")))
    .returning({ id: webhookEndpoints.id });
  if (!disabled.length) return; // someone else disabled it (and emailed) first
  log.warn("webhook_endpoint_disabled", { tenant_id: tenantId, endpoint_id: ep.id, reason });
  const tenant = await getTenant(db, tenantId);
  const cfg = messagingConfig(env);
  for (const role of ["owner", "admin"] as const) {
    const members = await listMembers(db, tenantId, { limit: 100, role });
    for (const m of members.data) {
      await send(db, env.OUTBOX, {
        tenantId,
        to: { email: m.email },
        channels: ["email"],
        template: "webhooks.endpoint_disabled",
        data: { workspace: tenant.name, url: ep.url, failures: ep.consecutiveFailures, error, link: `${cfg.appUrl}/webhooks` },
        category: "transactional",
        idempotencyKey: `webhook-disabled:${ep.id}:${now}:${m.user_id}`,
      });
    }
  }
}

/** The outbox's `webhook` channel, plugged into messaging by the composition root (workers/compose.ts). */
export const webhookChannel: WebhookChannel = {
  deliver: deliverWebhook,
  onFailed: onWebhookDeliveryFailed,
  maxAttempts: WEBHOOK_MAX_ATTEMPTS,
  retryScheduleSeconds: WEBHOOK_RETRY_SCHEDULE_SECONDS,
};
