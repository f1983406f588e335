// `npm run bench -- files`: upload throughput through the files API against a raw R2.put of the
// same bytes, and image-variant latency on first (rendered) vs later (cached) requests.
//
// Starts its own local stack (lib/stack.mjs: wrangler dev on workerd, throwaway D1 + local R2).
//   upload — BENCH_FILES_MB (10) MB of incompressible bytes per request. (a) product:
//            POST /api/v1/files?name=… (auth, quota check, sniffing, scanner, SHA-256 — bodies
//            ≤ 16 MiB are read in one call and hashed before the write —, D1 row, usage event); (b) baseline: PUT /dev/files-bench/put, the
//            same body piped straight into R2.put. Rounds alternate A B B A …; MB/s per request,
//            medians compared (goal ≥ 0.7×).
//   thumb  — a 1600×1200 JPEG uploaded once; each sample asks a size never asked before
//            (w=300+i, h=…, webp: decode + resize + encode + store in R2) then the same URL again
//            (served from R2). p95 of each.
// Writes bench/results/files.{json,md}. Knobs (env): BENCH_FILES_MB=10 BENCH_FILES_ROUNDS=8 BENCH_THUMBS=20
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { PhotonImage } from "@cf-wasm/photon/node";
import { ROOT, startStack } from "./lib/stack.mjs";

const num = (k, d) => (process.env[k] ? Number(process.env[k]) : d);
const MB = num("BENCH_FILES_MB", 10);
const ROUNDS = num("BENCH_FILES_ROUNDS", 8);
const THUMBS = num("BENCH_THUMBS", 20);
const OUT = join(ROOT, "bench/results/files");
const t0 = Date.now();
const log = (m) => console.log(`[bench:files +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(xs.length * 0.95) - 1)];

function noise(n, seed) {
  const out = new Uint8Array(n);
  let x = seed * 2654435761 || 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 255;
  }
  return out;
}
/** A photo-like JPEG (gradients + noise), so the codec has real work. */
function photo(w, h) {
  const px = new Uint8Array(w * h * 4);
  const n = noise(w * h, 5);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4;
      px[i] = (x * 255) / w + (n[y * w + x] & 31);
      px[i + 1] = (y * 255) / h;
      px[i + 2] = ((x + y) * 128) / (w + h) + (n[y * w + x] >> 3);
      px[i + 3] = 255;
    }
  const img = new PhotonImage(px, w, h);
  const jpeg = img.get_bytes_jpeg(85);
  img.free();
  return jpeg;
}

const loadBefore = os.loadavg();
const stack = await startStack({ log, logLevel: process.env.BENCH_WRANGLER_LOG || "warn" });
const IP = { "CF-Connecting-IP": "127.0.9.3" };
let result;
try {
  const email = `bench-files-${Date.now()}@example.test`;
  const su = await fetch(`${stack.url}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...IP },
    body: JSON.stringify({ email, password: "correct horse battery staple", name: "Bench", workspace_name: "Files bench" }),
  });
  if (su.status !== 201) throw new Error(`signup: ${su.status} ${await su.text()}`);
  const s = await su.json();
  const auth = { Authorization: `Bearer ${s.access_token}`, "X-Tenant-ID": s.tenant?.id ?? s.memberships[0].tenant.id, ...IP };

  const size = MB * 1_000_000;
  const timed = async (fn) => {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  };
  const apiUpload = (bytes, i) =>
    timed(async () => {
      const r = await fetch(`${stack.url}/api/v1/files?name=bench-${i}.bin`, { method: "POST", headers: auth, body: bytes });
      if (r.status !== 201) throw new Error(`upload: ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    });
  const rawPut = (bytes, i) =>
    timed(async () => {
      const r = await fetch(`${stack.url}/dev/files-bench/put?key=bench/${Date.now()}-${i}`, { method: "PUT", headers: IP, body: bytes });
      if (r.status !== 200) throw new Error(`raw put: ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    });
  // Warm both paths (first request compiles the Worker's modules).
  await apiUpload(noise(100_000, 1), "warm");
  await rawPut(noise(100_000, 1), "warm");
  log(`upload: ${ROUNDS} rounds of ${MB} MB through the API vs raw R2.put, alternating`);
  const api = [];
  const base = [];
  for (let r = 0; r < ROUNDS; r++) {
    const bytes = noise(size, 100 + r); // the same bytes for both in a round; new bytes each round
    const order = r % 2 ? ["raw", "api"] : ["api", "raw"];
    for (const what of order) {
      const ms = what === "api" ? await apiUpload(bytes, r) : await rawPut(bytes, r);
      (what === "api" ? api : base).push(MB / (ms / 1000));
    }
  }
  log(`API ${api.map((x) => x.toFixed(0)).join(", ")} MB/s; raw ${base.map((x) => x.toFixed(0)).join(", ")} MB/s`);

  const jpeg = photo(1600, 1200);
  const up = await fetch(`${stack.url}/api/v1/files?name=photo.jpg`, { method: "POST", headers: auth, body: jpeg });
  if (up.status !== 201) throw new Error(`photo upload: ${up.status} ${await up.text()}`);
  const file = await up.json();
  const link = await (
    await fetch(`${stack.url}/api/v1/files/${file.id}/links`, {
      method: "POST",
      headers: { ...auth, "Content-Type": "application/json" },
      body: JSON.stringify({ expires_in: 3600 }),
    })
  ).json();
  const get = (url) =>
    timed(async () => {
      const r = await fetch(url);
      if (r.status !== 200) throw new Error(`thumb: ${r.status} ${await r.text()}`);
      await r.arrayBuffer();
    });
  await get(`${link.url}&w=64&format=webp`); // warm the codec's WASM instance
  log(`thumbnails: ${THUMBS} new sizes of a ${jpeg.length} B 1600×1200 JPEG, each then asked again`);
  const first = [];
  const cached = [];
  let engine = null;
  for (let i = 0; i < THUMBS; i++) {
    const url = `${link.url}&w=${300 + i}&h=${300 + i}&fit=cover&format=webp&q=80`;
    first.push(await get(url));
    cached.push(await get(url));
    if (!engine) engine = (await fetch(url, { method: "HEAD" })).headers.get("X-Weft-Image-Engine");
  }
  log(`first p95 ${p95(first).toFixed(0)} ms; cached p95 ${p95(cached).toFixed(0)} ms (${engine})`);

  result = {
    upload_mb_per_s: Number(median(api).toFixed(1)),
    baseline_upload_mb_per_s: Number(median(base).toFixed(1)),
    upload_ratio: Number((median(api) / median(base)).toFixed(2)),
    thumb_p95_ms: Math.round(p95(first)),
    thumb_cached_p95_ms: Math.round(p95(cached)),
    upload_mb: MB,
    rounds: ROUNDS,
    thumbs: THUMBS,
    image_engine: engine,
    photo_bytes: jpeg.length,
    samples: { api_mb_per_s: api, baseline_mb_per_s: base, thumb_ms: first, thumb_cached_ms: cached },
    load_before: loadBefore,
    load_after: os.loadavg(),
    at: new Date().toISOString(),
    rev: process.env.BENCH_REV ?? null,
  };
} finally {
  await stack.stop();
}

mkdirSync(join(ROOT, "bench/results"), { recursive: true });
writeFileSync(`${OUT}.json`, `${JSON.stringify(result, null, 2)}\n`);
const md = `# Files bench

\`npm run bench -- files\` — ${result.at}, local wrangler dev on ${os.cpus().length} CPUs (load before/after ${result.load_before.map((l) => l.toFixed(2)).join(" ")} / ${result.load_after.map((l) => l.toFixed(2)).join(" ")}).

| measure | product | baseline (same run) | ratio | goal |
|---|---|---|---|---|
| ${MB} MB upload (median of ${ROUNDS}) | ${result.upload_mb_per_s} MB/s through \`POST /api/v1/files\` (auth, quota, sniffing, scanner, SHA-256, D1 row, usage event) | ${result.baseline_upload_mb_per_s} MB/s, the same bytes piped into \`R2.put\` | **${result.upload_ratio}×** | ≥ 0.7× |
| thumbnail of a 1600×1200 JPEG (${THUMBS} sizes) | first request p95 ${result.thumb_p95_ms} ms (${result.image_engine}: decode, resize, WebP encode, store in R2) | cached p95 ${result.thumb_cached_p95_ms} ms (served from R2) | | |

Local numbers (workerd + local R2 on disk, client on the same machine): they compare the two paths in one
run; absolute MB/s in production depend on the client's uplink and R2.
`;
writeFileSync(`${OUT}.md`, md);
log(`wrote ${OUT}.json and .md`);
console.log(md);
