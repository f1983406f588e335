import { and, desc, eq, isNull, type SQL } from "drizzle-orm";
import { insightAlerts } from "../../../schema/insights";
import type { Role } from "../../../schema/tenancy";
import { auditInsert, type Actor } from "../../platform/audit";
import type { Db } from "../../platform/db";
import { listMembers } from "../../platform/directory";
import type { Env } from "../../platform/env";
import { notFound } from "../../platform/errors";
import { newId } from "../../platform/ids";
import { keyset, type PageQuery, toPage } from "../../platform/pagination";
import { iso } from "../../platform/request";
import { send } from "../messaging";
import { BASELINE_DAYS, judge } from "./anomaly";
import { addDays } from "./days";
import { formatValue, unitLabel } from "./format";
import { METRICS, metricById } from "./metrics";
import { allSeries } from "./snapshots.service";

type AlertRow = typeof insightAlerts.$inferSelect;

export const serializeAlert = (a: AlertRow) => {
  const m = metricById(a.metric);
  return {
    id: a.id,
    metric: a.metric,
    label: m?.label ?? a.metric,
    unit: m?.unit ?? "",
    link: m?.link ?? "/insights",
    day: a.day,
    direction: a.direction,
    value: a.value,
    median: a.median,
    mad: a.mad,
    usual_low: a.low,
    usual_high: a.high,
    history_days: a.historyDays,
    summary: m ? alertSentence(a) : `${a.metric}: ${a.value}`,
    status: a.status,
    acknowledged_by: a.acknowledgedBy,
    acknowledged_at: a.acknowledgedAt ? iso(a.acknowledgedAt) : null,
    created_at: iso(a.createdAt) ?? "",
  };
};

/** "Refunds were 14 on 2026-12-06, usually 1–6 (median 3 over 28 days)." */
export function alertSentence(a: Pick<AlertRow, "metric" | "day" | "value" | "median" | "low" | "high" | "historyDays">): string {
  const m = metricById(a.metric);
  if (!m) return `${a.metric}: ${a.value}`;
  const f = (v: number) => formatValue(m, v);
  return `${m.label} were ${f(a.value)} on ${a.day} (${unitLabel(m)}), usually ${f(a.low)}–${f(a.high)} (median ${f(a.median)} over ${a.historyDays} days).`;
}

/** Owners and admins of a workspace: who is told about alerts (and, by default, gets the digest). */
export async function ownersAndAdmins(db: Db, tenantId: string) {
  const out: { userId: string; email: string; name: string }[] = [];
  for (const role of ["owner", "admin"] as Role[]) {
    const page = await listMembers(db, tenantId, { limit: 100, role });
    for (const m of page.data) out.push({ userId: m.user_id, email: m.email, name: m.name });
  }
  return out;
}

/**
 * Judge every metric's value on `day` against the BASELINE_DAYS snapshots before it. A new alert is
 * stored with its numbers and sent once: the (workspace, metric, day) unique index decides which call
 * inserts it, and the sends carry idempotency keys per alert and person.
 */
export async function detectAlerts(db: Db, env: Env, tenantId: string, day: string, now = Date.now()): Promise<AlertRow[]> {
  const series = await allSeries(db, tenantId, addDays(day, -BASELINE_DAYS), day);
  const created: AlertRow[] = [];
  for (const m of METRICS) {
    const s = series.get(m.id);
    const value = s?.get(day);
    if (!s || value === undefined) continue;
    const history = [...s.entries()]
      .filter(([d]) => d < day)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([, v]) => v);
    const v = judge(history, value, m.bad, m.minChange);
    if (!v.anomalous) continue;
    const [row] = await db
      .insert(insightAlerts)
      .values({
        tenantId,
        id: newId("ina"),
        metric: m.id,
        day,
        direction: v.direction,
        value,
        median: v.median,
        mad: v.mad,
        low: v.low,
        high: v.high,
        historyDays: v.historyDays,
        createdAt: now,
      })
      .onConflictDoNothing()
      .returning();
    if (row) created.push(row);
  }
  if (created.length) await notifyAlerts(db, env, tenantId, created);
  return created;
}

async function notifyAlerts(db: Db, env: Env, tenantId: string, alerts: AlertRow[]) {
  const origin = env.APP_URL.replace(/\/$/, "");
  const people = await ownersAndAdmins(db, tenantId);
  for (const a of alerts) {
    const m = metricById(a.metric);
    const title = `${m?.label ?? a.metric} ${a.direction === "up" ? "jumped" : "dropped"} on ${a.day}`;
    const link = `${origin}/insights?alert=${a.id}`;
    const body = alertSentence(a);
    for (const p of people) {
      const base = { tenantId, template: "notifications.generic", category: "transactional" as const, data: { title, body, link } };
      await send(db, env.OUTBOX, {
        ...base,
        to: { userId: p.userId },
        channels: ["in_app"],
        idempotencyKey: `insights-alert:${a.id}:${p.userId}:in_app`,
      });
      await send(db, env.OUTBOX, {
        ...base,
        to: { email: p.email },
        channels: ["email"],
        idempotencyKey: `insights-alert:${a.id}:${p.userId}:email`,
      });
    }
    await db
      .update(insightAlerts)
      .set({ notifiedAt: Date.now() })
      .where(and(eq(insightAlerts.tenantId, tenantId), eq(insightAlerts.id, a.id), isNull(insightAlerts.notifiedAt)));
  }
}

export async function listAlerts(db: Db, tenantId: string, q: PageQuery & { metric?: string; status?: "open" | "acknowledged" }) {
  const k = keyset(insightAlerts.createdAt, insightAlerts.id, q.cursor);
  const conds: (SQL | undefined)[] = [eq(insightAlerts.tenantId, tenantId), k.where];
  if (q.metric) conds.push(eq(insightAlerts.metric, q.metric));
  if (q.status) conds.push(eq(insightAlerts.status, q.status));
  const rows = await db
    .select()
    .from(insightAlerts)
    .where(and(...conds))
    .orderBy(...k.orderBy)
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (r) => r, serializeAlert);
}

export async function openAlerts(db: Db, tenantId: string, limit = 10) {
  return db
    .select()
    .from(insightAlerts)
    .where(and(eq(insightAlerts.tenantId, tenantId), eq(insightAlerts.status, "open")))
    .orderBy(desc(insightAlerts.createdAt))
    .limit(limit);
}

export async function acknowledgeAlert(db: Db, tenantId: string, id: string, actor: Actor) {
  const [existing] = await db
    .select()
    .from(insightAlerts)
    .where(and(eq(insightAlerts.tenantId, tenantId), eq(insightAlerts.id, id)));
  if (!existing) throw notFound("Alert");
  if (existing.status === "acknowledged") return serializeAlert(existing);
  const now = Date.now();
  const [row] = await db.batch([
    db
      .update(insightAlerts)
      .set({ status: "acknowledged", acknowledgedBy: actor.id, acknowledgedAt: now })
      .where(and(eq(insightAlerts.tenantId, tenantId), eq(insightAlerts.id, id)))
      .returning(),
    auditInsert(db, actor, {
      tenantId,
      action: "insights.alert_acknowledged",
      target: { type: "insight_alert", id },
      metadata: { metric: existing.metric, day: existing.day },
    }),
  ]);
  return serializeAlert(row[0] as AlertRow);
}
