import { cloudflare } from "@cloudflare/vite-plugin";
import tailwindcss from "@tailwindcss/vite";
import { tanstackRouter } from "@tanstack/router-plugin/vite";
import react from "@vitejs/plugin-react";
import { fileURLToPath } from "node:url";
import path from "node:path";
import { defineConfig } from "vite";

// The e2e runner serves a fixed snapshot: no file watching or HMR, so edits elsewhere in the
// tree (or the route generator) never restart the Worker or reload pages mid-test.
const frozen = process.env.WEFT_FROZEN === "1";
const here = path.dirname(fileURLToPath(import.meta.url));
const r = (p: string) => path.resolve(here, p);

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
      persistState: { path: r(process.env.WEFT_STATE_DIR ?? ".wrangler/state") },
      inspectorPort: false,
    }),
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
  preview: { port: Number(process.env.PORT ?? 8787) },
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
