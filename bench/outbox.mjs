// `npm run bench -- outbox`: messages/s through the outbox Queue (send → Queue → consumer → provider
// adapter → local fake Resend with 150 ms per request) against a same-run baseline of direct,
// sequential provider calls. Runs inside workerd (vitest + @cloudflare/vitest-plugin, real D1 and
// Queues); writes bench/results/outbox.{json,md}.
import { spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { cpus, loadavg } from "node:os";

const root = join(import.meta.dirname, "..");
const loadBefore = loadavg().map((x) => Math.round(x * 100) / 100);
const run = spawnSync(join(root, "node_modules/.bin/vitest"), ["run", "--config", "bench/outbox.vitest.config.ts"], {
  cwd: root,
  encoding: "utf8",
  env: { ...process.env, PATH: `${join(root, "node_modules/.bin")}:${process.env.PATH}`, NO_COLOR: "1", FORCE_COLOR: "0" },
  maxBuffer: 64 * 1024 * 1024,
});
const out = `${run.stdout}\n${run.stderr}`;
const line = out.split("\n").find((l) => l.includes("BENCH_RESULT "));
if (run.status !== 0 || !line) {
  console.error(out.slice(-4000));
  console.error("outbox bench failed");
  process.exitCode = 1;
} else {
  const r = JSON.parse(line.slice(line.indexOf("BENCH_RESULT ") + 13));
  const result = {
    ...r,
    load_average_before: loadBefore,
    load_average_after: loadavg().map((x) => Math.round(x * 100) / 100),
    cpus: cpus().length,
    measured_at: new Date().toISOString(),
    command: "npm run bench -- outbox",
  };
  mkdirSync(join(root, "bench/results"), { recursive: true });
  writeFileSync(join(root, "bench/results/outbox.json"), `${JSON.stringify(result, null, 2)}\n`);
  const md = `# Outbox throughput

\`npm run bench -- outbox\` — ${r.messages} emails, local fake Resend answering after ${r.provider_latency_ms} ms per request, inside workerd (real D1 + Queues, consumer batch size 25).

| path | messages/s |
|---|---|
| outbox Queue (send → queue → consumer → adapter) | **${r.messages_per_s}** |
| baseline: direct sequential provider calls (no queue, no log) | ${r.baseline_messages_per_s} |
| outbox bookkeeping inline, no queue (for reference) | ${r.inline_outbox_messages_per_s} |

D1 round trips per message in the consumer path (inline run, counted on the binding): **${r.d1_round_trips_per_message}**

**ratio (queue / baseline): ${r.ratio}** · enqueueing ${r.messages} messages took ${r.enqueue_ms} ms · failed: ${r.failed}

Measured ${result.measured_at}; load average (1/5/15 min) before ${result.load_average_before.join(" / ")}, after ${result.load_average_after.join(" / ")} on ${result.cpus} CPUs. Figures depend on the machine; the ratio compares two paths in the same run.
`;
  writeFileSync(join(root, "bench/results/outbox.md"), md);
  console.log(md);
}
