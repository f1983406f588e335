// `PATH=node_modules/.bin:$PATH node bench/lib/analytics-ingest-sql.mjs` (Node 24 from node_modules: node:sqlite):
// the analytics consumer's INSERT_EVENTS (read from ingest.consumer.ts) against the same statement reading
// each field straight from json_each (`FROM json_each(?2) AS j`, the form before its events were
// materialised), in node:sqlite over every migration (the timeline trigger included): 40 messages of 500
// page views. No Worker, no D1 transport: what the statement alone costs SQLite. Prints µs per event.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { DatabaseSync } from "node:sqlite";

const ROOT = join(import.meta.dirname, "..", "..");
const MIGRATIONS = join(ROOT, "schema/migrations");
const source = readFileSync(join(ROOT, "workers/modules/analytics/ingest.consumer.ts"), "utf8");
const materialised = /const INSERT_EVENTS = `([\s\S]*?)`;/.exec(source)[1];
const direct = materialised
  .replace(/^WITH j AS MATERIALIZED \(SELECT value FROM json_each\(\?2\)\)\n/, "")
  .replace("FROM j WHERE true", "FROM json_each(?2) AS j WHERE true");
if (direct === materialised) throw new Error("INSERT_EVENTS no longer has the shape this script expects");

function database() {
  const db = new DatabaseSync(":memory:");
  for (const file of readdirSync(MIGRATIONS)
    .filter((f) => f.endsWith(".sql"))
    .sort())
    for (const stmt of readFileSync(join(MIGRATIONS, file), "utf8").split("--> statement-breakpoint")) db.exec(stmt);
  return db;
}

const event = (i) => ({
  id: `evt_${i}`,
  name: "$pageview",
  distinct_id: `anon_${i % 500}`,
  ts: 1_700_000_000_000 + i,
  session_id: `s_${i % 50}`,
  host: "demo.example",
  path: `/p/${i % 40}`,
  referrer_host: "google.com",
  utm_source: "news",
  utm_medium: "email",
  utm_campaign: "dec",
  country: "DE",
  device: "desktop",
  browser: "Chrome",
  os: "Linux",
  is_bot: 0,
  props: { $current_url: `https://demo.example/p/${i % 40}`, plan: "pro" },
});

for (const [name, sql] of [
  ["direct", direct],
  ["materialised", materialised],
  ["direct", direct],
  ["materialised", materialised],
]) {
  const db = database();
  const insert = db.prepare(sql);
  const t0 = performance.now();
  let n = 0;
  for (let m = 0; m < 40; m++) {
    const events = Array.from({ length: 500 }, (_, k) => event(m * 500 + k));
    n += insert.all("ten_bench", JSON.stringify(events), Date.now(), "web").length;
  }
  const ms = performance.now() - t0;
  console.log(JSON.stringify({ statement: name, events: n, us_per_event: Math.round((ms / n) * 10_000) / 10 }));
}
