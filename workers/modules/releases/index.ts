// Public entry of the release center (modules/releases). No other module uses it yet; the
// composition root mounts routes.ts (API, public JSON, changelog pages) and runs cron.ts.
export {};
