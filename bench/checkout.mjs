// `npm run bench -- checkout`: concurrent buyers checking out a product with limited stock through
// the storefront API and the payment simulator's signed webhook, against the same number of
// requests to a bare D1 insert route, in the same run.
//
// Starts its own local stack (lib/stack.mjs: wrangler dev on workerd, throwaway D1).
//   product  — BENCH_CHECKOUT_BUYERS (60) buyers at once, each: POST /public/v1/commerce/checkouts
//              (priced on the server, stock held all-or-nothing), POST …/pay (the order + the
//              simulator payment), POST the simulator's Approve (a Stripe-shaped event signed with
//              the workspace's simulator secret, verified by /webhooks/commerce/{tenant}/stripe, the
//              conditional pending → paid, stock committed, coupon, receipt, order.paid). Every 4th
//              buyer double-clicks Approve (two concurrent deliveries). Only BENCH_CHECKOUT_UNITS (20)
//              units exist: the rest are refused with 409 insufficient-stock at checkout creation.
//   baseline — the same number of requests, at the same concurrency, to POST
//              /dev/commerce-simulator/bench/insert (one bare D1 INSERT each).
// Rounds alternate product/baseline (A B B A …), a fresh product per product round; checkouts/s is
// buyers finished (paid or refused) per second, baseline/s the same count of request groups.
// Then every round is audited: paid orders ≤ units and stock decremented exactly once per paid
// order (`oversold`), one `paid` and one `receipt_sent` timeline event per order (`double_orders`).
// Writes bench/results/checkout.{json,md}. Knobs (env): BENCH_CHECKOUT_BUYERS=60 BENCH_CHECKOUT_UNITS=20 BENCH_CHECKOUT_ROUNDS=4
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { ROOT, startStack } from "./lib/stack.mjs";

const num = (k, d) => (process.env[k] ? Number(process.env[k]) : d);
const BUYERS = num("BENCH_CHECKOUT_BUYERS", 60);
const UNITS = num("BENCH_CHECKOUT_UNITS", 20);
const ROUNDS = num("BENCH_CHECKOUT_ROUNDS", 4);
const OUT = join(ROOT, "bench/results/checkout");
const SITE = "https://shop.bench.example";
const t0 = Date.now();
const log = (m) => console.log(`[bench:checkout +${((Date.now() - t0) / 1000).toFixed(1)}s] ${m}`);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const ipOf = (round, i) => `127.${10 + round}.${(i >> 8) & 255}.${i & 255}`;

const loadBefore = os.loadavg();
const stack = await startStack({ log, logLevel: process.env.BENCH_WRANGLER_LOG || "warn" });
let result;
try {
  const adminIp = { "CF-Connecting-IP": "127.0.9.4" };
  const su = await fetch(`${stack.url}/api/v1/auth/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...adminIp },
    body: JSON.stringify({
      email: `bench-checkout-${Date.now()}@example.test`,
      password: "correct horse battery staple",
      name: "Bench",
      workspace_name: "Checkout bench",
    }),
  });
  if (su.status !== 201) throw new Error(`signup: ${su.status} ${await su.text()}`);
  const s = await su.json();
  const tenantId = s.tenant?.id ?? s.memberships[0].tenant.id;
  const staff = async (method, path, body) => {
    const r = await fetch(`${stack.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${s.access_token}`, "X-Tenant-ID": tenantId, "Content-Type": "application/json", ...adminIp },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await r.text();
    return { status: r.status, body: text ? JSON.parse(text) : null };
  };
  const pk = await staff("POST", "/api/v1/publishable-keys", { name: "bench site", allowed_origins: [SITE] });
  if (pk.status !== 201) throw new Error(`publishable key: ${pk.status} ${JSON.stringify(pk.body)}`);
  await staff("POST", "/api/v1/commerce/shipping-rates", { name: "Flat", currency: "USD", kind: "flat", amount: 500 });
  const address = { name: "Bench Buyer", line1: "1 Main St", city: "Springfield", postal_code: "12345", country: "US" };
  const sf = (ip) => ({ "X-Publishable-Key": pk.body.key, Origin: SITE, "Content-Type": "application/json", "CF-Connecting-IP": ip });

  /** One buyer: create → pay → approve (twice at once for every 4th). Returns what happened and how many requests it made. */
  async function buyer(variantId, round, i) {
    const ip = ipOf(round, i);
    const co = await fetch(`${stack.url}/public/v1/commerce/checkouts`, {
      method: "POST",
      headers: sf(ip),
      body: JSON.stringify({
        lines: [{ variant_id: variantId, quantity: 1 }],
        email: `buyer${round}-${i}@example.test`,
        shipping_address: address,
      }),
    });
    const cb = await co.json();
    if (co.status === 409) return { outcome: "refused", requests: 1 };
    if (co.status !== 201) throw new Error(`checkout: ${co.status} ${JSON.stringify(cb)}`);
    const pay = await fetch(`${stack.url}/public/v1/commerce/checkouts/${cb.id}/pay`, {
      method: "POST",
      headers: sf(ip),
      body: JSON.stringify({ provider: "simulator" }),
    });
    const pb = await pay.json();
    if (pay.status !== 200) throw new Error(`pay: ${pay.status} ${JSON.stringify(pb)}`);
    const u = new URL(pb.redirect_url);
    const approve = () =>
      fetch(`${stack.url}${u.pathname}/approve${u.search}`, {
        method: "POST",
        redirect: "manual",
        headers: { "CF-Connecting-IP": ip },
      }).then(async (r) => {
        await r.arrayBuffer();
        if (r.status !== 303) throw new Error(`approve: ${r.status}`);
      });
    const clicks = i % 4 === 0 ? 2 : 1;
    await Promise.all(Array.from({ length: clicks }, approve));
    return { outcome: "paid", requests: 2 + clicks, order: pb.order_id, token: pb.access_token };
  }

  async function productRound(round) {
    const sku = `BENCH-${round}-${Date.now().toString(36)}`.toUpperCase();
    const p = await staff("POST", "/api/v1/commerce/products", {
      title: `Limited tee ${round}`,
      weight_grams: 200,
      variants: [{ sku, prices: { USD: 2000 }, on_hand: UNITS }],
    });
    if (p.status !== 201) throw new Error(`product: ${p.status} ${JSON.stringify(p.body)}`);
    const variantId = p.body.variants[0].id;
    const start = performance.now();
    const outcomes = await Promise.all(Array.from({ length: BUYERS }, (_, i) => buyer(variantId, round, i)));
    const ms = performance.now() - start;
    return { productId: p.body.id, outcomes, ms, requests: outcomes.reduce((n, o) => n + o.requests, 0) };
  }

  async function baselineRound(round, requests) {
    // The same number of requests, spread over the same number of concurrent clients.
    const per = Array.from({ length: BUYERS }, (_, i) => Math.floor(requests / BUYERS) + (i < requests % BUYERS ? 1 : 0));
    const start = performance.now();
    await Promise.all(
      per.map(async (k, i) => {
        for (let j = 0; j < k; j++) {
          const r = await fetch(`${stack.url}/dev/commerce-simulator/bench/insert`, {
            method: "POST",
            headers: { "CF-Connecting-IP": ipOf(round, i) },
          });
          await r.arrayBuffer();
          if (r.status !== 201) throw new Error(`insert: ${r.status}`);
        }
      }),
    );
    return performance.now() - start;
  }

  async function audit(round) {
    const p = await staff("GET", `/api/v1/commerce/products/${round.productId}`);
    const inv = p.body.variants[0].inventory;
    const paid = [];
    for (const o of round.outcomes.filter((x) => x.outcome === "paid")) {
      const d = await staff("GET", `/api/v1/commerce/orders/${o.order}`);
      if (d.body.status === "paid") paid.push(d.body);
    }
    const count = (d, type) => d.events.filter((e) => e.type === type).length;
    const doubled = paid.filter((d) => count(d, "paid") !== 1 || count(d, "receipt_sent") !== 1).length;
    const stockDiff = UNITS - inv.on_hand - paid.length; // > 0: decremented more than once for some order
    return {
      paid: paid.length,
      refused: round.outcomes.filter((x) => x.outcome === "refused").length,
      on_hand: inv.on_hand,
      reserved: inv.reserved,
      oversold: Math.max(0, paid.length - UNITS) + Math.max(0, -inv.on_hand),
      double_orders: doubled + Math.max(0, stockDiff),
      stock_mismatch: stockDiff,
    };
  }

  // Warm both paths (first requests compile the Worker's modules).
  log("warming up");
  const warm = await productRound(99);
  await baselineRound(99, 20);
  void warm;

  log(`${ROUNDS} rounds: ${BUYERS} concurrent buyers for ${UNITS} units vs the same requests to a bare insert`);
  const product = [];
  const baseline = [];
  const audits = [];
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 ? ["baseline", "product"] : ["product", "baseline"];
    let last = null;
    for (const what of order) {
      if (what === "product") {
        last = await productRound(r);
        product.push({ ms: last.ms, requests: last.requests });
        audits.push(await audit(last));
      } else {
        const requests = last?.requests ?? product.at(-1)?.requests ?? BUYERS * 3;
        baseline.push({ ms: await baselineRound(r, requests), requests });
      }
    }
    const a = audits.at(-1);
    log(
      `round ${r + 1}: product ${(BUYERS / (product.at(-1).ms / 1000)).toFixed(1)} buyers/s, baseline ${(BUYERS / (baseline.at(-1).ms / 1000)).toFixed(1)}/s; paid ${a.paid}, refused ${a.refused}, on_hand ${a.on_hand}, reserved ${a.reserved}`,
    );
  }
  const perSec = (xs) => xs.map((x) => BUYERS / (x.ms / 1000));
  const checkoutsPerS = median(perSec(product));
  const baselinePerS = median(perSec(baseline));
  // The ratio pairs each product round with the baseline round next to it (same machine load), then
  // takes the median: on a shared machine the load moves between rounds more than within a pair.
  const pairRatios = product.map((p, i) => baseline[i].ms / p.ms);
  result = {
    checkouts_per_s: Number(checkoutsPerS.toFixed(1)),
    baseline_per_s: Number(baselinePerS.toFixed(1)),
    ratio: Number(median(pairRatios).toFixed(3)),
    round_ratios: pairRatios.map((r) => Number(r.toFixed(3))),
    oversold: audits.reduce((n, a) => n + a.oversold, 0),
    double_orders: audits.reduce((n, a) => n + a.double_orders, 0),
    buyers: BUYERS,
    units: UNITS,
    rounds: ROUNDS,
    requests_per_round: product.map((p) => p.requests),
    audits,
    samples: { product_ms: product.map((p) => Math.round(p.ms)), baseline_ms: baseline.map((b) => Math.round(b.ms)) },
    load_before: loadBefore,
    load_after: os.loadavg(),
    at: new Date().toISOString(),
    source: stack.source,
  };
} finally {
  await stack.stop();
}

mkdirSync(join(ROOT, "bench/results"), { recursive: true });
writeFileSync(`${OUT}.json`, `${JSON.stringify(result, null, 2)}\n`);
const md = `# Checkout bench

\`npm run bench -- checkout\` — ${result.at}, local wrangler dev on ${os.cpus().length} CPUs (load before/after ${result.load_before.map((l) => l.toFixed(2)).join(" ")} / ${result.load_after.map((l) => l.toFixed(2)).join(" ")}); source ${result.source?.label ?? "working tree"}.

${BUYERS} buyers at once for ${UNITS} units, ${ROUNDS} rounds (median):

| measure | product | baseline (same run) | ratio |
|---|---|---|---|
| buyers finished per second (ratio: median of the ${ROUNDS} rounds' paired ratios ${result.round_ratios.join(", ")}) | **${result.checkouts_per_s}/s** — create checkout (priced, stock held), pay (order + simulator payment), Approve (signed Stripe-shaped webhook → paid, stock committed, receipt, order.paid); every 4th buyer clicks Approve twice at once; buyers past the stock get 409 at creation | **${result.baseline_per_s}/s** — the same number of requests (${result.requests_per_round.join(", ")} per round) at the same concurrency to a bare D1 INSERT route | **${result.ratio}×** |

| audit (all rounds) | value | must be |
|---|---|---|
| oversold (paid orders beyond the units, negative stock) | ${result.oversold} | 0 |
| double_orders (an order paid or receipted twice, stock taken twice) | ${result.double_orders} | 0 |
| paid / refused per round | ${result.audits.map((a) => `${a.paid} / ${a.refused}`).join(" · ")} | ${UNITS} / ${BUYERS - UNITS} |
| stock left (on hand, reserved) per round | ${result.audits.map((a) => `${a.on_hand}, ${a.reserved}`).join(" · ")} | 0, 0 |

Local numbers (workerd + local D1 on disk, client on the same machine): the ratio compares the two in one run.
`;
writeFileSync(`${OUT}.md`, md);
log(`wrote ${OUT}.json and .md`);
console.log(md);
if (result.oversold || result.double_orders) process.exitCode = 1;
