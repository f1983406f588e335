import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";
import { unstable_readConfig } from "wrangler";

/**
 * The queue consumers of wrangler.toml with a short batch timeout: a test that waits for a message
 * otherwise waits out each hop's max_batch_timeout (1–5 s), which was most of the slow files' time.
 * Batch sizes, retries and dead-letter queues stay as configured.
 */
function fastQueueConsumers() {
  const { queues } = unstable_readConfig({ config: "./wrangler.toml" });
  return Object.fromEntries(
    (queues.consumers ?? []).map((q) => [
      q.queue,
      {
        maxBatchSize: q.max_batch_size,
        maxBatchTimeout: 0.05,
        maxRetries: q.max_retries,
        deadLetterQueue: q.dead_letter_queue,
        retryDelay: q.retry_delay,
      },
    ]),
  );
}

const TEST_FILES = ["workers/**/*.test.ts", "test/**/*.test.ts"];
/**
 * The per-workspace rate-limit test spends a whole RL_TENANT budget inside one 10 s window. With
 * wrangler.toml's 3,000 that took 17–20 s on a loaded machine (load 8–9), more than the window, so
 * the file runs against a runtime whose RL_TENANT budget is this (the test reads it from
 * env.RL_TENANT_LIMIT). Everything else — the binding, the key, the middleware — is the real one.
 */
const RATE_LIMIT_TEST = "test/tenant-rate-limit.test.ts";
const RL_TENANT_TEST_LIMIT = 200;
const ISOLATED = [
  "test/tenant-isolation.test.ts",
  "test/end-user-isolation.test.ts",
  "test/token-attacks.test.ts",
  "workers/modules/health/test/health.test.ts",
  "workers/modules/analytics/test/analytics-house.test.ts",
  "workers/modules/billing/test/billing-expansion.test.ts",
  "workers/modules/billing/test/billing-providers.test.ts",
  // Asserts which chunk ranks first: FTS5's bm25() takes its term statistics from the whole
  // kb_chunks_fts table, so other files' documents (every tenant's, in a shared runtime) move it.
  "workers/modules/knowledge/test/knowledge.test.ts",
];

// A new test file goes to "shared" unless it needs a fresh runtime (see ISOLATED): there it must not
// depend on tables being empty, on module-level state it did not set, or on global rows (the house
// workspace, per-IP budgets). Whole suite, same loaded machine: 1,122 s one runtime per file → 608 s.
// Integration tests run inside workerd with the real D1/R2/Queues bindings from wrangler.toml.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(fileURLToPath(new URL("./schema/migrations", import.meta.url)));
  const workerd = (extra: { bindings?: Record<string, unknown>; ratelimits?: Record<string, unknown> } = {}) =>
    cloudflareTest({
      main: "./workers/index.ts",
      wrangler: { configPath: "./wrangler.toml" },
      miniflare: {
        bindings: { ENVIRONMENT: "test", TEST_MIGRATIONS: migrations, ...extra.bindings },
        ...(extra.ratelimits ? { ratelimits: extra.ratelimits } : {}),
        queueConsumers: fastQueueConsumers(),
      },
    });
  return {
    // No root plugin: each project brings its own (one project overrides a limiter's budget).
    plugins: [],
    test: {
      // Vitest 5 hands a fresh test worker every cached module of its import graph in one "warm
      // modules" message; once PDF.js (1.7 MB, imported by the knowledge PDF test) is in that graph
      // the message exceeds workerd's 1 MiB WebSocket limit and the runtime dies for every later
      // file. Without the on-disk module cache the snapshot is empty and modules load one by one.
      fsModuleCache: false,
      projects: [
        // Most files share workerd runtimes (storage and module state carry over from file to file;
        // every test makes its own workspace): a runtime start and migration run per file was a third
        // of the suite's time.
        {
          extends: true,
          plugins: [workerd()],
          test: { name: "shared", include: TEST_FILES, exclude: [...ISOLATED, RATE_LIMIT_TEST], isolate: false },
        },
        // Files that need a runtime of their own: they spend per-IP / per-workspace rate-limit budgets,
        // claim the one house workspace, or cache a provider's OAuth token in module state.
        { extends: true, plugins: [workerd()], test: { name: "isolated", include: ISOLATED, isolate: true } },
        {
          extends: true,
          plugins: [
            workerd({
              bindings: { RL_TENANT_LIMIT: RL_TENANT_TEST_LIMIT },
              ratelimits: { RL_TENANT: { namespace_id: "1003", simple: { limit: RL_TENANT_TEST_LIMIT, period: 10 } } },
            }),
          ],
          test: { name: "rate-limit", include: [RATE_LIMIT_TEST], isolate: true },
        },
      ],
      // Vitest's default on a 2-core machine is one worker (CPUs − 1), so every file ran in turn while
      // most of a file's time is waiting on workerd (queues, alarms, D1). Three files at once: billing
      // + identity went from 401 s to 238 s on the same (loaded) machine.
      maxWorkers: 3,
      setupFiles: ["./test/apply-migrations.ts", "./test/compose-modules.ts"],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
});
