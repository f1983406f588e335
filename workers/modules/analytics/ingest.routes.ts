/**
 * Event ingestion: `POST /public/v1/events` (the tracker: publishable key + allowed Origin; body as
 * JSON or text/plain, which is what `navigator.sendBeacon` sends without a CORS preflight) and
 * `POST /api/v1/analytics/events` (servers: a secret API key with `analytics:ingest`). Both answer
 * 202 with how many events were accepted and the rejected ones by index; accepted events reach D1
 * through the analytics Queue.
 */
import { z } from "@hono/zod-openapi";
import type { Context } from "hono";
import { cors } from "hono/cors";
import { checkQuota, quotaExceeded } from "../billing";
import { currentTenantId } from "../../platform/auth";
import type { AppEnv } from "../../platform/context";
import { getDb } from "../../platform/db";
import { badRequest, Problem, validationFailed, zodIssues } from "../../platform/errors";
import { resolvePublishableKey } from "../../platform/publishable-keys";
import { enforceRateLimit } from "../../platform/ratelimit";
import { appOrigin, clientIp, userAgent } from "../../platform/request";
import { createRouter, defineRoute, jsonBody, jsonResponse, problemDoc } from "../../platform/router";
import { batchBodySchema, normalizeBatch } from "./events";
import { applyTrackerSettings, enqueueEvents, OVER_QUOTA_SAMPLE_RATE, recordDropped, sampledIn, trackerOverQuota } from "./ingest.service";
import { houseKeyFor } from "./house";
import { cachedSettings } from "./settings.service";

const MAX_BODY_BYTES = 1_000_000;

const ingestResultSchema = z
  .object({
    accepted: z.number().int(),
    rejected: z.array(z.object({ index: z.number().int(), errors: z.array(z.object({ path: z.string(), message: z.string() })) })),
    dropped: z
      .number()
      .int()
      .openapi({ description: "Valid events not stored: Do-Not-Track, switched-off auto-capture, or over-quota sampling" }),
    sample_rate: z.number().openapi({ description: "Share of people kept (1 unless the workspace is over its analytics quota)" }),
    settings: z
      .object({ autocapture_links: z.boolean(), autocapture_forms: z.boolean(), require_consent: z.boolean() })
      .optional()
      .openapi({ description: "Tracker settings for the page (public endpoint only)" }),
  })
  .openapi("IngestResult");

function reject(errors: { index: number; errors: { path: string; message: string }[] }[]): Problem {
  return validationFailed(
    errors.flatMap((e) => e.errors.map((x) => ({ path: `events.${e.index}${x.path ? `.${x.path}` : ""}`, message: x.message }))),
  );
}

async function readBatch(c: Context<AppEnv>): Promise<z.infer<typeof batchBodySchema>> {
  const text = await c.req.text();
  if (text.length > MAX_BODY_BYTES)
    throw new Problem(
      413,
      "payload-too-large",
      "Payload too large",
      `A batch may be at most ${MAX_BODY_BYTES} bytes; send smaller batches.`,
    );
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw badRequest('The body must be JSON: { "events": [ … ] }.');
  }
  const parsed = batchBodySchema.safeParse(json);
  if (!parsed.success) throw validationFailed(zodIssues(parsed.error));
  return parsed.data;
}

export const ingestPublicRoutes = createRouter();
ingestPublicRoutes.use(
  "/events",
  cors({ origin: (o) => o, allowHeaders: ["Content-Type"], allowMethods: ["POST", "OPTIONS"], maxAge: 86_400 }),
);

ingestPublicRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "post",
      path: "/events",
      tags: ["Analytics (public)"],
      summary: "Tracker events from a tenant's site (publishable key + allowed Origin); JSON or text/plain body",
      request: {
        query: z.object({ key: z.string().max(200).openapi({ description: "The workspace's publishable key (pk_live_…)" }) }),
        body: { required: true, content: { "text/plain": { schema: batchBodySchema } } },
      },
      responses: {
        202: jsonResponse(ingestResultSchema, "Accepted (possibly in part: see `rejected`)"),
        403: problemDoc("Unknown key, or the page's origin is not allowed for it"),
        413: problemDoc("Batch too large"),
      },
    },
  ),
  async (c) => {
    await enforceRateLimit(c, "RL_IP", clientIp(c));
    const db = getDb(c.env.DB);
    const pk = await resolvePublishableKey(db, c.req.valid("query").key, c.req.header("Origin") ?? null);
    if (!pk)
      throw new Problem(
        403,
        "origin-not-allowed",
        "Origin not allowed",
        "This publishable key is unknown, revoked, or not allowed on this site's origin.",
      );
    const body = await readBatch(c);
    const now = Date.now();
    const skew = body.sent_at ? now - body.sent_at : 0;
    const { events, errors } = normalizeBatch(body.events, now, Math.abs(skew) > 60_000 ? skew : 0);
    const settings = await cachedSettings(db, pk.tenantId, now);
    const publicSettings = {
      autocapture_links: settings.autocaptureLinks,
      autocapture_forms: settings.autocaptureForms,
      require_consent: settings.requireConsent,
    };
    if (!events.length) throw reject(errors);
    const dnt = settings.respectDnt && (c.req.header("DNT") === "1" || c.req.header("Sec-GPC") === "1");
    let kept = dnt ? [] : applyTrackerSettings(events, settings);
    let sampleRate = 1;
    if (kept.length && (await trackerOverQuota(db, c.env.DB, pk.tenantId, kept.length, now))) {
      sampleRate = OVER_QUOTA_SAMPLE_RATE;
      const before = kept.length;
      kept = kept.filter((e) => sampledIn(e.distinct_id, sampleRate));
      await recordDropped(db, pk.tenantId, before - kept.length, now);
    }
    if (kept.length) {
      await enqueueEvents(c.env, {
        tenantId: pk.tenantId,
        source: "web",
        events: kept,
        userAgent: userAgent(c),
        country: (c.req.raw.cf?.country as string | undefined) ?? null,
        sampleRate,
        receivedAt: now,
      });
    }
    return c.json(
      { accepted: kept.length, rejected: errors, dropped: events.length - kept.length, sample_rate: sampleRate, settings: publicSettings },
      202,
    );
  },
);

export const ingestApiRoutes = createRouter();

ingestApiRoutes.openapi(
  defineRoute(
    { auth: "tenant", permission: "analytics:ingest" },
    {
      method: "post",
      path: "/analytics/events",
      tags: ["Analytics"],
      summary: "Server-side events (secret API key): up to 500 per batch, idempotent by event id",
      request: { ...jsonBody(batchBodySchema) },
      responses: {
        202: jsonResponse(ingestResultSchema, "Accepted (possibly in part: see `rejected`)"),
        402: problemDoc("The workspace's analytics-events quota is used up"),
      },
    },
  ),
  async (c) => {
    const tenantId = currentTenantId(c);
    const body = c.req.valid("json");
    const now = Date.now();
    const { events, errors } = normalizeBatch(body.events, now);
    if (!events.length) throw reject(errors);
    const q = await checkQuota(getDb(c.env.DB), c.env.DB, tenantId, "analytics_events", events.length);
    if (!q.allowed) throw quotaExceeded(q, events.length, appOrigin(c));
    await enqueueEvents(c.env, { tenantId, source: "server", events, userAgent: null, country: null, sampleRate: 1, receivedAt: now });
    return c.json({ accepted: events.length, rejected: errors, dropped: 0, sample_rate: 1 }, 202);
  },
);

ingestPublicRoutes.openapi(
  defineRoute(
    { auth: "public" },
    {
      method: "get",
      path: "/house",
      tags: ["Analytics (public)"],
      summary: "Weft's own analytics for its dashboard: the house workspace's publishable key for this origin (or null)",
      responses: { 200: jsonResponse(z.object({ publishable_key: z.string().nullable() }), "The key, or null: load nothing") },
    },
  ),
  async (c) => {
    await enforceRateLimit(c, "RL_IP", clientIp(c));
    const origin = new URL(c.req.url).origin;
    c.header("Cache-Control", "private, max-age=300");
    return c.json({ publishable_key: await houseKeyFor(c.env, origin) }, 200);
  },
);
