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

// Integration tests run inside workerd with the real D1/R2/Queues bindings from wrangler.toml.
export default defineConfig(async () => {
  const migrations = await readD1Migrations(fileURLToPath(new URL("./schema/migrations", import.meta.url)));
  return {
    plugins: [
      cloudflareTest({
        main: "./workers/index.ts",
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: {
          bindings: { ENVIRONMENT: "test", TEST_MIGRATIONS: migrations },
          queueConsumers: fastQueueConsumers(),
        },
      }),
    ],
    test: {
      // Vitest 5 hands a fresh test worker every cached module of its import graph in one "warm
      // modules" message; once PDF.js (1.7 MB, imported by the knowledge PDF test) is in that graph
      // the message exceeds workerd's 1 MiB WebSocket limit and the runtime dies for every later
      // file. Without the on-disk module cache the snapshot is empty and modules load one by one.
      fsModuleCache: false,
      include: ["workers/**/*.test.ts", "test/**/*.test.ts"],
      // Vitest's default on a 2-core machine is one worker (CPUs − 1), so every file ran in turn while
      // most of a file's time is waiting on workerd (queues, alarms, D1). Three files at once: billing
      // + identity went from 401 s to 238 s on the same (loaded) machine. Each file still gets its own
      // workerd runtime and storage.
      maxWorkers: 3,
      setupFiles: ["./test/apply-migrations.ts", "./test/compose-modules.ts"],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
});
