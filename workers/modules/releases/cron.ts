import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import { publishDue } from "./notes.service";

/**
 * Release notes on every cron tick (workers/index.ts scheduled()): publishes the scheduled notes
 * that are due at `now` (the tick's scheduled time). Tests call it with the time they want.
 */
export function runReleasesCron(env: Env, now: number): Promise<{ published: number }> {
  return publishDue(getDb(env.DB), now);
}
