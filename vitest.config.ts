import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-plugin";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

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
        },
      }),
    ],
    test: {
      include: ["workers/**/*.test.ts", "test/**/*.test.ts"],
      setupFiles: ["./test/apply-migrations.ts"],
      testTimeout: 30_000,
      hookTimeout: 30_000,
    },
  };
});
