import { getDb } from "../../platform/db";
import type { Env } from "../../platform/env";
import { runForumDigest } from "./notify.service";

/**
 * The community's cron (workers/index.ts scheduled(), every tick): digest e-mails to members who are
 * due (each workspace's `digest_hours`; a member gets at most one per period — notify.service).
 * Tests call it with the time they want.
 */
export async function runForumCron(env: Env, now: number): Promise<{ digests: number }> {
  return { digests: await runForumDigest(env, getDb(env.DB), now) };
}
