import { env } from "cloudflare:workers";
import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { analyticsDaily, analyticsEvents } from "../../../../schema/analytics";
import { deadLetters } from "../../../../schema/messaging";
import { callJson, signUp, type TestUser } from "../../../../test/helpers";
import { consumeQuotaFor } from "../../billing/entitlements";
import { currentUsage } from "../../billing/usage.store";
import { analyticsEnv } from "../env";
import type { IngestMessage } from "../events";
import { consumeAnalytics, ownedEvents, storeEvents } from "../ingest.consumer";
import { forgetQuotaState } from "../ingest.service";
import { db, ev, waitFor } from "./analytics-helpers";

const SITE = "https://tracked.example";

async function site(): Promise<{ owner: TestUser; key: string; apiKey: string }> {
  const owner = await signUp({ workspace: "Tracked" });
  const as = (path: string, body: unknown) => callJson(path, { token: owner.accessToken, tenant: owner.tenantId, ip: owner.ip, body });
  const pk = await as("/api/v1/publishable-keys", { name: "site", allowed_origins: [SITE] });
  const ak = await as("/api/v1/api-keys", { name: "server", scopes: ["analytics:ingest", "analytics:read"] });
  expect([pk.status, ak.status]).toEqual([201, 201]);
  return { owner, key: pk.body.key, apiKey: ak.body.secret };
}

/** POST with a raw text body (what sendBeacon sends). */
async function beacon(
  w: { key: string },
  body: unknown,
  opts: { origin?: string | null; ua?: string; headers?: Record<string, string> } = {},
) {
  const { exports } = await import("cloudflare:workers");
  const headers: Record<string, string> = {
    "Content-Type": "text/plain;charset=UTF-8",
    "User-Agent": opts.ua ?? "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36",
    "CF-Connecting-IP": "10.90.0.1",
    ...opts.headers,
  };
  if (opts.origin !== null) headers.Origin = opts.origin ?? SITE;
  const res = await exports.default.fetch(`http://weft.test/public/v1/events?key=${encodeURIComponent(w.key)}`, {
    method: "POST",
    headers,
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

const server = (w: { apiKey: string }, body: unknown) =>
  callJson("/api/v1/analytics/events", { method: "POST", token: w.apiKey, body, ip: "10.90.0.2" });

const countEvents = (tenantId: string) =>
  db()
    .select({ n: sql<number>`count(*)` })
    .from(analyticsEvents)
    .where(eq(analyticsEvents.tenantId, tenantId))
    .get()
    .then((r) => r?.n ?? 0);

describe("ingestion", () => {
  it("accepts a tracker batch, reports bad events by index, and a replayed batch counts once", async () => {
    const w = await site();
    const batch = {
      events: [
        {
          id: "ev-1",
          name: "$pageview",
          distinct_id: "anon-1",
          props: { $current_url: `${SITE}/pricing?utm_source=newsletter`, $referrer: "https://www.google.com/search" },
        },
        { id: "ev-2", name: "", distinct_id: "anon-1" },
        { id: "ev-3", name: "clicked_cta", distinct_id: "anon-1", plan_hint: "pro" },
        { name: "no distinct id" },
      ],
    };
    const r = await beacon(w, batch);
    expect(r.status).toBe(202);
    expect(r.body.accepted).toBe(2);
    expect(r.body.rejected.map((e: { index: number }) => e.index)).toEqual([1, 3]);
    expect(r.body.rejected[0].errors[0].path).toBe("name");
    expect(
      await waitFor(
        () => countEvents(w.owner.tenantId),
        (n) => n >= 2,
      ),
    ).toBe(2);

    // The retry a flaky network causes: same ids → nothing new, rollups unchanged.
    expect((await beacon(w, batch)).status).toBe(202);
    await server(w, { events: [{ id: "marker", name: "marker", distinct_id: "s" }] });
    await waitFor(
      () => countEvents(w.owner.tenantId),
      (n) => n >= 3,
    );
    expect(await countEvents(w.owner.tenantId)).toBe(3);

    const rows = await db().select().from(analyticsEvents).where(eq(analyticsEvents.tenantId, w.owner.tenantId));
    const pv = rows.find((x) => x.id === "ev-1");
    if (!pv) throw new Error("ev-1 missing");
    expect([pv.path, pv.referrerHost, pv.utmSource, pv.device, pv.browser, pv.isBot, pv.source]).toEqual([
      "/pricing",
      "google.com",
      "newsletter",
      "desktop",
      "Chrome",
      false,
      "web",
    ]);
    expect(rows.find((x) => x.id === "ev-3")?.props).toEqual({ plan_hint: "pro" }); // unknown top-level field kept in props
    const daily = await db()
      .select()
      .from(analyticsDaily)
      .where(and(eq(analyticsDaily.tenantId, w.owner.tenantId), eq(analyticsDaily.kind, "event"), eq(analyticsDaily.key, "$pageview")));
    expect(daily.map((d) => d.count)).toEqual([1]);
    // Metered once per new event: 2 tracker + 1 server.
    expect(
      await waitFor(
        () => currentUsage(env.DB, w.owner.tenantId, "analytics_events"),
        (n) => n >= 3,
      ),
    ).toBe(3);
  });

  it("refuses another origin, an unknown key and a batch with no valid event", async () => {
    const w = await site();
    const ok = { events: [{ name: "x", distinct_id: "a" }] };
    const wrong = await beacon(w, ok, { origin: "https://evil.example" });
    expect(wrong.status).toBe(403);
    expect(wrong.body.type).toMatch(/origin-not-allowed/);
    expect((await beacon(w, ok, { origin: null })).status).toBe(403);
    expect((await beacon({ key: "pk_live_nope" }, ok)).status).toBe(403);
    const bad = await beacon(w, { events: [{ name: "" }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toMatch(/^events\.0\./);
    expect((await beacon(w, "not json")).status).toBe(400);
    expect((await beacon(w, { events: Array.from({ length: 501 }, () => ({ name: "x", distinct_id: "a" })) })).status).toBe(400);
  });

  it("flags bots, honours Do-Not-Track and the auto-capture switches", async () => {
    const w = await site();
    const as = (method: string, path: string, body?: unknown) =>
      callJson(path, { method, token: w.owner.accessToken, tenant: w.owner.tenantId, ip: w.owner.ip, body });
    expect((await as("PATCH", "/api/v1/analytics/settings", { autocapture_links: false })).status).toBe(200);
    await beacon(
      w,
      { events: [{ id: "b1", name: "$pageview", distinct_id: "crawler", props: { $current_url: `${SITE}/` } }] },
      { ua: "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)" },
    );
    const dnt = await beacon(w, { events: [{ id: "d1", name: "$pageview", distinct_id: "private" }] }, { headers: { DNT: "1" } });
    expect(dnt.body).toMatchObject({ accepted: 0, dropped: 1 });
    const auto = await beacon(w, {
      events: [
        { id: "o1", name: "$outbound_click", distinct_id: "v", props: { href: "https://elsewhere.example" } },
        { id: "f1", name: "$form_submit", distinct_id: "v" },
      ],
    });
    expect(auto.body).toMatchObject({ accepted: 1, dropped: 1, settings: { autocapture_links: false, autocapture_forms: true } });
    const rows = await waitFor(
      () => db().select().from(analyticsEvents).where(eq(analyticsEvents.tenantId, w.owner.tenantId)),
      (r) => r.length >= 2,
    );
    expect(rows.map((r) => r.id).sort()).toEqual(["b1", "f1"]);
    expect(rows.find((r) => r.id === "b1")?.isBot).toBe(true);
    expect(rows.find((r) => r.id === "b1")?.device).toBe("bot");
    // Bots are not in the rollups.
    const daily = await db().select().from(analyticsDaily).where(eq(analyticsDaily.tenantId, w.owner.tenantId));
    expect(daily.filter((d) => d.key === "$pageview")).toEqual([]);
  });

  it("identify merges the anonymous id: earlier and later events of it belong to the user", async () => {
    const w = await site();
    await beacon(w, { events: [{ id: "a1", name: "$pageview", distinct_id: "anon-9", ts: Date.now() - 5000 }] });
    await waitFor(
      () => countEvents(w.owner.tenantId),
      (n) => n >= 1,
    );
    await beacon(w, {
      events: [{ id: "i1", name: "$identify", distinct_id: "user-42", props: { $anon_distinct_id: "anon-9", $set: { plan: "pro" } } }],
    });
    await waitFor(
      () => countEvents(w.owner.tenantId),
      (n) => n >= 2,
    );
    await beacon(w, { events: [{ id: "a2", name: "late", distinct_id: "anon-9" }] });
    const rows = await waitFor(
      () => db().select().from(analyticsEvents).where(eq(analyticsEvents.tenantId, w.owner.tenantId)),
      (r) => r.length >= 3,
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.personId]))).toEqual({ a1: "user-42", i1: "user-42", a2: "user-42" });
  });

  it("over quota: server calls get 402, tracker traffic is sampled by person and the drop is counted", async () => {
    const w = await site();
    expect((await consumeQuotaFor(env, w.owner.tenantId, "analytics_events", 10_000)).granted).toBe(true);
    const r = await server(w, { events: [{ name: "x", distinct_id: "a" }] });
    expect(r.status).toBe(402);
    expect(r.body.type).toMatch(/quota-exceeded/);
    forgetQuotaState(w.owner.tenantId);
    const events = Array.from({ length: 200 }, (_, i) => ({ id: `s${i}`, name: "$pageview", distinct_id: `person-${i}` }));
    const t = await beacon(w, { events });
    expect(t.status).toBe(202);
    expect(t.body.sample_rate).toBe(0.1);
    expect(t.body.accepted + t.body.dropped).toBe(200);
    expect(t.body.accepted).toBeGreaterThan(5); // ~10 % of 200 people, deterministic by id
    expect(t.body.accepted).toBeLessThan(45);
    const dropped = await db()
      .select()
      .from(analyticsDaily)
      .where(and(eq(analyticsDaily.tenantId, w.owner.tenantId), eq(analyticsDaily.kind, "dropped")));
    expect(dropped[0]?.count).toBe(t.body.dropped);
    const again = await beacon(w, { events });
    expect(again.body.accepted).toBe(t.body.accepted); // the same people are kept
  });

  it("a poison message on the analytics queue ends in the dead-letter queue", async () => {
    const marker = `poison-${Date.now()}`;
    await analyticsEnv(env).ANALYTICS.send({ v: 1, tenantId: "t", events: "not an array", marker } as never);
    const dead = await waitFor(
      () => db().select().from(deadLetters).where(eq(deadLetters.queue, "weft-analytics-dlq")),
      (rows) => rows.some((d) => JSON.stringify(d.body).includes(marker)),
      25_000,
    );
    expect(dead.some((d) => JSON.stringify(d.body).includes(marker))).toBe(true);
  }, 40_000);
});

describe("a crash between storing and metering", () => {
  it("the redelivered message meters and forwards its own events once; a client's retry of them owns none", async () => {
    const { owner } = await site();
    const t = owner.tenantId;
    const m: IngestMessage = {
      v: 1,
      tenantId: t,
      source: "server",
      receivedAt: Date.now(),
      userAgent: null,
      country: null,
      sampleRate: 1,
      events: [ev("crash-a", "signed_up", 0), ev("crash-b", "signed_up", 1), ev("crash-c", "signed_up", 2)],
    };
    // First delivery: the events were stored, then the consumer died before metering (nothing metered).
    const stored = await storeEvents(env.DB, m);
    expect(stored).toHaveLength(3);
    const again = await storeEvents(env.DB, m);
    expect(again).toEqual([]); // the redelivery inserts nothing…
    expect(await ownedEvents(env.DB, m, m.events, again)).toEqual([...stored].sort()); // …but knows the rows are its own
    const retry = { ...m, receivedAt: m.receivedAt + 5 }; // the client sent the same events again: another message
    expect(await ownedEvents(env.DB, retry, retry.events, await storeEvents(env.DB, retry))).toEqual([]);

    // The redelivery through the real consumer meters the three events; a second redelivery adds nothing.
    const deliver = async (body: IngestMessage) => {
      const acked: string[] = [];
      const msg = {
        id: `msg-${body.receivedAt}`,
        timestamp: new Date(),
        attempts: 2,
        body,
        ack: () => acked.push("ack"),
        retry: () => acked.push("retry"),
      };
      await consumeAnalytics(
        { queue: "weft-analytics", messages: [msg], ackAll() {}, retryAll() {} } as unknown as MessageBatch<unknown>,
        env,
      );
      return acked;
    };
    expect(await deliver(m)).toEqual(["ack"]);
    await waitFor(
      () => currentUsage(env.DB, t, "analytics_events"),
      (n) => n === 3,
    );
    expect(await deliver(m)).toEqual(["ack"]);
    expect(await deliver(retry)).toEqual(["ack"]);
    // A new event after them: once its count has arrived, a second count of the three would have too.
    expect(await deliver({ ...m, receivedAt: m.receivedAt + 9, events: [ev("crash-d", "signed_up", 3)] })).toEqual(["ack"]);
    expect(
      await waitFor(
        () => currentUsage(env.DB, t, "analytics_events"),
        (n) => n >= 4,
      ),
    ).toBe(4);
  });
});
