// Module boundaries (npm run check:boundaries, part of npm test). The allowed directions are drawn
// in docs/engineering.md ("Module boundaries").
module.exports = {
  forbidden: [
    {
      name: "no-module-internals",
      severity: "error",
      comment: "Another module is used only through its public entry, workers/modules/<name>/index.ts.",
      from: { path: "^workers/modules/([^/]+)/", pathNot: "/test/" },
      to: { path: "^workers/modules/[^/]+/", pathNot: ["^workers/modules/$1/", "^workers/modules/[^/]+/index\\.ts$"] },
    },
    {
      name: "composition-root-mounts-entries",
      severity: "error",
      comment:
        "The composition root (workers/app.ts, index.ts, compose.ts) wires modules through their public entry and mounts only their entry points: routers (routes.ts, *.routes.ts, *.page.ts), queue consumers (*consumer.ts, indexer.ts), crons (cron.ts) and Durable Objects (*.do.ts).",
      from: { path: "^workers/[^/]+\\.ts$" },
      to: {
        path: "^workers/modules/",
        pathNot: "^workers/modules/[^/]+/(index|routes|cron|indexer|[^/]+\\.routes|[^/]+\\.page|[^/]+\\.do|[^/]*consumer)\\.ts$",
      },
    },
    {
      name: "no-cycles",
      severity: "error",
      comment: "No import cycles at run time, inside a module or between modules (type-only imports are erased).",
      from: { path: "^workers/", pathNot: "/test/" },
      to: { circular: true, viaOnly: { dependencyTypesNot: ["type-only"] } },
    },
    {
      name: "no-worker-imports-web",
      severity: "error",
      comment: "The Worker never bundles the SPA's code.",
      from: { path: "^(workers|schema)/", pathNot: "/test/" },
      to: { path: "^web/" },
    },
    {
      name: "platform-is-inward",
      severity: "error",
      comment: "platform/ is cross-cutting: modules depend on it, never the other way.",
      from: { path: "^workers/platform/" },
      to: { path: "^workers/modules/", dependencyTypesNot: ["type-only"] },
    },
  ],
  options: {
    parser: "swc",
    tsConfig: { fileName: "tsconfig.json" },
    doNotFollow: { path: "node_modules" },
    exclude: { path: "\\.gen\\.ts$" },
  },
};
