import { cloudflare } from "@cloudflare/vite-plugin";
import tailwindcss from "@tailwindcss/vite";
import { tanstackRouter } from "@tanstack/router-plugin/vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import { readFileSync } from "node:fs";
import path from "node:path";
import { defineConfig, type Plugin } from "vite";

// The e2e runner serves a fixed snapshot: no file watching or HMR, so edits elsewhere in the
// tree (or the route generator) never restart the Worker or reload pages mid-test.
const frozen = process.env.WEFT_FROZEN === "1";
const here = path.dirname(fileURLToPath(import.meta.url));
const r = (p: string) => path.resolve(here, p);

/** wrangler.toml `[assets] run_worker_first`: the paths the Worker answers (API, public, webhooks, dev, widget). */
function workerPaths(): RegExp[] {
  const line = readFileSync(r("wrangler.toml"), "utf8").match(/^run_worker_first\s*=\s*\[(.*)\]/m);
  const globs = [...(line?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1]);
  return globs.map((g) => new RegExp(`^${g.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`));
}

/**
 * Second line of defence: if the Cloudflare plugin cannot get the Worker's answer for one of the
 * Worker's paths (it calls next(err), e.g. `TypeError: fetch failed` from Miniflare's undici proxy
 * into workerd), Vite would answer 500 with its HTML error overlay, stack trace and server paths
 * included. API clients get a 502 problem+json instead; the cause goes to the dev server's log.
 * (The known trigger, the Worker leaving a request body unread, is handled in
 * workers/platform/request-body.ts.)
 */
function workerPathErrorsAsProblems(): Plugin {
  const paths = workerPaths();
  return {
    name: "weft:worker-path-errors",
    apply: "serve",
    configureServer(server) {
      // A returned hook runs after the other plugins' middlewares, so this error handler sits behind
      // the Cloudflare plugin's and ahead of Vite's own error page.
      return () => {
        server.middlewares.use((err: Error & { cause?: unknown }, req, res, next) => {
          const pathname = new URL(req.originalUrl ?? req.url ?? "/", "http://localhost").pathname;
          if (!paths.some((p) => p.test(pathname))) return next(err);
          const cause = err.cause instanceof Error ? `: ${err.cause.message}` : "";
          server.config.logger.error(`[weft] ${req.method} ${pathname} got no answer from the Worker: ${err.message}${cause}`, {
            timestamp: true,
          });
          if (res.headersSent) return res.destroy();
          res.statusCode = 502;
          res.setHeader("Content-Type", "application/problem+json");
          res.end(
            JSON.stringify({
              type: "https://weft.dev/problems/dev-server-proxy",
              title: "The dev server could not reach the Worker",
              status: 502,
              detail:
                "vite dev could not pass this request to the local Worker or read its answer. Retry it; the dev server's log has the cause.",
              instance: pathname,
            }),
          );
        });
      };
    },
  };
}

/**
 * One dev server for the SPA (web/) and the Worker (workers/index.ts, with local D1/R2/Queues).
 * Local state lives in .wrangler/state (same place as `wrangler d1 migrations apply DB --local`);
 * WEFT_STATE_DIR points it elsewhere (the e2e runner uses a throwaway dir).
 */
export default defineConfig({
  root: r("web"),
  publicDir: r("web/public"),
  plugins: [
    tanstackRouter({
      target: "react",
      autoCodeSplitting: true,
      routesDirectory: r("web/src/routes"),
      generatedRouteTree: r("web/src/routeTree.gen.ts"),
    }),
    react(),
    tailwindcss(),
    cloudflare({
      configPath: r("wrangler.toml"),
      // The e2e stack (frozen) waits at most 50 ms to fill a queue batch, as the vitest pool does
      // (vitest.config.ts): a browser test that waits for an email otherwise waits out each hop's
      // max_batch_timeout (1–5 s). Batch sizes, retries and dead-letter queues stay as configured.
      // (Changed in place: a returned partial config is merged, which would append the consumers.)
      config: frozen
        ? (config) => {
            for (const q of config.queues?.consumers ?? []) q.max_batch_timeout = 0.05;
          }
        : undefined,
      persistState: { path: r(process.env.WEFT_STATE_DIR ?? ".wrangler/state") },
      inspectorPort: false,
    }),
    workerPathErrorsAsProblems(),
  ],
  // Pre-bundle every dependency at startup (scan all routes, not just index.html): otherwise the
  // first visit to a lazily loaded route discovers a new dependency and Vite reloads the page.
  optimizeDeps: {
    entries: ["index.html", "src/**/*.tsx"],
    include: ["react", "react-dom/client", "react/jsx-runtime", "@tanstack/react-router", "@tanstack/react-query", "recharts", "uqr"],
  },
  server: {
    port: Number(process.env.PORT ?? 8787),
    strictPort: true,
    host: process.env.HOST ?? "localhost",
    ...(frozen ? { watch: null, hmr: false } : {}),
  },
  preview: { port: Number(process.env.PORT ?? 8787), strictPort: true, host: process.env.HOST ?? "localhost" },
  environments: {
    // bench/web.mjs builds with WEFT_MANIFEST=1 to follow which chunks each route loads.
    client: { build: { outDir: r("dist/client"), emptyOutDir: true, manifest: process.env.WEFT_MANIFEST === "1" } },
    weft: {
      build: { outDir: r("dist/weft"), emptyOutDir: true },
      optimizeDeps: { include: ["hono", "@hono/zod-openapi", "drizzle-orm", "drizzle-orm/d1", "zod", "jose", "otpauth"] },
    },
  },
  build: { sourcemap: false, chunkSizeWarningLimit: 600 },
});
