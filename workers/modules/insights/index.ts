// Public entry of the insights module (proactive help): nothing imports it but the composition root,
// which mounts routes.ts (API and the digest opt-out page) and runs its cron.
export {};
