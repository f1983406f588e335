/**
 * The custom-webhook destination: each batch becomes ONE `analytics.events` webhook event per chosen
 * endpoint, published through modules/webhooks (stored body, Standard Webhooks signature, the
 * outbox's delivery log and retry schedule). The webhook event id is derived from the batch and
 * endpoint, so publishing the same batch again publishes nothing new.
 */
import { sha256Hex } from "../../../platform/crypto";
import type { Db } from "../../../platform/db";
import type { Env } from "../../../platform/env";
import { publishEvent } from "../../webhooks";
import type { ForwardEvent } from "./message";
import type { AttemptResult } from "./provider";

export function webhookPayload(destinationId: string, batchId: string, events: ForwardEvent[], test = false) {
  return {
    destination_id: destinationId,
    batch_id: batchId,
    ...(test ? { test: true } : {}),
    count: events.length,
    events: events.map((e) => ({
      id: e.id,
      name: e.name,
      distinct_id: e.distinct_id,
      timestamp: new Date(e.ts).toISOString(),
      properties: e.props,
      ...(e.ctx ? { context: e.ctx } : {}),
    })),
  };
}

export const webhookEventId = async (batchId: string, endpointId: string) =>
  `evt_fwd_${(await sha256Hex(`${batchId}:${endpointId}`)).slice(0, 32)}`;

export async function deliverWebhookBatch(
  db: Db,
  env: Env,
  tenantId: string,
  destinationId: string,
  endpointIds: string[],
  batchId: string,
  events: ForwardEvent[],
  requestsDone: number,
): Promise<AttemptResult> {
  const data = webhookPayload(destinationId, batchId, events);
  const r: AttemptResult = { outcome: "done", sent: 0, failed: 0, skipped: 0, requestsDone, statusCode: null, error: null, details: {} };
  const queued: { endpoint_id: string; webhook_event_id: string; message_ids: string[] }[] = [];
  const missing: string[] = [];
  for (const [i, endpointId] of endpointIds.entries()) {
    if (i < requestsDone) continue;
    const eventId = await webhookEventId(batchId, endpointId);
    try {
      const out = await publishEvent(db, env.OUTBOX, { tenantId, type: "analytics.events", data, onlyEndpointId: endpointId, eventId });
      if (out.messageIds.length) queued.push({ endpoint_id: endpointId, webhook_event_id: eventId, message_ids: out.messageIds });
      else missing.push(endpointId);
    } catch (e) {
      return {
        ...r,
        outcome: "retry",
        error: `Could not hand the batch to the webhooks outbox: ${e instanceof Error ? e.message : String(e)}`,
        details: { queued },
      };
    }
    r.requestsDone = i + 1;
  }
  r.details = {
    queued,
    ...(missing.length ? { not_enabled: missing } : {}),
    note: "Delivery, signatures and retries: see the endpoint's delivery log under Webhooks.",
  };
  if (!queued.length && endpointIds.length > requestsDone) {
    return { ...r, outcome: "permanent", failed: events.length, error: "None of the chosen webhook endpoints exists and is enabled." };
  }
  r.sent = queued.length || requestsDone ? events.length : 0;
  if (missing.length) r.error = `Not sent to ${missing.length} endpoint(s) that are deleted or disabled.`;
  return r;
}
