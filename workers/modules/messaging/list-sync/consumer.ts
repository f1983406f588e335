import type { Env } from "../../../platform/env";
import { createLogger } from "../../../platform/logger";
import { processChanges, processRun } from "./engine";
import { processErase } from "./erase";
import { listSyncMessageSchema } from "./messages";

const log = createLogger({ component: "list_sync" });
const retryDelay = (attempts: number) => Math.min(600, 10 * 2 ** Math.max(0, attempts - 1));

/**
 * List-sync messages from the outbox Queue (messaging/consumer.ts hands them over). Changes are
 * grouped per list, so a burst of sign-ups becomes one incremental run per connection; runs are
 * processed one after the other. Failures that are not a provider's answer (a bug, D1) use the
 * Queue's retry, then its DLQ.
 */
export async function consumeListSync(messages: readonly Message<unknown>[], env: Env): Promise<void> {
  const changes = new Map<string, { tenantId: string; listId: string; emails: Set<string>; msgs: Message<unknown>[] }>();
  for (const msg of messages) {
    const parsed = listSyncMessageSchema.safeParse(msg.body);
    if (!parsed.success) {
      log.error("list_sync_bad_message", { message_id: msg.id });
      msg.ack();
      continue;
    }
    const m = parsed.data;
    if (m.kind === "list_sync.erase") {
      try {
        await processErase(env, m.tenantId, m.email);
        msg.ack();
      } catch (e) {
        log.warn("list_sync_erase_error", { tenant_id: m.tenantId, error: e instanceof Error ? e.message : String(e) });
        msg.retry({ delaySeconds: retryDelay(msg.attempts) });
      }
      continue;
    }
    if (m.kind === "list_sync.change") {
      const key = `${m.tenantId}\u0000${m.listId}`;
      const g = changes.get(key) ?? { tenantId: m.tenantId, listId: m.listId, emails: new Set(), msgs: [] };
      g.emails.add(m.email);
      g.msgs.push(msg);
      changes.set(key, g);
      continue;
    }
    try {
      await processRun(env, m.tenantId, m.runId, m.cursor ?? null);
      msg.ack();
    } catch (e) {
      log.warn("list_sync_run_error", { run_id: m.runId, error: e instanceof Error ? e.message : String(e) });
      msg.retry({ delaySeconds: retryDelay(msg.attempts) });
    }
  }
  for (const g of changes.values()) {
    try {
      await processChanges(env, g.tenantId, g.listId, [...g.emails]);
      for (const msg of g.msgs) msg.ack();
    } catch (e) {
      log.warn("list_sync_change_error", { list_id: g.listId, error: e instanceof Error ? e.message : String(e) });
      for (const msg of g.msgs) msg.retry({ delaySeconds: retryDelay(msg.attempts) });
    }
  }
}
