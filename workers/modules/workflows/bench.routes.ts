/**
 * Local-only helper for `npm run bench -- workflows` (mounted at /dev/workflows-bench; 404 unless
 * ENVIRONMENT is local):
 *   POST /baseline {tenant_id, lead_id} — the bench workflow's five service calls made directly in
 *     one request (the lead updater twice, messaging send() twice, the condition): the floor runs
 *     are measured against.
 *   GET /status?tenant_id&workflow_id — runs by status and their mean duration (D1).
 */
import { Hono } from "hono";
import { and, avg, count, eq, isNotNull, sql } from "drizzle-orm";
import { z } from "zod";
import { workflowRuns } from "../../../schema/workflows";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { getConfig } from "../../platform/env";
import { badRequest, notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { send } from "../messaging";
import { updateLeadFromWorkflow } from "../sales";
import { evaluateCondition } from "./conditions";

export const workflowsBenchRoutes = new Hono<AppEnv>();
workflowsBenchRoutes.use("*", async (c, next) => {
  if (!getConfig(c.env).isLocal) throw notFound("Page");
  await next();
});

workflowsBenchRoutes.post("/baseline", async (c) => {
  const body = z
    .object({ tenant_id: z.string(), lead_id: z.string(), user_id: z.string() })
    .safeParse(await c.req.json().catch(() => null));
  if (!body.success) throw badRequest("tenant_id, lead_id and user_id are required.");
  const { tenant_id: tenantId, lead_id: leadId, user_id: userId } = body.data;
  const db = getDb(c.env.DB);
  const actor = { type: "system" as const, id: null, ip: null, userAgent: "workflows bench" };
  const started = Date.now();
  const key = newId("bench");
  await updateLeadFromWorkflow(db, tenantId, leadId, { status: "contacted" }, actor);
  await send(db, c.env.OUTBOX, {
    tenantId,
    to: { userId },
    channels: ["in_app"],
    template: "notifications.generic",
    data: { title: "Lead contacted", body: "bench", link: "" },
    category: "transactional",
    idempotencyKey: `${key}:1`,
  });
  const scope = { trigger: { type: "manual", data: { score: 80 } }, steps: {}, vars: {}, run: { id: key, workflow_id: "", version: 1 } };
  const hot = evaluateCondition({ left: "trigger.data.score", op: "gte", right: 50 }, scope);
  await updateLeadFromWorkflow(db, tenantId, leadId, { add_tags: [hot ? "hot" : "cold"] }, actor);
  await send(db, c.env.OUTBOX, {
    tenantId,
    to: { userId },
    channels: ["in_app"],
    template: "notifications.generic",
    data: { title: "Lead tagged", body: "bench", link: "" },
    category: "transactional",
    idempotencyKey: `${key}:2`,
  });
  return c.json({ ms: Date.now() - started });
});

workflowsBenchRoutes.get("/status", async (c) => {
  const tenantId = c.req.query("tenant_id") ?? "";
  const workflowId = c.req.query("workflow_id") ?? "";
  const db = getDb(c.env.DB);
  const rows = await db
    .select({ status: workflowRuns.status, n: count(), mean_ms: avg(sql`${workflowRuns.finishedAt} - ${workflowRuns.startedAt}`) })
    .from(workflowRuns)
    .where(and(eq(workflowRuns.tenantId, tenantId), eq(workflowRuns.workflowId, workflowId)))
    .groupBy(workflowRuns.status);
  const last = await db
    .select({ at: sql<number>`max(${workflowRuns.finishedAt})`, first: sql<number>`min(${workflowRuns.createdAt})` })
    .from(workflowRuns)
    .where(and(eq(workflowRuns.tenantId, tenantId), eq(workflowRuns.workflowId, workflowId), isNotNull(workflowRuns.finishedAt)))
    .get();
  return c.json({
    by_status: Object.fromEntries(rows.map((r) => [r.status, { n: r.n, mean_ms: r.mean_ms === null ? null : Number(r.mean_ms) }])),
    first_created_at: last?.first ?? null,
    last_finished_at: last?.at ?? null,
  });
});
