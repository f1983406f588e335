import { and, eq } from "drizzle-orm";
import { workflows } from "../../../schema/workflows";
import type { Db } from "../../platform/db";
import type { Env } from "../../platform/env";
import { createLogger } from "../../platform/logger";
import type { WorkspaceEvent } from "../../platform/workspace-events";
import { hasFeature } from "../billing";
import { evaluateCondition } from "./conditions";
import { startRun } from "./runs.service";
import { getVersionDefinition } from "./workflows.service";

const log = createLogger({ component: "workflows" });

/**
 * The workspace-event listener (wired in workers/compose.ts): every published workflow whose event
 * trigger matches — and whose filter holds — starts a run, once per event id and workflow.
 */
export async function onWorkspaceEvent(db: Db, e: WorkspaceEvent, given?: Env): Promise<void> {
  const candidates = await db
    .select({ id: workflows.id, version: workflows.publishedVersion })
    .from(workflows)
    .where(
      and(
        eq(workflows.tenantId, e.tenantId),
        eq(workflows.triggerEvent, e.type),
        eq(workflows.triggerType, "event"),
        eq(workflows.status, "published"),
      ),
    );
  if (!candidates.length) return;
  if (!(await hasFeature(db, e.tenantId, "workflows"))) return;
  // The listener has no env: the Worker's, imported when needed — a top-level import of
  // "cloudflare:workers" would stop this public entry loading outside workerd (npm run api:types).
  const env = given ?? ((await import("cloudflare:workers")).env as Env);
  for (const wf of candidates) {
    try {
      const def = await getVersionDefinition(db, e.tenantId, wf.id, wf.version ?? 0);
      const trigger = { type: e.type, data: e.data };
      const scope = { trigger, steps: {}, vars: {}, run: { id: "", workflow_id: wf.id, version: wf.version ?? 0 } };
      if (def.trigger.type === "event" && def.trigger.filter && !evaluateCondition(def.trigger.filter, scope)) continue;
      await startRun(db, env, e.tenantId, wf.id, {
        triggerType: "event",
        type: e.type,
        data: e.data,
        dedupeKey: `event:${e.eventId}`,
        version: wf.version ?? undefined,
      });
    } catch (err) {
      log.error("event_trigger_failed", { tenant_id: e.tenantId, workflow_id: wf.id, event_id: e.eventId, error: String(err) });
    }
  }
}
