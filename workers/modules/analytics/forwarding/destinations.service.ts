/**
 * Analytics destinations of a workspace: CRUD (audited), sealed credentials (never returned — only
 * a hint), delivery status (last success/failure, counts per day) and the log of forwarded batches.
 */
import { and, desc, eq, gte, sql } from "drizzle-orm";
import {
  analyticsDestinations,
  analyticsForwardBatches,
  analyticsForwardDaily,
  type DestinationConfig,
  type ForwardProvider,
} from "../../../../schema/analytics-forwarding";
import { auditInsert, type Actor } from "../../../platform/audit";
import { decryptSecret, encryptSecret } from "../../../platform/crypto";
import { tenantScope, type Db } from "../../../platform/db";
import { getConfig, type Env } from "../../../platform/env";
import { badRequest, conflict, notFound, Problem } from "../../../platform/errors";
import { newId } from "../../../platform/ids";
import { keyset, toPage, type PageQuery } from "../../../platform/pagination";
import { iso } from "../../../platform/request";
import { getEndpointRow, publishEvent } from "../../webhooks";
import { testGa4 } from "./ga4";
import { testMixpanel } from "./mixpanel";
import { webhookPayload } from "./webhook";

export type DestinationRow = typeof analyticsDestinations.$inferSelect;
export type BatchRow = typeof analyticsForwardBatches.$inferSelect;
export const MAX_DESTINATIONS = 20;

export const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const hint = (secret: string) => `…${secret.slice(-4)}`;

export function destinationStatus(d: Pick<DestinationRow, "enabled" | "lastSuccessAt" | "lastFailureAt">) {
  if (!d.enabled) return "disabled" as const;
  if (d.lastFailureAt && d.lastFailureAt >= (d.lastSuccessAt ?? 0)) return "failing" as const;
  if (d.lastSuccessAt) return "ok" as const;
  return "idle" as const;
}

function serializeSettings(provider: ForwardProvider, c: DestinationConfig) {
  if (provider === "mixpanel")
    return {
      project_id: c.projectId ?? null,
      region: c.region ?? "us",
      auth: c.serviceAccountUsername ? ("service_account" as const) : ("api_secret" as const),
      service_account_username: c.serviceAccountUsername ?? null,
    };
  if (provider === "ga4") return { measurement_id: c.measurementId ?? null };
  return { endpoint_ids: c.endpointIds ?? [] };
}

export function serializeDestination(d: DestinationRow, today?: { sent: number; failed: number }) {
  return {
    id: d.id,
    provider: d.provider,
    name: d.name,
    enabled: d.enabled,
    event_names: d.eventNames ?? null,
    settings: serializeSettings(d.provider, d.config),
    credential_hint: d.secretHint,
    status: destinationStatus(d),
    last_success_at: iso(d.lastSuccessAt),
    last_failure_at: iso(d.lastFailureAt),
    last_error: d.lastError,
    sent_today: today?.sent ?? 0,
    failed_today: today?.failed ?? 0,
    created_at: new Date(d.createdAt).toISOString(),
    updated_at: new Date(d.updatedAt).toISOString(),
  };
}

export function serializeBatch(b: BatchRow) {
  return {
    id: b.id,
    status: b.status,
    event_count: b.eventCount,
    sent_count: b.sentCount,
    failed_count: b.failedCount,
    skipped_count: b.skippedCount,
    attempts: b.attempts,
    last_status_code: b.lastStatusCode,
    error: b.error,
    details: b.details ?? {},
    next_attempt_at: iso(b.nextAttemptAt),
    created_at: new Date(b.createdAt).toISOString(),
    updated_at: new Date(b.updatedAt).toISOString(),
  };
}

async function todayCounts(db: Db, tenantId: string): Promise<Map<string, { sent: number; failed: number }>> {
  const rows = await db
    .select()
    .from(analyticsForwardDaily)
    .where(tenantScope(db, tenantId).where(analyticsForwardDaily, eq(analyticsForwardDaily.day, utcDay(Date.now()))));
  return new Map(rows.map((r) => [r.destinationId, { sent: r.sent, failed: r.failed }]));
}

export async function listDestinations(db: Db, tenantId: string) {
  const [rows, today] = await Promise.all([
    db
      .select()
      .from(analyticsDestinations)
      .where(tenantScope(db, tenantId).where(analyticsDestinations))
      .orderBy(analyticsDestinations.createdAt)
      .limit(MAX_DESTINATIONS),
    todayCounts(db, tenantId),
  ]);
  return { data: rows.map((r) => serializeDestination(r, today.get(r.id))) };
}

export async function getDestinationRow(db: Db, tenantId: string, id: string): Promise<DestinationRow> {
  const row = await db
    .select()
    .from(analyticsDestinations)
    .where(tenantScope(db, tenantId).where(analyticsDestinations, eq(analyticsDestinations.id, id)))
    .get();
  if (!row) throw notFound("Analytics destination");
  return row;
}

export async function getDestination(db: Db, tenantId: string, id: string, days = 14) {
  const row = await getDestinationRow(db, tenantId, id);
  const since = utcDay(Date.now() - (days - 1) * 86_400_000);
  const daily = await db
    .select({ day: analyticsForwardDaily.day, sent: analyticsForwardDaily.sent, failed: analyticsForwardDaily.failed })
    .from(analyticsForwardDaily)
    .where(
      tenantScope(db, tenantId).where(
        analyticsForwardDaily,
        eq(analyticsForwardDaily.destinationId, id),
        gte(analyticsForwardDaily.day, since),
      ),
    )
    .orderBy(analyticsForwardDaily.day);
  const today = daily.find((d) => d.day === utcDay(Date.now()));
  return { ...serializeDestination(row, today), daily };
}

export interface DestinationInput {
  provider: ForwardProvider;
  name: string;
  enabled?: boolean;
  event_names?: string[] | null;
  project_id?: string;
  region?: "us" | "eu" | "in";
  service_account_username?: string | null;
  secret?: string;
  measurement_id?: string;
  api_secret?: string;
  endpoint_ids?: string[];
}
export type DestinationPatch = Partial<Omit<DestinationInput, "provider">>;

const PROVIDER_FIELDS: Record<ForwardProvider, (keyof DestinationPatch)[]> = {
  mixpanel: ["project_id", "region", "service_account_username", "secret"],
  ga4: ["measurement_id", "api_secret"],
  webhook: ["endpoint_ids"],
};
const ALL_PROVIDER_FIELDS = Object.values(PROVIDER_FIELDS).flat();

async function checkEndpoints(db: Db, tenantId: string, ids: string[]): Promise<string[]> {
  const unique = [...new Set(ids)];
  for (const id of unique) {
    try {
      await getEndpointRow(db, tenantId, id);
    } catch (e) {
      if (e instanceof Problem && e.status === 404)
        throw badRequest(`Webhook endpoint ${id} does not exist in this workspace. Add it under Webhooks first.`, {
          errors: [{ path: "endpoint_ids", message: `unknown endpoint ${id}` }],
        });
      throw e;
    }
  }
  return unique;
}

const cleanNames = (names: string[] | null | undefined) =>
  names === undefined ? undefined : names === null ? null : [...new Set(names.map((n) => n.trim()).filter(Boolean))];

export async function createDestination(db: Db, env: Env, tenantId: string, input: DestinationInput, actor: Actor) {
  const [{ n }] = (await db
    .select({ n: sql<number>`count(*)` })
    .from(analyticsDestinations)
    .where(tenantScope(db, tenantId).where(analyticsDestinations))) as [{ n: number }];
  if (n >= MAX_DESTINATIONS)
    throw conflict(`A workspace can have up to ${MAX_DESTINATIONS} analytics destinations.`, "too-many-destinations");
  const key = getConfig(env).ENCRYPTION_KEY;
  let config: DestinationConfig;
  let secret: string | null = null;
  if (input.provider === "mixpanel") {
    config = { projectId: input.project_id, region: input.region ?? "us", serviceAccountUsername: input.service_account_username || null };
    secret = input.secret ?? null;
  } else if (input.provider === "ga4") {
    config = { measurementId: input.measurement_id };
    secret = input.api_secret ?? null;
  } else {
    config = { endpointIds: await checkEndpoints(db, tenantId, input.endpoint_ids ?? []) };
  }
  const now = Date.now();
  const row: DestinationRow = {
    tenantId,
    id: newId("dst"),
    provider: input.provider,
    name: input.name,
    config,
    secret: secret ? await encryptSecret(secret, key) : null,
    secretHint: secret ? hint(secret) : null,
    eventNames: cleanNames(input.event_names) ?? null,
    enabled: input.enabled ?? true,
    lastSuccessAt: null,
    lastFailureAt: null,
    lastError: null,
    createdAt: now,
    updatedAt: now,
  };
  await db.batch([
    db.insert(analyticsDestinations).values(row),
    auditInsert(db, actor, {
      tenantId,
      action: "analytics.destination_created",
      target: { type: "analytics_destination", id: row.id },
      metadata: { provider: row.provider, name: row.name, event_names: row.eventNames },
    }),
  ]);
  return serializeDestination(row);
}

export async function updateDestination(db: Db, env: Env, tenantId: string, id: string, patch: DestinationPatch, actor: Actor) {
  const row = await getDestinationRow(db, tenantId, id);
  const foreign = ALL_PROVIDER_FIELDS.filter((f) => patch[f] !== undefined && !PROVIDER_FIELDS[row.provider].includes(f));
  if (foreign.length)
    throw badRequest(`${foreign.join(", ")} ${foreign.length > 1 ? "do" : "does"} not apply to a ${row.provider} destination.`, {
      errors: foreign.map((f) => ({ path: f, message: `not a ${row.provider} setting` })),
    });
  const next: Partial<DestinationRow> = { updatedAt: Date.now() };
  if (patch.name !== undefined) next.name = patch.name;
  if (patch.enabled !== undefined) next.enabled = patch.enabled;
  if (patch.event_names !== undefined) next.eventNames = cleanNames(patch.event_names) ?? null;
  const config = { ...row.config };
  if (patch.project_id !== undefined) config.projectId = patch.project_id;
  if (patch.region !== undefined) config.region = patch.region;
  if (patch.service_account_username !== undefined) config.serviceAccountUsername = patch.service_account_username || null;
  if (patch.measurement_id !== undefined) config.measurementId = patch.measurement_id;
  if (patch.endpoint_ids !== undefined) config.endpointIds = await checkEndpoints(db, tenantId, patch.endpoint_ids);
  next.config = config;
  const secret = patch.secret ?? patch.api_secret;
  if (secret !== undefined) {
    next.secret = await encryptSecret(secret, getConfig(env).ENCRYPTION_KEY);
    next.secretHint = hint(secret);
  }
  // Re-enabling or new credentials: the old failure no longer describes the destination.
  if ((patch.enabled === true && !row.enabled) || secret !== undefined) Object.assign(next, { lastError: null, lastFailureAt: null });
  await db.batch([
    db
      .update(analyticsDestinations)
      .set(next)
      .where(and(eq(analyticsDestinations.tenantId, tenantId), eq(analyticsDestinations.id, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "analytics.destination_updated",
      target: { type: "analytics_destination", id },
      // Field names only: credentials never reach the audit log.
      metadata: { fields: Object.keys(patch).filter((k) => patch[k as keyof DestinationPatch] !== undefined) },
    }),
  ]);
  return serializeDestination({ ...row, ...next });
}

export async function deleteDestination(db: Db, tenantId: string, id: string, actor: Actor) {
  const row = await getDestinationRow(db, tenantId, id);
  await db.batch([
    db.delete(analyticsDestinations).where(and(eq(analyticsDestinations.tenantId, tenantId), eq(analyticsDestinations.id, id))),
    db
      .delete(analyticsForwardBatches)
      .where(and(eq(analyticsForwardBatches.tenantId, tenantId), eq(analyticsForwardBatches.destinationId, id))),
    db.delete(analyticsForwardDaily).where(and(eq(analyticsForwardDaily.tenantId, tenantId), eq(analyticsForwardDaily.destinationId, id))),
    auditInsert(db, actor, {
      tenantId,
      action: "analytics.destination_deleted",
      target: { type: "analytics_destination", id },
      metadata: { provider: row.provider, name: row.name },
    }),
  ]);
}

export async function listDeliveries(db: Db, tenantId: string, id: string, q: PageQuery & { status?: BatchRow["status"] }) {
  await getDestinationRow(db, tenantId, id);
  const page = keyset(analyticsForwardBatches.createdAt, analyticsForwardBatches.id, q.cursor);
  const rows = await db
    .select()
    .from(analyticsForwardBatches)
    .where(
      tenantScope(db, tenantId).where(
        analyticsForwardBatches,
        eq(analyticsForwardBatches.destinationId, id),
        q.status ? eq(analyticsForwardBatches.status, q.status) : undefined,
        page.where,
      ),
    )
    .orderBy(desc(analyticsForwardBatches.createdAt), desc(analyticsForwardBatches.id))
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeBatch);
}

export async function destinationSecret(env: Env, row: DestinationRow): Promise<string | null> {
  return row.secret ? decryptSecret(row.secret, getConfig(env).ENCRYPTION_KEY) : null;
}

export interface TestResult {
  ok: boolean;
  status: number | null;
  message: string;
  validation_messages: { field: string; message: string }[];
}

/** "Test connection": GA4's validation server, one deduplicated Mixpanel event, or a signed test batch to the endpoints. */
export async function testDestination(db: Db, env: Env, tenantId: string, id: string): Promise<TestResult> {
  const row = await getDestinationRow(db, tenantId, id);
  if (row.provider === "webhook") {
    const sample = [
      {
        id: "evt_test",
        name: "$pageview",
        distinct_id: "weft-connection-test",
        ts: Date.now(),
        props: { $current_url: "https://example.com/" },
      },
    ];
    const data = webhookPayload(row.id, `test_${Date.now()}`, sample, true);
    let queued = 0;
    for (const ep of row.config.endpointIds ?? []) {
      const out = await publishEvent(db, env.OUTBOX, { tenantId, type: "analytics.events", data, onlyEndpointId: ep });
      queued += out.messageIds.length;
    }
    const total = row.config.endpointIds?.length ?? 0;
    return {
      ok: queued > 0,
      status: null,
      message: queued
        ? `A signed test batch is on its way to ${queued} of ${total} endpoint(s); see each endpoint's delivery log under Webhooks.`
        : "None of the chosen webhook endpoints exists and is enabled.",
      validation_messages: [],
    };
  }
  const secret = await destinationSecret(env, row);
  if (!secret) return { ok: false, status: null, message: "No credentials are stored for this destination.", validation_messages: [] };
  return row.provider === "ga4" ? testGa4(env, row.config, secret) : testMixpanel(env, row.id, row.config, secret);
}
