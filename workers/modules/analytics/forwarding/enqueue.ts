/**
 * Called by the ingest consumer with the ids of the events that were NEW in a message (a replayed
 * batch has none, so it forwards nothing). Per enabled destination whose event filter matches, it
 * records a batch (`queued`) and sends one message to the forwarding Queue. The batch id is derived
 * from the destination and the event ids: doing this twice for the same events records and sends
 * nothing the second time. Bot traffic is not forwarded. Never throws: a forwarding problem must not
 * fail ingestion (it is logged, and the batch is marked failed when the Queue refused it).
 */
import { and, eq, inArray } from "drizzle-orm";
import { analyticsDestinations, analyticsForwardBatches } from "../../../../schema/analytics-forwarding";
import { sha256Hex } from "../../../platform/crypto";
import { getDb } from "../../../platform/db";
import type { Env } from "../../../platform/env";
import { createLogger } from "../../../platform/logger";
import { parseUserAgent } from "../enrich";
import { chunkForQueue, type IngestMessage, type QueuedEvent } from "../events";
import { forwardEnv } from "./env";
import type { ForwardEvent, ForwardMessage } from "./message";

const log = createLogger({ component: "analytics-forwarding" });
const str = (v: unknown, n: number) => (typeof v === "string" && v ? v.slice(0, n) : null);

export function withContext(m: IngestMessage, e: QueuedEvent): ForwardEvent {
  const ua = parseUserAgent(str(e.props.$user_agent, 512) ?? (m.source === "web" ? m.userAgent : null));
  return {
    ...e,
    ctx: {
      country: str(e.props.$country, 8) ?? (m.source === "web" ? m.country : null),
      browser: ua.browser,
      os: ua.os,
      device: ua.device,
      source: m.source,
    },
  };
}

export async function enqueueForwarding(env: Env, m: IngestMessage, freshIds: string[]): Promise<void> {
  const queue = forwardEnv(env).ANALYTICS_FORWARD;
  if (!queue || !freshIds.length) return;
  try {
    const db = getDb(env.DB);
    const destinations = await db
      .select({ id: analyticsDestinations.id, eventNames: analyticsDestinations.eventNames })
      .from(analyticsDestinations)
      .where(and(eq(analyticsDestinations.tenantId, m.tenantId), eq(analyticsDestinations.enabled, true)));
    if (!destinations.length) return;
    const fresh = new Set(freshIds);
    const events = m.events
      .filter((e) => fresh.has(e.id))
      .map((e) => withContext(m, e))
      .filter((e) => e.ctx?.device !== "bot");
    if (!events.length) return;
    const now = Date.now();
    const planned: { row: typeof analyticsForwardBatches.$inferInsert; message: ForwardMessage }[] = [];
    for (const d of destinations) {
      const names = d.eventNames ? new Set(d.eventNames) : null;
      const picked = names ? events.filter((e) => names.has(e.name)) : events;
      for (const chunk of chunkForQueue(picked, 100_000) as ForwardEvent[][]) {
        const batchId = `fwb_${(await sha256Hex(`${m.tenantId}:${d.id}:${chunk.map((e) => e.id).join(",")}`)).slice(0, 32)}`;
        planned.push({
          row: {
            tenantId: m.tenantId,
            id: batchId,
            destinationId: d.id,
            status: "queued",
            eventCount: chunk.length,
            createdAt: now,
            updatedAt: now,
          },
          message: { v: 1, tenantId: m.tenantId, destinationId: d.id, batchId, events: chunk },
        });
      }
    }
    if (!planned.length) return;
    const stmts = planned.map((p) =>
      db.insert(analyticsForwardBatches).values(p.row).onConflictDoNothing().returning({ id: analyticsForwardBatches.id }),
    );
    const inserted = await db.batch(stmts as [(typeof stmts)[number], ...(typeof stmts)[number][]]);
    const isNew = new Set(inserted.flat().map((r) => r.id));
    const failed: string[] = [];
    for (const p of planned) {
      if (!isNew.has(p.message.batchId)) continue;
      try {
        await queue.send(p.message, { contentType: "json" });
      } catch (e) {
        failed.push(p.message.batchId);
        log.error("forward_enqueue_failed", { tenant_id: m.tenantId, batch_id: p.message.batchId, error: String(e) });
      }
    }
    if (failed.length) {
      await db
        .update(analyticsForwardBatches)
        .set({ status: "failed", error: "The forwarding queue refused the batch; it was not sent.", updatedAt: Date.now() })
        .where(and(eq(analyticsForwardBatches.tenantId, m.tenantId), inArray(analyticsForwardBatches.id, failed)));
    }
  } catch (e) {
    log.error("forward_enqueue_error", { tenant_id: m.tenantId, error: e instanceof Error ? e.message : String(e) });
  }
}
