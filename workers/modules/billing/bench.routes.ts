import { Hono } from "hono";
import type { AppEnv } from "../../platform/context";
import { notFound } from "../../platform/errors";
import { getConfig } from "../../platform/env";
import { meterMany } from "./meter";
import { dayOf, periodOf } from "./meter";
import { currentUsage } from "./usage.store";

/**
 * Local-only helpers for `npm run bench -- usage` (mounted at /dev/billing-bench; 404 in production).
 * `produce` publishes usage events to the real Queue (the consumer aggregates them);
 * `baseline` writes the same events the naive way, one event row and one counter update per event.
 */
export const usageBenchRoutes = new Hono<AppEnv>();
usageBenchRoutes.use("*", async (c, next) => {
  if (!getConfig(c.env).isLocal) throw notFound("Page");
  await next();
});

type Body = { tenant: string; n: number; prefix: string };
const events = (b: Body) =>
  Array.from({ length: b.n }, (_, i) => ({ tenantId: b.tenant, meter: "emails" as const, quantity: 1, eventId: `${b.prefix}-${i}` }));

usageBenchRoutes.post("/produce", async (c) => {
  const b = (await c.req.json()) as Body;
  const t0 = Date.now();
  await meterMany(c.env, events(b));
  return c.json({ ms: Date.now() - t0 });
});

usageBenchRoutes.post("/baseline", async (c) => {
  const b = (await c.req.json()) as Body;
  const t0 = Date.now();
  for (const e of events(b)) {
    const now = Date.now();
    const ins = await c.env.DB.prepare(
      `INSERT INTO usage_events (tenant_id, event_id, meter, quantity, period, day, user_id, batch_id, occurred_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, NULL, 'baseline', ?7, ?7) ON CONFLICT DO NOTHING`,
    )
      .bind(e.tenantId, e.eventId, e.meter, e.quantity, periodOf(now), dayOf(now), now)
      .run();
    if (ins.meta.changes) {
      await c.env.DB.prepare(
        `INSERT INTO usage_counters (tenant_id, meter, period, quantity, reported, updated_at) VALUES (?1, ?2, ?3, ?4, 0, ?5) ON CONFLICT (tenant_id, meter, period) DO UPDATE SET quantity = quantity + excluded.quantity, updated_at = excluded.updated_at`,
      )
        .bind(e.tenantId, e.meter, periodOf(now), e.quantity, now)
        .run();
    }
  }
  return c.json({ ms: Date.now() - t0 });
});

usageBenchRoutes.get("/counter", async (c) => c.json({ quantity: await currentUsage(c.env.DB, c.req.query("tenant") ?? "", "emails") }));
