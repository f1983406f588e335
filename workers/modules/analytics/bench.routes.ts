/**
 * Local-only helpers for `npm run bench -- analytics` (mounted at /dev/analytics-bench; 404 in
 * production):
 * - `ingest`   — accepted events → the analytics Queue (the product's path after validation);
 * - `naive`    — the baseline: the same events written one INSERT per event, no Queue;
 * - `generate` — synthetic events for one tenant written in SQL (for the 1M-event funnel);
 * - `funnel` / `count` — a 4-step funnel vs a plain indexed count over the same rows, timed in the Worker.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { getConfig } from "../../platform/env";
import { notFound } from "../../platform/errors";
import type { QueuedEvent } from "./events";
import { toRow } from "./ingest.consumer";
import { enqueueEvents } from "./ingest.service";
import { type FunnelQuery, runFunnel, runRawFunnel } from "./query/funnels";

export const analyticsBenchRoutes = new Hono<AppEnv>();
analyticsBenchRoutes.use("*", async (c, next) => {
  if (!getConfig(c.env).isLocal) throw notFound("Page");
  await next();
});

export const BENCH_STEPS = ["$pageview", "signed_up", "email_verified", "activated"];

analyticsBenchRoutes.post("/ingest", async (c) => {
  const b = (await c.req.json()) as { tenant: string; events: QueuedEvent[] };
  await enqueueEvents(c.env, {
    tenantId: b.tenant,
    source: "server",
    events: b.events,
    userAgent: null,
    country: null,
    sampleRate: 1,
    receivedAt: Date.now(),
  });
  return c.json({ ok: true });
});

analyticsBenchRoutes.post("/naive", async (c) => {
  const b = (await c.req.json()) as { tenant: string; events: QueuedEvent[] };
  const now = Date.now();
  for (const e of b.events) {
    const r = toRow(
      { v: 1, tenantId: b.tenant, source: "server", receivedAt: now, userAgent: null, country: null, sampleRate: 1, events: [] },
      e,
    );
    await c.env.DB.prepare(
      `INSERT INTO analytics_events (tenant_id, id, name, distinct_id, person_id, ts, received_at, source, session_id, host, path, referrer_host,
        utm_source, utm_medium, utm_campaign, country, device, browser, os, is_bot, props)
       VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6, 'server', ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19) ON CONFLICT DO NOTHING`,
    )
      .bind(
        b.tenant,
        r.id,
        r.name,
        r.distinct_id,
        r.ts,
        now,
        r.session_id,
        r.host,
        r.path,
        r.referrer_host,
        r.utm_source,
        r.utm_medium,
        r.utm_campaign,
        r.country,
        r.device,
        r.browser,
        r.os,
        r.is_bot,
        JSON.stringify(r.props),
      )
      .run();
  }
  return c.json({ ok: true });
});

analyticsBenchRoutes.get("/count", async (c) => {
  const tenant = c.req.query("tenant") ?? "";
  const r = await c.env.DB.prepare("SELECT count(*) AS n FROM analytics_events WHERE tenant_id = ?1").bind(tenant).first<{ n: number }>();
  return c.json({ n: r?.n ?? 0 });
});

/**
 * Rows [start, start + n) of a deterministic synthetic data set: user u = i mod users gets, in its
 * k-th slot (k = i div users), a page view (k = 0), then with falling probability signed_up,
 * email_verified, activated (k = 1..3), and other events after that, an hour apart plus jitter.
 */
analyticsBenchRoutes.post("/generate", async (c) => {
  const b = (await c.req.json()) as { tenant: string; start: number; n: number; users: number; from: number; spanMs: number };
  const t0 = Date.now();
  await c.env.DB.prepare(
    `WITH RECURSIVE seq(i) AS (SELECT CAST(?2 AS INTEGER) UNION ALL SELECT i + 1 FROM seq WHERE i + 1 < ?2 + ?3),
     g AS (SELECT i, i % CAST(?4 AS INTEGER) AS u, i / CAST(?4 AS INTEGER) AS k, (i * 2654435761) % 1000 AS h FROM seq)
     INSERT INTO analytics_events (tenant_id, id, name, distinct_id, person_id, ts, received_at, source, is_bot, props)
     SELECT ?1, 'b' || i,
       CASE WHEN k = 0 THEN '$pageview'
            WHEN k = 1 AND h < 600 THEN 'signed_up'
            WHEN k = 2 AND h < 450 THEN 'email_verified'
            WHEN k = 3 AND h < 300 THEN 'activated'
            WHEN h < 500 THEN '$pageview' ELSE 'clicked' END,
       'u' || u, 'u' || u, CAST(?5 + (u * 7919) % CAST(?6 AS INTEGER) + k * 3600000 + (h * 97) % 600000 AS INTEGER), CAST(?5 AS INTEGER), 'server', 0, '{}'
     FROM g WHERE true ON CONFLICT DO NOTHING`,
  )
    .bind(b.tenant, b.start, b.n, b.users, b.from, b.spanMs)
    .run();
  return c.json({ ms: Date.now() - t0 });
});

/** The product's funnel (from person timelines), or with `raw` the same funnel over raw events (the path before timelines). */
analyticsBenchRoutes.post("/funnel", async (c) => {
  const b = (await c.req.json()) as { tenant: string; from: number; to: number; raw?: boolean; order?: FunnelQuery["order"] };
  const q: FunnelQuery = {
    steps: BENCH_STEPS.map((event) => ({ event })),
    window_seconds: 14 * 86_400,
    order: b.order ?? "sequential",
    from: b.from,
    to: b.to,
  };
  const t0 = performance.now();
  const r = await (b.raw ? runRawFunnel : runFunnel)(getDb(c.env.DB), b.tenant, q);
  return c.json({ ms: performance.now() - t0, counts: r.steps.map((s) => s.count) });
});

/** The baseline: a plain count over the same rows the funnel reads (same tenant, names and range), by index. */
analyticsBenchRoutes.post("/baseline-count", async (c) => {
  const b = (await c.req.json()) as { tenant: string; from: number; to: number };
  const t0 = performance.now();
  const r = await c.env.DB.prepare(
    "SELECT count(*) AS n FROM analytics_events WHERE tenant_id = ?1 AND name IN (?2, ?3, ?4, ?5) AND ts >= ?6 AND ts < ?7",
  )
    .bind(b.tenant, ...BENCH_STEPS, b.from, b.to + 14 * 86_400_000)
    .first<{ n: number }>();
  return c.json({ ms: performance.now() - t0, n: r?.n ?? 0 });
});

/**
 * The floor of any exact funnel over raw events: the same rows grouped per person (the funnel's
 * index and filters, one count per person, pages of 20,000 people as the funnel reads them), with
 * no sequence built and nothing walked. What it costs over the baseline count is the price of
 * grouping by person alone, which no per-person funnel evaluation in SQLite can go below.
 */
analyticsBenchRoutes.post("/person-floor", async (c) => {
  const b = (await c.req.json()) as { tenant: string; from: number; to: number };
  const t0 = performance.now();
  let after = "";
  let people = 0;
  for (;;) {
    const { results } = await c.env.DB.prepare(
      `SELECT person_id AS p, count(*) AS n FROM analytics_events INDEXED BY analytics_events_tenant_person_idx
       WHERE tenant_id = ?1 AND person_id > ?2 AND is_bot = 0 AND ts >= ?3 AND ts < ?4 AND name IN (?5, ?6, ?7, ?8)
       GROUP BY person_id ORDER BY person_id LIMIT 20000`,
    )
      .bind(b.tenant, after, b.from, b.to + 14 * 86_400_000, ...BENCH_STEPS)
      .all<{ p: string; n: number }>();
    people += results.length;
    if (results.length < 20_000) break;
    after = results.at(-1)?.p ?? after;
  }
  return c.json({ ms: performance.now() - t0, people });
});
