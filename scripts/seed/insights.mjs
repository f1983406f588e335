// The demo workspace's proactive insights (modules/insights): six weeks of daily metric snapshots
// (deterministic noise with a weekly pattern) with one anomaly — refunds jumped two days ago — and
// its open alert, computed by the same rule the cron uses (workers/modules/insights/anomaly.ts), plus
// an older acknowledged alert. The home page's "metrics outside the usual range" suggestion then fires.
import { judge } from "../../workers/modules/insights/anomaly.ts";
import { insert, OWNER, raw, TENANT } from "./sql.mjs";

const DAY = 86_400_000;
const dayKey = (ms) => new Date(ms).toISOString().slice(0, 10);

/** [metric, weekday level, weekend level, noise, bad direction, min change] */
const SERIES = [
  ["orders_paid", 18, 11, 4, "down", 5],
  ["orders_refunded", 1.5, 1, 1.2, "up", 5],
  ["chat_conversations", 9, 7, 2.5, "both", 5],
  ["tickets_opened", 3, 1.5, 1.5, "up", 5],
  ["signups", 6, 4, 2, "down", 5],
  ["page_views", 420, 350, 45, "both", 50],
  ["visitors", 150, 125, 16, "both", 20],
];
const SPIKE = { metric: "orders_refunded", daysAgo: 2, value: 14 };
const ACKED = { metric: "chat_conversations", daysAgo: 19, value: 27 };

function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** INSERTs (ON CONFLICT DO NOTHING: a re-seed changes nothing) for the demo workspace's snapshots and alerts. */
export function insightsSql({ now }) {
  const today = Date.parse(`${dayKey(now)}T00:00:00Z`);
  const snapshots = [];
  const alerts = [];
  SERIES.forEach(([metric, weekday, weekend, noise, bad, minChange], si) => {
    const r = rng(1000 + si);
    const values = [];
    for (let ago = 42; ago >= 1; ago--) {
      const at = today - ago * DAY;
      const dow = new Date(at).getUTCDay();
      let v = Math.max(0, Math.round((dow === 0 || dow === 6 ? weekend : weekday) + (r() * 2 - 1) * noise));
      if (metric === SPIKE.metric && ago === SPIKE.daysAgo) v = SPIKE.value;
      if (metric === ACKED.metric && ago === ACKED.daysAgo) v = ACKED.value;
      const verdict = values.length ? judge(values, v, bad, minChange) : null;
      if (verdict?.anomalous) {
        const acked = metric === ACKED.metric;
        alerts.push({
          tenant_id: raw(TENANT),
          id: `ina_demo_${metric}_${ago}`,
          metric,
          day: dayKey(at),
          direction: verdict.direction,
          value: v,
          median: verdict.median,
          mad: verdict.mad,
          low: verdict.low,
          high: verdict.high,
          history_days: verdict.historyDays,
          status: acked ? "acknowledged" : "open",
          notified_at: at + DAY + 600_000,
          acknowledged_by: acked ? raw(OWNER) : null,
          acknowledged_at: acked ? at + 2 * DAY : null,
          created_at: at + DAY + 600_000,
        });
      }
      values.push(v);
      snapshots.push({ tenant_id: raw(TENANT), metric, day: dayKey(at), value: v, computed_at: at + DAY + 600_000 });
    }
  });
  return [insert("insight_snapshots", snapshots), insert("insight_alerts", alerts)].join("\n");
}
