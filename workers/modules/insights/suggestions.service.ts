import { and, eq, gt, sql } from "drizzle-orm";
import { insightAlerts, insightDismissals } from "../../../schema/insights";
import type { Db } from "../../platform/db";
import { notFound } from "../../platform/errors";
import { iso } from "../../platform/request";
import { DAY_MS } from "./days";
import { computeMetrics } from "./metrics";

export interface Suggestion {
  id: string;
  severity: "warning" | "info";
  text: string;
  numbers: Record<string, number>;
  link: string;
  link_label: string;
}

const pct = (n: number) => `${Math.round(n * 100)} %`;
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/**
 * The rules, each with its minimum (below it the rule says nothing). `cur` is the last 7 days, `prev`
 * the 7 before; `openAlerts` the workspace's unacknowledged alerts. Order = priority.
 */
export const RULES: {
  id: string;
  make: (cur: Record<string, number>, prev: Record<string, number>, openAlerts: number) => Suggestion | null;
}[] = [
  {
    id: "open_alerts",
    make: (_c, _p, n) =>
      n >= 1
        ? {
            id: "open_alerts",
            severity: "warning",
            text: `${plural(n, "metric is", "metrics are")} outside the usual range`,
            numbers: { open_alerts: n },
            link: "/insights",
            link_label: "See alerts",
          }
        : null,
  },
  {
    id: "invoices_failed",
    make: (c) => {
      const n = c.invoices_failed ?? 0;
      return n >= 2
        ? {
            id: "invoices_failed",
            severity: "warning",
            text: `${plural(n, "subscription payment", "subscription payments")} failed this week`,
            numbers: { failed: n },
            link: "/commerce/subscriptions",
            link_label: "Review subscriptions",
          }
        : null;
    },
  },
  {
    id: "chat_offline_waits",
    make: (c) => {
      const n = c.chat_offline_waits ?? 0;
      return n >= 3
        ? {
            id: "chat_offline_waits",
            severity: "warning",
            text: `${plural(n, "visitor", "visitors")} waited for a person with nobody online this week`,
            numbers: { visitors: n },
            link: "/chat/settings",
            link_label: "Set hand-off hours",
          }
        : null;
    },
  },
  {
    id: "refund_rate",
    make: (c) => {
      const refunds = c.orders_refunded ?? 0;
      const paid = c.orders_paid ?? 0;
      const rate = paid ? refunds / paid : 0;
      return refunds >= 3 && paid >= 10 && rate >= 0.1
        ? {
            id: "refund_rate",
            severity: "warning",
            text: `${plural(refunds, "refund", "refunds")} on ${paid} paid orders this week (${pct(rate)})`,
            numbers: { refunds, paid, rate: Math.round(rate * 1000) / 1000 },
            link: "/commerce/orders",
            link_label: "Look at orders",
          }
        : null;
    },
  },
  {
    id: "workflow_runs_failed",
    make: (c) => {
      const n = c.workflow_runs_failed ?? 0;
      return n >= 2
        ? {
            id: "workflow_runs_failed",
            severity: "warning",
            text: `${plural(n, "workflow run", "workflow runs")} failed this week`,
            numbers: { failed: n },
            link: "/workflows/runs",
            link_label: "Open run history",
          }
        : null;
    },
  },
  {
    id: "tickets_up",
    make: (c, p) => {
      const cur = c.tickets_opened ?? 0;
      const prev = p.tickets_opened ?? 0;
      return cur >= 10 && cur >= prev * 1.5
        ? {
            id: "tickets_up",
            severity: "info",
            text: `Support tickets are up: ${cur} this week vs ${prev} the week before`,
            numbers: { this_week: cur, last_week: prev },
            link: "/customers",
            link_label: "Open tickets",
          }
        : null;
    },
  },
  {
    id: "signups_down",
    make: (c, p) => {
      const cur = c.signups ?? 0;
      const prev = p.signups ?? 0;
      return prev >= 10 && cur <= prev * 0.6
        ? {
            id: "signups_down",
            severity: "info",
            text: `Sign-ups fell ${pct(1 - cur / prev)}: ${cur} this week vs ${prev} the week before`,
            numbers: { this_week: cur, last_week: prev },
            link: "/customers",
            link_label: "See customers",
          }
        : null;
    },
  },
];

export const SUGGESTION_IDS = RULES.map((r) => r.id) as [string, ...string[]];

/** Every rule over the last 7 days (live figures, not snapshots: a new workspace gets them at once). */
export async function computeSuggestions(db: Db, tenantId: string, now = Date.now()): Promise<Suggestion[]> {
  const [cur, prev, open] = await Promise.all([
    computeMetrics(db, tenantId, now - 7 * DAY_MS, now),
    computeMetrics(db, tenantId, now - 14 * DAY_MS, now - 7 * DAY_MS),
    db
      .select({ n: sql<number>`count(*)` })
      .from(insightAlerts)
      .where(and(eq(insightAlerts.tenantId, tenantId), eq(insightAlerts.status, "open"))),
  ]);
  return RULES.map((r) => r.make(cur, prev, open[0]?.n ?? 0)).filter((s): s is Suggestion => s !== null);
}

/** The suggestions for one member: minus the ones they dismissed and whose dismissal has not run out. */
export async function suggestionsFor(db: Db, tenantId: string, userId: string | null, now = Date.now()) {
  const all = await computeSuggestions(db, tenantId, now);
  if (!userId) return { data: all };
  const hidden = await db
    .select({ id: insightDismissals.suggestionId })
    .from(insightDismissals)
    .where(and(eq(insightDismissals.tenantId, tenantId), eq(insightDismissals.userId, userId), gt(insightDismissals.until, now)));
  const ids = new Set(hidden.map((h) => h.id));
  return { data: all.filter((s) => !ids.has(s.id)) };
}

export async function dismissSuggestion(db: Db, tenantId: string, userId: string, id: string, days: number, now = Date.now()) {
  if (!RULES.some((r) => r.id === id)) throw notFound("Suggestion");
  const until = now + days * DAY_MS;
  await db
    .insert(insightDismissals)
    .values({ tenantId, userId, suggestionId: id, until, createdAt: now })
    .onConflictDoUpdate({ target: [insightDismissals.tenantId, insightDismissals.userId, insightDismissals.suggestionId], set: { until } });
  return { id, hidden_until: iso(until) ?? "" };
}
