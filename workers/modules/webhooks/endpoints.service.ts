import { and, eq, sql } from "drizzle-orm";
import { outboxMessages } from "../../../schema/messaging";
import { webhookEndpoints } from "../../../schema/webhooks";
import { auditInsert, type Actor } from "../../platform/audit";
import { decryptSecret, encryptSecret } from "../../platform/crypto";
import { tenantScope, type Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { badRequest, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { messagingConfig } from "../messaging";
import { EVENT_TYPES, isEventType, SECRET_ROTATION_OVERLAP_MS } from "./catalogue";
import { generateWebhookSecret } from "../../platform/standard-webhooks";

export type EndpointRow = typeof webhookEndpoints.$inferSelect;

export const serializeEndpoint = (e: EndpointRow) => ({
  id: e.id,
  url: e.url,
  description: e.description,
  event_types: e.eventTypes,
  status: e.status,
  disabled_reason: e.disabledReason,
  consecutive_failures: e.consecutiveFailures,
  failing_since: iso(e.failingSince),
  last_success_at: iso(e.lastSuccessAt),
  previous_secret_expires_at:
    e.previousSecret && e.previousSecretExpiresAt && e.previousSecretExpiresAt > Date.now() ? iso(e.previousSecretExpiresAt) : null,
  created_at: iso(e.createdAt)!,
  updated_at: iso(e.updatedAt)!,
});

const PRIVATE_HOST =
  /^(localhost|127\.|10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|169\.254\.|0\.|\[?::1\]?$|\[?f[cd][0-9a-f]{2}:|.*\.local$|.*\.internal$)/i;

/** Endpoint URLs: https on a public host in production; locally http and localhost are allowed too. */
export function checkEndpointUrl(url: string, isLocal: boolean): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw badRequest("`url` must be an absolute URL, e.g. https://example.com/webhooks/weft.");
  }
  if (u.username || u.password) throw badRequest("Put credentials in your endpoint's verification, not in the URL.");
  if (!isLocal) {
    if (u.protocol !== "https:") throw badRequest("Webhook endpoints must use https.");
    if (PRIVATE_HOST.test(u.hostname)) throw badRequest("Webhook endpoints must be on a public host.");
  } else if (u.protocol !== "https:" && u.protocol !== "http:") throw badRequest("Use an http(s) URL.");
  return u.toString();
}

function checkEventTypes(types: string[]): string[] {
  const unknown = types.filter((t) => !isEventType(t));
  if (unknown.length) throw badRequest(`Unknown event types: ${unknown.join(", ")}. See GET /api/v1/webhook-event-types.`);
  return [...new Set(types)];
}

export async function listEndpoints(db: Db, tenantId: string, q: PageQuery) {
  const page = keyset(webhookEndpoints.createdAt, webhookEndpoints.id, q.cursor);
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(tenantScope(db, tenantId).where(webhookEndpoints, page.where))
    .orderBy(...page.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeEndpoint);
}

export async function getEndpointRow(db: Db, tenantId: string, id: string): Promise<EndpointRow> {
  const row = await db
    .select()
    .from(webhookEndpoints)
    .where(tenantScope(db, tenantId).where(webhookEndpoints, eq(webhookEndpoints.id, id)))
    .get();
  if (!row) throw notFound("Webhook endpoint");
  return row;
}

export async function createEndpoint(
  db: Db,
  env: Env,
  tenantId: string,
  input: { url: string; description?: string | null; event_types: string[] },
  actor: Actor,
) {
  const cfg = messagingConfig(env);
  const secret = generateWebhookSecret();
  const now = Date.now();
  const row: EndpointRow = {
    tenantId,
    id: newId("whe"),
    url: checkEndpointUrl(input.url, cfg.isLocal),
    description: input.description ?? null,
    eventTypes: checkEventTypes(input.event_types),
    secret: await encryptSecret(secret, cfg.encryptionKey),
    previousSecret: null,
    previousSecretExpiresAt: null,
    status: "enabled",
    disabledReason: null,
    failingSince: null,
    consecutiveFailures: 0,
    lastSuccessAt: null,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(webhookEndpoints).values(row),
    auditInsert(db, actor, {
      tenantId,
      action: "webhook_endpoint.created",
      target: { type: "webhook_endpoint", id: row.id },
      metadata: { url: row.url, event_types: row.eventTypes },
    }),
  ]);
  return { ...serializeEndpoint(row), secret };
}

export async function updateEndpoint(
  db: Db,
  env: Env,
  tenantId: string,
  id: string,
  patch: { url?: string; description?: string | null; event_types?: string[]; status?: "enabled" | "disabled" },
  actor: Actor,
) {
  const cfg = messagingConfig(env);
  const row = await getEndpointRow(db, tenantId, id);
  const next: Partial<EndpointRow> = { updatedAt: Date.now() };
  if (patch.url !== undefined) next.url = checkEndpointUrl(patch.url, cfg.isLocal);
  if (patch.description !== undefined) next.description = patch.description;
  if (patch.event_types !== undefined) next.eventTypes = checkEventTypes(patch.event_types);
  if (patch.status !== undefined && patch.status !== row.status) {
    next.status = patch.status;
    // Re-enabling starts a fresh failure count.
    if (patch.status === "enabled") Object.assign(next, { disabledReason: null, failingSince: null, consecutiveFailures: 0 });
    else next.disabledReason = "Disabled by a workspace admin";
  }
  await db.batch([
    db
      .update(webhookEndpoints)
      .set(next)
      .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "webhook_endpoint.updated",
      target: { type: "webhook_endpoint", id },
      metadata: { fields: Object.keys(patch) },
    }),
  ]);
  return serializeEndpoint({ ...row, ...next });
}

export async function deleteEndpoint(db: Db, tenantId: string, id: string, actor: Actor) {
  const row = await getEndpointRow(db, tenantId, id);
  await db.batch([
    db.delete(webhookEndpoints).where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id))),
    // Pending deliveries to a deleted endpoint will never go out.
    db
      .update(outboxMessages)
      .set({ status: "cancelled", lastError: "Endpoint deleted", updatedAt: Date.now() })
      .where(
        and(
          eq(outboxMessages.tenantId, tenantId),
          eq(outboxMessages.channel, "webhook"),
          eq(outboxMessages.recipient, id),
          sql`${outboxMessages.status} in ('queued','scheduled','retrying')`,
        ),
      ),
    auditInsert(db, actor, {
      tenantId,
      action: "webhook_endpoint.deleted",
      target: { type: "webhook_endpoint", id },
      metadata: { url: row.url },
    }),
  ]);
}

export async function revealSecret(db: Db, env: Env, tenantId: string, id: string) {
  const row = await getEndpointRow(db, tenantId, id);
  return { secret: await decryptSecret(row.secret, messagingConfig(env).encryptionKey) };
}

/** New secret now; the previous one keeps signing (a second `v1,` signature) during the overlap. */
export async function rotateSecret(db: Db, env: Env, tenantId: string, id: string, actor: Actor) {
  const cfg = messagingConfig(env);
  const row = await getEndpointRow(db, tenantId, id);
  const secret = generateWebhookSecret();
  const now = Date.now();
  const next = {
    secret: await encryptSecret(secret, cfg.encryptionKey),
    previousSecret: row.secret,
    previousSecretExpiresAt: now + SECRET_ROTATION_OVERLAP_MS,
    updatedAt: now,
  };
  await db.batch([
    db
      .update(webhookEndpoints)
      .set(next)
      .where(and(eq(webhookEndpoints.tenantId, tenantId), eq(webhookEndpoints.id, id))),
    auditInsert(db, actor, { tenantId, action: "webhook_endpoint.secret_rotated", target: { type: "webhook_endpoint", id } }),
  ]);
  return { ...serializeEndpoint({ ...row, ...next }), secret };
}

/** The signing secrets in force for a delivery: current, plus the previous one during its overlap. */
export async function signingSecrets(env: Env, row: EndpointRow, now = Date.now()): Promise<string[]> {
  const key = messagingConfig(env).encryptionKey;
  const out = [await decryptSecret(row.secret, key)];
  if (row.previousSecret && row.previousSecretExpiresAt && row.previousSecretExpiresAt > now)
    out.push(await decryptSecret(row.previousSecret, key));
  return out;
}

export function eventCatalogue() {
  return {
    data: Object.entries(EVENT_TYPES).map(([type, e]) => ({ type, group: e.group, description: e.description, example: e.example })),
  };
}
